#!/bin/sh
# `recoup check --format json` prints valid JSON holding the diagnostic codes.
# Usage: sh tests/e2e/check_json.sh path/to/recoup   (from the repository root)
set -u
RECOUP=${1:?usage: check_json.sh path/to/recoup}
out=$(mktemp "${TMPDIR:-/tmp}/recoup-json.XXXXXX")
trap 'rm -f "$out"' EXIT
failures=0

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

"$RECOUP" check --format json tests/check/fail_three_errors.recoup >"$out"
status=$?
[ "$status" -eq 1 ] || fail "exit status $status, expected 1"

if command -v python3 >/dev/null 2>&1; then
    if python3 -m json.tool "$out" >/dev/null; then
        echo "ok: the output is valid JSON"
    else
        fail "the output is not valid JSON:"
        sed 's/^/    /' "$out"
    fi
else
    echo "skipped: python3 is not installed, so the JSON is not validated"
fi

for code in E0102 E0201 E0101; do
    if grep -q "\"$code\"" "$out"; then
        echo "ok: the output contains $code"
    else
        fail "the output does not contain $code:"
        sed 's/^/    /' "$out"
    fi
done

# A clean file is JSON too, with no diagnostics.
"$RECOUP" check --format json examples/email-letter-call.recoup >"$out"
status=$?
[ "$status" -eq 0 ] || fail "clean file: exit status $status, expected 0"
if grep -q '"E[0-9][0-9][0-9][0-9]"' "$out"; then
    fail "clean file: the JSON output has error codes:"
    sed 's/^/    /' "$out"
fi
if command -v python3 >/dev/null 2>&1 && ! python3 -m json.tool "$out" >/dev/null; then
    fail "clean file: the output is not valid JSON"
fi

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
