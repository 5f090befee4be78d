#!/bin/sh
# `--deny-warnings` turns a file with only warnings into a failure (exit 1).
# Usage: sh tests/e2e/check_deny_warnings.sh path/to/recoup   (from the repository root)
set -u
RECOUP=${1:?usage: check_deny_warnings.sh path/to/recoup}
failures=0

for file in tests/check/warn_unused_constant.recoup tests/check/warn_milder_escalation.recoup; do
    "$RECOUP" check "$file" >/dev/null 2>&1
    status=$?
    if [ "$status" -ne 0 ]; then
        echo "FAIL: recoup check $file exited $status, expected 0 (warnings only)"
        failures=$((failures + 1))
    fi
    output=$("$RECOUP" check --deny-warnings "$file" 2>&1)
    status=$?
    if [ "$status" -ne 1 ]; then
        echo "FAIL: recoup check --deny-warnings $file exited $status, expected 1; output:"
        echo "$output" | sed 's/^/    /'
        failures=$((failures + 1))
    elif ! echo "$output" | grep -q 'warning\[W[0-9]\{4\}\]'; then
        echo "FAIL: recoup check --deny-warnings $file does not show the warning; output:"
        echo "$output" | sed 's/^/    /'
        failures=$((failures + 1))
    else
        echo "ok: --deny-warnings fails $file"
    fi
done

# A clean file stays clean.
"$RECOUP" check --deny-warnings tests/check/minimal.recoup >/dev/null 2>&1
status=$?
if [ "$status" -ne 0 ]; then
    echo "FAIL: recoup check --deny-warnings on a clean file exited $status, expected 0"
    failures=$((failures + 1))
fi

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
