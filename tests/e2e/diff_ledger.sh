#!/bin/sh
# `recoup diff` end to end: over the example ledger (--ledger), in every
# format, its exit statuses (0 same, 1 different or a policy with errors,
# 2 usage and unreadable files), and the same bytes for any thread count.
# Usage: sh tests/e2e/diff_ledger.sh path/to/recoup   (from the repository root)
set -u
RECOUP=${1:?usage: diff_ledger.sh path/to/recoup}
LEDGER=examples/ledgers/small
TMP=${TMPDIR:-/tmp}/recoup-e2e-diff.$$
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
failures=0

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

expect_status() {
    expected=$1
    shift
    "$RECOUP" "$@" >"$TMP/out" 2>"$TMP/err"
    actual=$?
    if [ "$actual" -ne "$expected" ]; then
        fail "recoup $* exited $actual, expected $expected; stderr:"
        sed 's/^/    /' "$TMP/err"
        return 1
    fi
    echo "ok: recoup $* -> $actual"
    return 0
}

expect_in() {
    if ! grep -q -- "$2" "$1"; then
        fail "$3: no \`$2\` in the output:"
        sed 's/^/    /' "$1" | head -40
    fi
}

BASE=examples/final-notice-agency.recoup
# The agency hand-off comes 15 days after the final notice instead of 30.
sed 's/^at final + 30d: agency/at final + 15d: agency/' "$BASE" >"$TMP/sooner.recoup"
grep -q 'at final + 15d: agency' "$TMP/sooner.recoup" || fail "could not write the changed policy"

# A policy against itself: nothing changes on any invoice.
if expect_status 0 diff "$BASE" "$BASE" --ledger "$LEDGER"; then
    expect_in "$TMP/out" 'The behaviour is the same.' "same policy"
    expect_in "$TMP/out" '^Ledger examples/ledgers/small: 0 of [0-9]* invoices have a different action timeline' "same policy"
    expect_in "$TMP/out" '\[2\]-\[1\]' "same policy metrics"
fi

# The agency moves earlier: the ledger shows which invoices, grouped.
if expect_status 1 diff "$BASE" "$TMP/sooner.recoup" --ledger "$LEDGER" --threads 1; then
    cp "$TMP/out" "$TMP/one.txt"
    expect_in "$TMP/out" 'The behaviour differs.' "sooner"
    expect_in "$TMP/out" 'trigger: at final + 30d -> at final + 15d (fires 15 days earlier)' "sooner rules"
    expect_in "$TMP/out" 'Example 1: ' "sooner example"
    expect_in "$TMP/out" '^Ledger examples/ledgers/small: [1-9][0-9]* of [0-9]* invoices have a different action timeline' "sooner ledger"
    expect_in "$TMP/out" 'agency "Alacrity": earlier  (e.g. INV-' "sooner group"
    expect_in "$TMP/out" 'Agency placements' "sooner metrics"
fi
if expect_status 1 diff "$BASE" "$TMP/sooner.recoup" --ledger "$LEDGER" --threads 2; then
    cmp -s "$TMP/out" "$TMP/one.txt" || fail "diff --ledger printed different bytes with 1 and 2 threads"
fi

# Markdown for a pull-request comment, JSON for tools.
if expect_status 1 diff "$BASE" "$TMP/sooner.recoup" --ledger "$LEDGER" --format markdown; then
    expect_in "$TMP/out" '^## Policy diff: ' "markdown"
    expect_in "$TMP/out" '^| ≠ | ' "markdown example table"
    expect_in "$TMP/out" '^### Ledger ' "markdown ledger"
    expect_in "$TMP/out" '^### Recoup replay' "markdown metrics, headings one level down"
fi
if expect_status 1 diff "$BASE" "$TMP/sooner.recoup" --ledger "$LEDGER" --format json; then
    expect_in "$TMP/out" '"differs": true' "json"
    expect_in "$TMP/out" '"changed": [1-9]' "json ledger"
    expect_in "$TMP/out" '"differences"' "json metrics"
    if command -v python3 >/dev/null 2>&1; then
        python3 -m json.tool "$TMP/out" >/dev/null || fail "diff --format json is not valid JSON"
    fi
fi
if expect_status 0 diff "$BASE" "$BASE" --format json; then
    expect_in "$TMP/out" '"differs": false' "json same"
    expect_in "$TMP/out" '"ledger": null' "json without ledger"
    if command -v python3 >/dev/null 2>&1; then
        python3 -m json.tool "$TMP/out" >/dev/null || fail "diff --format json (no ledger) is not valid JSON"
    fi
fi

# Every shipped policy behaves the same as itself; a library has nothing to compare.
for policy in examples/*.recoup stdlib/policies/*.recoup; do
    if expect_status 0 diff "$policy" "$policy"; then
        expect_in "$TMP/out" 'The behaviour is the same.' "$policy against itself"
    fi
done
if expect_status 1 diff stdlib/templates/net-30.recoup stdlib/templates/net-30.recoup; then
    expect_in "$TMP/err" 'it is a library, there is nothing to compare' "library"
fi
# Versions with different subjects are compared per customer.
if expect_status 1 diff examples/customer-suspension-ladder.recoup examples/email-letter-call.recoup --ledger "$LEDGER"; then
    expect_in "$TMP/out" '^Ledger examples/ledgers/small: [0-9]* of [0-9]* customers have a different action timeline' "mixed subjects"
fi

# A policy with errors prints its diagnostics and exits 1.
printf 'policy "Broken"\ncurrency USD\nat due + 30d: fee 30d + 5 USD\n' >"$TMP/broken.recoup"
if expect_status 1 diff "$BASE" "$TMP/broken.recoup"; then
    expect_in "$TMP/err" 'broken.recoup:3:19: error\[E0102\]' "broken policy"
fi
# Usage and unreadable files exit 2.
expect_status 2 diff "$BASE" "$TMP/missing.recoup"
expect_status 2 diff "$BASE" "$BASE" --ledger "$TMP/no-such-ledger"
expect_status 2 diff "$BASE" "$BASE" --format yaml
expect_status 2 diff "$BASE" "$BASE" --budget 0
expect_status 2 diff "$BASE"

if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)"
    exit 1
fi
echo "all diff checks passed"
