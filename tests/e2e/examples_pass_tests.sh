#!/bin/sh
# Every example policy passes the tests written inside it (`recoup test`).
# Until the `test` subcommand exists this script says so and skips; remove
# the skip once it does.
# Usage: sh tests/e2e/examples_pass_tests.sh path/to/recoup   (from the repository root)
set -u
RECOUP=${1:?usage: examples_pass_tests.sh path/to/recoup}
failures=0

if ! "$RECOUP" --help 2>/dev/null | grep -q "^ *test "; then
    echo "skipped: this recoup has no \`test\` subcommand yet"
    exit 0
fi

for file in examples/*.recoup; do
    output=$("$RECOUP" test "$file" 2>&1)
    status=$?
    if [ "$status" -ne 0 ]; then
        echo "FAIL: recoup test $file exited $status; output:"
        echo "$output" | sed 's/^/    /'
        failures=$((failures + 1))
    else
        echo "ok: recoup test $file"
    fi
done

if [ "$failures" -ne 0 ]; then
    echo "$failures example(s) failed their own tests"
    exit 1
fi
