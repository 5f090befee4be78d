#!/bin/sh
# Every problem of a file is reported in one run: a file with three
# independent errors reports exactly three, each at its own line.
# Usage: sh tests/e2e/check_three_errors.sh path/to/recoup   (from the repository root)
set -u
RECOUP=${1:?usage: check_three_errors.sh path/to/recoup}
file=tests/check/fail_three_errors.recoup
output=$("$RECOUP" check "$file" 2>&1)
status=$?
failures=0

fail() {
    echo "FAIL: $*"
    echo "$output" | sed 's/^/    /'
    failures=$((failures + 1))
}

[ "$status" -eq 1 ] || fail "exit status $status, expected 1"
count=$(echo "$output" | grep -c "^$file:[0-9]*:[0-9]*: error\[")
[ "$count" -eq 3 ] || fail "$count errors reported, expected exactly 3"
lines=$(echo "$output" | grep "^$file:[0-9]*:[0-9]*: error\[" | cut -d: -f2 | sort -u | wc -l)
[ "$lines" -eq 3 ] || fail "the errors are on $lines distinct lines, expected 3"
for code in E0102 E0201 E0101; do
    echo "$output" | grep -q "error\[$code\]" || fail "error $code is missing"
done

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
echo "ok: three errors reported"
