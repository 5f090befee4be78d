#!/bin/sh
# `recoup check` exit statuses: 0 clean, 1 policy at fault, 2 usage or I/O.
# Usage: sh tests/e2e/check_exit_codes.sh path/to/recoup   (from the repository root)
set -u
RECOUP=${1:?usage: check_exit_codes.sh path/to/recoup}
failures=0

expect_status() {
    expected=$1
    shift
    "$RECOUP" "$@" >/tmp/recoup-e2e-out.$$ 2>&1
    actual=$?
    if [ "$actual" -ne "$expected" ]; then
        echo "FAIL: recoup $* exited $actual, expected $expected; output:"
        sed 's/^/    /' /tmp/recoup-e2e-out.$$
        failures=$((failures + 1))
    else
        echo "ok: recoup $* -> $actual"
    fi
}

expect_status 0 check examples/final-notice-agency.recoup
expect_status 0 check tests/check/minimal.recoup
expect_status 0 check tests/check/warn_unused_constant.recoup
expect_status 1 check tests/check/fail_unit_mismatch_duration_money.recoup
expect_status 1 check tests/check/minimal.recoup tests/check/fail_missing_label.recoup
expect_status 2 check tests/check/no-such-file.recoup
expect_status 2 check --no-such-flag tests/check/minimal.recoup
expect_status 2 check
expect_status 2 no-such-command
# Devices and folders are refused before reading (/dev/zero never ends).
expect_status 2 check /dev/zero
expect_status 2 check tests/check

# A file of zero bytes is only a warning, and says so.
empty=$(mktemp "${TMPDIR:-/tmp}/recoup-empty.XXXXXX")
expect_status 0 check "$empty"
if ! grep -q 'warning\[W0005\]' /tmp/recoup-e2e-out.$$; then
    echo "FAIL: recoup check on an empty file does not warn W0005; output:"
    sed 's/^/    /' /tmp/recoup-e2e-out.$$
    failures=$((failures + 1))
fi
rm -f "$empty" /tmp/recoup-e2e-out.$$

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
