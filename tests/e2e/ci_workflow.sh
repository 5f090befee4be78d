#!/bin/sh
# The example CI workflow (docs/ci/recoup-policies.yml) only runs recoup
# subcommands and flags that exist: each `recoup SUBCOMMAND --flag...` line
# is checked against that subcommand's --help. `fmt` is skipped, saying so,
# only when this build has no `fmt` subcommand yet.
# Usage: sh tests/e2e/ci_workflow.sh path/to/recoup   (from the repository root)
set -u
RECOUP=${1:?usage: ci_workflow.sh path/to/recoup}
WORKFLOW=docs/ci/recoup-policies.yml
TMP=${TMPDIR:-/tmp}/recoup-e2e-ci.$$
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
failures=0
checked=0

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

[ -f "$WORKFLOW" ] || { echo "FAIL: $WORKFLOW is missing"; exit 1; }
grep -q 'docs/ci/recoup-policies.yml' docs/cli.md || fail "docs/cli.md does not mention $WORKFLOW"
grep -q 'docs/ci/recoup-policies.yml' README.md || fail "README.md does not mention $WORKFLOW"

# The subcommands this build has, from `recoup --help`.
"$RECOUP" --help | sed -n '/^Subcommands:/,$p' | awk 'NR > 1 && NF { print $1 }' >"$TMP/subcommands"
grep -qx diff "$TMP/subcommands" || fail "cannot read the subcommands from \`recoup --help\`"

# Lines that run recoup (not comments, not `name:` lines, not paths like `$RUNNER_TEMP/recoup`).
grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*-\{0,1\}[[:space:]]*name:' "$WORKFLOW" | grep -E '(^|[[:space:]:])recoup [a-z]' |
    sed -E 's/^.*(^|[[:space:]:])recoup /recoup /' >"$TMP/commands"
[ -s "$TMP/commands" ] || fail "no recoup command found in $WORKFLOW"

while read -r line; do
    subcommand=$(echo "$line" | awk '{print $2}')
    if ! grep -qx -- "$subcommand" "$TMP/subcommands"; then
        if [ "$subcommand" = fmt ]; then
            echo "skipped: \`$line\` (this build has no \`recoup fmt\` yet)"
            continue
        fi
        fail "\`$line\`: recoup has no subcommand \`$subcommand\`"
        continue
    fi
    "$RECOUP" "$subcommand" --help >"$TMP/help" 2>&1 || fail "\`recoup $subcommand --help\` failed"
    for flag in $(echo "$line" | grep -oE '(^|[[:space:]])--[a-z][a-z-]*' | tr -d ' '); do
        grep -qE -- "(^|[[:space:],])$flag([[:space:]=,]|$)" "$TMP/help" ||
            fail "\`$line\`: \`recoup $subcommand\` has no option $flag"
    done
    # The values of --format must be ones the subcommand lists.
    format=$(echo "$line" | sed -nE 's/.*--format ([a-z]+).*/\1/p')
    if [ -n "$format" ]; then
        grep -E -- '--format' "$TMP/help" | grep -qE "(^|[ |:])$format([ |]|$)" ||
            fail "\`$line\`: \`recoup $subcommand --format\` does not accept $format"
    fi
    echo "ok: $line"
    checked=$((checked + 1))
done <"$TMP/commands"

[ "$checked" -ge 3 ] || fail "only $checked recoup commands were checked in $WORKFLOW"
if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)"
    exit 1
fi
echo "every recoup command in $WORKFLOW is valid"
