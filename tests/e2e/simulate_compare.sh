#!/bin/sh
# `recoup simulate` and `recoup compare` over a real ledger folder: exit
# statuses, the table's structure, JSON with money as strings, the same
# bytes for any thread count, --out, and ledger errors at file:line:col.
# Usage: sh tests/e2e/simulate_compare.sh path/to/recoup   (from the repository root)
set -u
RECOUP=${1:?usage: simulate_compare.sh path/to/recoup}
LEDGER=examples/ledgers/small
[ -f "$LEDGER/invoices.csv" ] || LEDGER=tests/ledgers-ok/tiny
TMP=${TMPDIR:-/tmp}/recoup-e2e-simulate.$$
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
        sed 's/^/    /' "$1" | head -20
    fi
}

# The table: a column per policy and the difference to the first.
if expect_status 0 compare examples/email-letter-call.recoup examples/final-notice-agency.recoup --ledger "$LEDGER"; then
    for text in '== All customers' '\[1\]' '\[2\]-\[1\]' 'Recovery rate' 'DSO (days)' 'CEI' 'Contact cost' \
                'Agency placements' 'premature' 'Touches per customer' 'aging 1-30' '== Segment'; do
        expect_in "$TMP/out" "$text" "compare table"
    done
fi

# JSON keeps every figure; money as decimal strings, never floats.
if expect_status 0 compare examples/email-letter-call.recoup examples/final-notice-agency.recoup --ledger "$LEDGER" \
        --format json --threads 1; then
    cp "$TMP/out" "$TMP/one.json"
    expect_in "$TMP/one.json" '"invoiced": "[0-9]*\.[0-9][0-9]"' "json money"
    expect_in "$TMP/one.json" '"differences"' "json"
    expect_in "$TMP/one.json" '"contingency_fees": "' "json"
    expect_in "$TMP/one.json" '"invoices": [0-9]' "json counts"
    if command -v python3 >/dev/null 2>&1; then
        python3 -m json.tool "$TMP/one.json" >/dev/null || fail "compare --format json is not valid JSON"
    fi
    # The same bytes with two threads.
    "$RECOUP" compare examples/email-letter-call.recoup examples/final-notice-agency.recoup --ledger "$LEDGER" \
        --format json --threads 2 >"$TMP/two.json" 2>/dev/null
    cmp -s "$TMP/one.json" "$TMP/two.json" || fail "--threads 1 and --threads 2 give different JSON"
fi

# --report writes the HTML page and leaves standard output as it was; --quiet
# leaves standard error empty; progress never reaches standard output.
if expect_status 0 compare examples/email-letter-call.recoup examples/final-notice-agency.recoup --ledger "$LEDGER" \
        --format markdown --report "$TMP/report.html"; then
    cp "$TMP/out" "$TMP/with-report.md"
    head -c 15 "$TMP/report.html" | grep -q '<!DOCTYPE html>' || fail "--report wrote no HTML page"
    grep -q '<svg ' "$TMP/report.html" || fail "the HTML report has no chart"
    grep -q '<script' "$TMP/report.html" && fail "the HTML report has a script"
    "$RECOUP" compare examples/email-letter-call.recoup examples/final-notice-agency.recoup --ledger "$LEDGER" \
        --format markdown --quiet >"$TMP/quiet.md" 2>"$TMP/quiet.err"
    cmp -s "$TMP/with-report.md" "$TMP/quiet.md" || fail "--report or --quiet changed standard output"
    [ -s "$TMP/quiet.err" ] && fail "--quiet still printed on standard error: $(cat "$TMP/quiet.err")"
    head -1 "$TMP/quiet.md" | grep -q '^## Recoup replay: 2 policies' || fail "markdown does not start with its title"
    sed -n 5p "$TMP/quiet.md" | grep -q '^| Headline | \[1\] | \[2\] | \[2\]-\[1\] |' ||
        fail "markdown does not start with the headline table"
    grep -q '<details><summary>All figures' "$TMP/quiet.md" || fail "markdown has no folded details"
    # The page is the same bytes for any thread count.
    "$RECOUP" compare examples/email-letter-call.recoup examples/final-notice-agency.recoup --ledger "$LEDGER" \
        --quiet --threads 1 --report "$TMP/one.html" >/dev/null 2>&1
    "$RECOUP" compare examples/email-letter-call.recoup examples/final-notice-agency.recoup --ledger "$LEDGER" \
        --quiet --threads 3 --report "$TMP/three.html" >/dev/null 2>&1
    cmp -s "$TMP/one.html" "$TMP/three.html" || fail "--threads 1 and --threads 3 give different HTML reports"
    cmp -s "$TMP/one.html" "$TMP/report.html" || fail "the HTML report differs between two runs"
fi

# simulate: every format; --out writes the file and leaves no temporary behind.
for format in table markdown csv json; do
    expect_status 0 simulate examples/final-notice-agency.recoup --ledger "$LEDGER" --format "$format"
done
if expect_status 0 simulate examples/final-notice-agency.recoup --ledger "$LEDGER" --format csv --out "$TMP/report.csv"; then
    [ -s "$TMP/report.csv" ] || fail "--out wrote nothing"
    head -1 "$TMP/report.csv" | grep -q '^section,metric,' || fail "the CSV has no header"
    [ ! -s "$TMP/out" ] || fail "--out also wrote to standard output"
    ls "$TMP" | grep -q 'tmp-recoup' && fail "--out left a temporary file"
fi

# Invoices in another currency and credit notes are not covered, and said so.
if expect_status 0 simulate examples/final-notice-agency.recoup --ledger tests/ledgers-ok/tiny; then
    expect_in "$TMP/out" 'not covered: 1 invoices in EUR (75.00 EUR)' "other currencies"
    expect_in "$TMP/out" 'not covered: 1 credit notes (-20.00 USD)' "credit notes"
fi

# Errors: a bad ledger (1, at file:line:col), a missing folder and bad flags (2).
if expect_status 1 simulate examples/final-notice-agency.recoup --ledger tests/ledgers/fail_date_feb_30; then
    expect_in "$TMP/err" 'invoices.csv:[0-9]*:[0-9]*: error\[L0010\]' "ledger error"
fi
expect_status 2 simulate examples/final-notice-agency.recoup --ledger "$TMP/no-such-ledger"
# --skip-bad-rows replays the good rows and says what it left out.
expect_status 1 simulate examples/final-notice-agency.recoup --ledger tests/ledgers/skip_bad_rows_counts
if expect_status 0 simulate examples/final-notice-agency.recoup --ledger tests/ledgers/skip_bad_rows_counts --skip-bad-rows; then
    expect_in "$TMP/err" 'skipped 4 bad rows' "--skip-bad-rows summary"
    expect_in "$TMP/out" '== All customers' "--skip-bad-rows report"
fi
expect_status 2 simulate examples/final-notice-agency.recoup --ledger "$LEDGER" --horizon soon
expect_status 2 simulate examples/final-notice-agency.recoup --ledger "$LEDGER" --format yaml
expect_status 1 simulate tests/check/fail_three_errors.recoup --ledger "$LEDGER"

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
