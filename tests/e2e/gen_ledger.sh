#!/bin/sh
# `recoup gen-ledger`: the same seed writes the same bytes, another seed
# other bytes; a non-empty folder is refused (exit 2) unless --force.
# Usage: sh tests/e2e/gen_ledger.sh path/to/recoup   (from the repository root)
set -u
RECOUP=${1:?usage: gen_ledger.sh path/to/recoup}
work=$(mktemp -d "${TMPDIR:-/tmp}/recoup-gen-ledger.XXXXXX")
trap 'rm -rf "$work"' EXIT
failures=0

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

gen() {
    out=$1
    shift
    "$RECOUP" gen-ledger --out "$out" --customers 200 --months 18 "$@" 2>"$work/stderr"
}

gen "$work/a" --seed 17 || fail "first run exited $?: $(cat "$work/stderr")"
grep -q "invoices.csv" "$work/stderr" || fail "no summary on standard error"
gen "$work/b" --seed 17 --quiet || fail "second run exited $?"
[ -s "$work/stderr" ] && fail "--quiet still printed: $(cat "$work/stderr")"
for file in customers.csv invoices.csv payments.csv adjustments.csv disputes.csv promises.csv actions.csv \
    ground_truth.json; do
    [ -s "$work/a/$file" ] || fail "$file missing or empty"
    cmp -s "$work/a/$file" "$work/b/$file" || fail "$file differs between two runs with seed 17"
done
gen "$work/c" --seed 18 --quiet || fail "run with seed 18 exited $?"
cmp -s "$work/a/payments.csv" "$work/c/payments.csv" && fail "seeds 17 and 18 wrote the same payments.csv"

gen "$work/a" --seed 17 --quiet
status=$?
[ "$status" -eq 2 ] || fail "writing into a non-empty folder exited $status, expected 2"
gen "$work/a" --seed 18 --quiet --force || fail "--force exited $?"
cmp -s "$work/a/payments.csv" "$work/c/payments.csv" || fail "--force did not replace the ledger"
"$RECOUP" gen-ledger --out "$work/d" --customers 0 --months 1 --seed 1 2>/dev/null
status=$?
[ "$status" -eq 2 ] || fail "--customers 0 exited $status, expected 2"
ls -a "$work" | grep -q gen-ledger && fail "a temporary folder was left behind"

if [ "$failures" -ne 0 ]; then
    echo "$failures failures"
    exit 1
fi
echo "ok: gen-ledger is deterministic and guards its output folder"
