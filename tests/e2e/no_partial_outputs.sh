#!/bin/sh
# No data loss (issue #9): a run that fails leaves no output claiming
# success. `--out` of simulate/compare is written to a temporary file and
# renamed only after the whole report exists, so a failing run neither
# creates the file nor touches an existing one, and leaves no temporary
# behind; gen-ledger builds its folder aside and renames it into place.
# Usage: sh tests/e2e/no_partial_outputs.sh path/to/recoup   (from the repository root)
set -u
RECOUP=${1:?usage: no_partial_outputs.sh path/to/recoup}
TMP=${TMPDIR:-/tmp}/recoup-e2e-outputs.$$
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# A bad ledger: exit 1, no report file created.
"$RECOUP" simulate examples/final-notice-agency.recoup --ledger tests/ledgers/fail_date_feb_30 \
    --out "$TMP/new.txt" >/dev/null 2>&1
status=$?
[ "$status" -eq 1 ] || fail "simulate over a bad ledger exited $status, expected 1"
[ ! -e "$TMP/new.txt" ] && echo "ok: a failing simulate creates no report" || fail "a failing simulate created its --out file"

# A policy with errors: an existing report is left exactly as it was.
echo "previous report" >"$TMP/old.txt"
"$RECOUP" compare examples/final-notice-agency.recoup tests/check/fail_three_errors.recoup \
    --ledger tests/ledgers-ok/tiny --out "$TMP/old.txt" >/dev/null 2>&1
status=$?
[ "$status" -eq 1 ] || fail "compare with a broken policy exited $status, expected 1"
[ "$(cat "$TMP/old.txt")" = "previous report" ] && echo "ok: a failing compare leaves the old report untouched" ||
    fail "a failing compare changed the existing --out file"

# An --out that cannot be written: exit 2 and nothing left behind.
"$RECOUP" simulate examples/final-notice-agency.recoup --ledger tests/ledgers-ok/tiny \
    --out "$TMP/no-such-folder/r.txt" >/dev/null 2>"$TMP/err"
status=$?
[ "$status" -eq 2 ] || fail "an unwritable --out exited $status, expected 2"
leftovers=$(ls -A "$TMP" | grep -v -e '^old.txt$' -e '^err$' || true)
[ -z "$leftovers" ] && echo "ok: no temporary files left behind" || fail "left behind: $leftovers"

# gen-ledger refuses to overwrite a folder it did not make, and keeps it intact.
mkdir -p "$TMP/mine" && echo "keep" >"$TMP/mine/notes.txt"
"$RECOUP" gen-ledger --out "$TMP/mine" --customers 5 --months 2 --seed 1 >/dev/null 2>&1
[ "$(cat "$TMP/mine/notes.txt")" = "keep" ] && [ ! -e "$TMP/mine/invoices.csv" ] &&
    echo "ok: gen-ledger leaves a foreign folder intact" || fail "gen-ledger wrote into a folder it did not make"

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
