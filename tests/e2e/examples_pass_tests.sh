#!/bin/sh
# Every example policy, and every standard-library file with tests inside
# it, passes its own tests (`recoup test`), and the run ends with the
# summary line CI tools parse; every step is fired by some test (coverage
# threshold 100%).
# Usage: sh tests/e2e/examples_pass_tests.sh path/to/recoup   (from the repository root)
set -u
RECOUP=${1:?usage: examples_pass_tests.sh path/to/recoup}

files=$(ls examples/*.recoup)
stdlib_with_tests=$(grep -rl '^[[:space:]]*test[[:space:]]*"' stdlib --include='*.recoup' 2>/dev/null | sort)
files="$files $stdlib_with_tests"

# shellcheck disable=SC2086 # one argument per file
output=$("$RECOUP" test --threshold 100 $files 2>&1)
status=$?
echo "$output"

if [ "$status" -ne 0 ]; then
    echo "FAIL: recoup test exited $status: the examples or the standard library fail their own tests"
    exit 1
fi
if ! echo "$output" | tail -n 1 | grep -Eq '^[0-9]+ passed, 0 failed$'; then
    echo "FAIL: the last line is not \`N passed, 0 failed\`"
    exit 1
fi
if echo "$output" | grep -q '^PASS  ' ; then :; else
    echo "FAIL: no test ran"
    exit 1
fi
echo "ok: every example and standard-library test passes"
