#!/bin/sh
# `recoup fit` and `simulate`/`compare --model`: a generated ledger is fitted
# (the model file is written, the truth compared, a back-test printed), then
# simulated and compared with intervals (and as an HTML report); the same seed gives the same bytes
# for any thread count and either engine; wrong options and bad model files get their status.
# Usage: sh tests/e2e/fit_monte_carlo.sh path/to/recoup   (from the repository root)
set -u
RECOUP=${1:?usage: fit_monte_carlo.sh path/to/recoup}
work=$(mktemp -d "${TMPDIR:-/tmp}/recoup-fit.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

"$RECOUP" gen-ledger --out "$work/ledger" --customers 60 --months 12 --seed 5 --quiet || fail "gen-ledger exited $?"
"$RECOUP" fit --ledger "$work/ledger" -o "$work/model.json" --truth "$work/ledger/ground_truth.json" \
    >"$work/fit.txt" 2>"$work/stderr" || fail "fit exited $?: $(cat "$work/stderr")"
grep -q '"recoup_payment_model": 1' "$work/model.json" || fail "the model file has no version"
grep -q "^effect \`letter\` (10d window)" "$work/fit.txt" || fail "fit printed no letter effect: $(cat "$work/fit.txt")"
grep -q "^truth covered: " "$work/fit.txt" || fail "--truth printed no coverage"
"$RECOUP" fit --ledger "$work/ledger" -o "$work/early.json" --as-of 2024-09-30 --backtest >"$work/backtest.txt" \
    || fail "fit --backtest exited $?"
grep -q "^Back-test: " "$work/backtest.txt" || fail "no back-test printed"

policy=examples/final-notice-agency.recoup
other=examples/email-letter-call.recoup
"$RECOUP" simulate "$policy" --ledger "$work/ledger" --model "$work/model.json" --draws 8 --seed 3 --threads 1 \
    >"$work/one.txt" || fail "simulate --model exited $?"
"$RECOUP" simulate "$policy" --ledger "$work/ledger" --model "$work/model.json" --draws 8 --seed 3 --threads 3 \
    >"$work/three.txt" || fail "simulate --model --threads 3 exited $?"
cmp -s "$work/one.txt" "$work/three.txt" || fail "the report differs between 1 and 3 threads"
"$RECOUP" simulate "$policy" --ledger "$work/ledger" --model "$work/model.json" --draws 8 --seed 3 --threads 2 \
    --engine jit --cache-dir "$work/cache" >"$work/jit.txt" || fail "simulate --model --engine jit exited $?"
cmp -s "$work/one.txt" "$work/jit.txt" || fail "the report differs between the interpreter and the JIT engine"
grep -q "^Monte Carlo: 8 draws, seed 3" "$work/one.txt" || fail "no Monte Carlo preamble: $(head -3 "$work/one.txt")"
"$RECOUP" compare "$policy" "$other" --ledger "$work/ledger" --model "$work/model.json" --draws 8 \
    --parameter-uncertainty --format json >"$work/compare.json" || fail "compare --model exited $?"
grep -q '"distinguishable_from_zero"' "$work/compare.json" || fail "compare JSON has no difference markers"
grep -q '"parameter_uncertainty": true' "$work/compare.json" || fail "compare JSON does not say parameter uncertainty"

grep -q '^== Segment `smb`' "$work/one.txt" || fail "no segment block in the Monte Carlo table"

# --report with --model: the HTML report of the draws, the same bytes for
# any thread count, standard output unchanged, and (read without a browser;
# html_report_browser.sh renders it in Chromium) every number on the page
# equal to the JSON of the same draws.
for threads in 1 3; do
    "$RECOUP" compare "$policy" "$other" --ledger "$work/ledger" --model "$work/model.json" --draws 8 --seed 3 \
        --threads $threads --format json --report "$work/report-$threads.html" >"$work/report-$threads.json" ||
        fail "compare --model --report exited $?"
done
cmp -s "$work/report-1.html" "$work/report-3.html" || fail "the Monte Carlo HTML report differs between 1 and 3 threads"
"$RECOUP" compare "$policy" "$other" --ledger "$work/ledger" --model "$work/model.json" --draws 8 --seed 3 \
    --format json >"$work/no-report.json" || fail "compare --model exited $?"
cmp -s "$work/report-1.json" "$work/no-report.json" || fail "--report changed the JSON on standard output"
grep -q 'class="band"' "$work/report-1.html" || fail "the Monte Carlo report has no interval band"
grep -q 'data-bound="low"' "$work/report-1.html" || fail "the Monte Carlo report has no intervals"
grep -q "<dt>Seed</dt><dd>3</dd>" "$work/report-1.html" || fail "the Monte Carlo report does not give its seed"
if command -v python3 >/dev/null 2>&1; then
    python3 tests/e2e/html_report_check.py compare "$work/report-1.html" "$work/report-1.json" >"$work/check.txt" ||
        fail "the Monte Carlo report's numbers differ from its JSON: $(cat "$work/check.txt")"
fi
"$RECOUP" simulate "$policy" --ledger "$work/ledger" --model "$work/model.json" --draws 4 \
    --report "$work/missing-folder/report.html" >/dev/null 2>"$work/stderr"
status=$?
[ "$status" -eq 2 ] || fail "--report into a missing folder exited $status, expected 2"

mkdir "$work/bad-ledger"
cp "$work/ledger/invoices.csv" "$work/ledger/payments.csv" "$work/bad-ledger/"
printf 'invoice_id,date,amount\nINV-000001,2024-13-45,10.00\n' >"$work/bad-ledger/payments.csv"
"$RECOUP" fit --ledger "$work/bad-ledger" -o "$work/x.json" 2>"$work/stderr"
status=$?
[ "$status" -eq 1 ] || fail "fit of a ledger with a bad date exited $status, expected 1"
grep -q "payments.csv:2:12: error\[L0010\]" "$work/stderr" || fail "fit did not report the bad date: $(cat "$work/stderr")"

"$RECOUP" simulate "$policy" --ledger "$work/ledger" --model "$work/model.json" --format csv 2>/dev/null
status=$?
[ "$status" -eq 2 ] || fail "--model with --format csv exited $status, expected 2"
"$RECOUP" simulate "$policy" --ledger "$work/ledger" --draws 8 2>/dev/null
status=$?
[ "$status" -eq 2 ] || fail "--draws without --model exited $status, expected 2"
printf '{"recoup_payment_model": 2}\n' >"$work/bad.json"
"$RECOUP" simulate "$policy" --ledger "$work/ledger" --model "$work/bad.json" 2>"$work/stderr"
status=$?
[ "$status" -eq 1 ] || fail "a version 2 model exited $status, expected 1"
grep -q "bad.json:1:26: this is a version 2 model" "$work/stderr" || fail "bad model error: $(cat "$work/stderr")"
"$RECOUP" fit --ledger "$work/ledger" -o "$work/x.json" --backtest 2>/dev/null
status=$?
[ "$status" -eq 2 ] || fail "--backtest without --as-of exited $status, expected 2"

if [ "$failures" -gt 0 ]; then
    echo "$failures failure(s)"
    exit 1
fi
echo "fit and Monte Carlo: ok"
