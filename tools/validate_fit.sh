#!/bin/sh
# The long validation of `recoup fit` (docs/model.md, "Validation"): for
# several ledger sizes and seeds, generate a ledger with known ground truth,
# fit it, and count the fitted parameters whose 95% interval covers the
# truth. Prints one line per ledger and the overall coverage; exits 1 when
# the coverage is below 90%.
#   sh tools/validate_fit.sh [build/recoup] [SEEDS] [SIZES]
# SIZES is a list of customers x months, e.g. "300x12 1000x24 3000x24".
set -u
RECOUP=${1:-build/recoup}
SEEDS=${2:-"1 2 3 4 5 6 7 8 9 10"}
SIZES=${3:-"300x12 1000x24 3000x24"}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
total_covered=0
total_compared=0
for size in $SIZES; do
    customers=${size%x*}
    months=${size#*x}
    for seed in $SEEDS; do
        ledger="$WORK/ledger"
        "$RECOUP" gen-ledger --out "$ledger" --customers "$customers" --months "$months" --seed "$seed" --force --quiet \
            || exit 2
        line=$("$RECOUP" fit --ledger "$ledger" -o "$WORK/model.json" --truth "$ledger/ground_truth.json" \
            | grep '^truth covered:') || exit 2
        covered=$(echo "$line" | sed 's/truth covered: \([0-9]*\) of \([0-9]*\).*/\1/')
        compared=$(echo "$line" | sed 's/truth covered: \([0-9]*\) of \([0-9]*\).*/\2/')
        echo "customers $customers, months $months, seed $seed: $covered of $compared parameters cover the truth"
        total_covered=$((total_covered + covered))
        total_compared=$((total_compared + compared))
    done
done
percent=$((100 * total_covered / total_compared))
echo "overall: $total_covered of $total_compared fitted parameters cover the truth ($percent%)"
[ "$percent" -ge 90 ]
