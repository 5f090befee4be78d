#!/bin/sh
# `make demo`: what Recoup can do today, on the bundled examples. Fails when
# an example stops checking clean or explaining.
set -u
RECOUP=${1:-build/recoup}
cd "$(dirname "$0")/.."

echo "== recoup --version"
"$RECOUP" --version || exit 1
echo
echo "== recoup check examples/*.recoup"
"$RECOUP" check examples/*.recoup || exit 1
echo
echo "== recoup fmt --check examples/*.recoup   (no file listed: every example is in the canonical layout)"
"$RECOUP" fmt --check examples/*.recoup || exit 1
echo
echo "== recoup check tests/check/fail_three_errors.recoup   (a policy with three mistakes: all are reported)"
"$RECOUP" check tests/check/fail_three_errors.recoup
echo
echo "== recoup explain examples/email-letter-call.recoup: a 12,000 USD invoice, half paid 79 days late"
"$RECOUP" explain examples/email-letter-call.recoup --amount 12000 --currency USD \
    --issue 2026-01-01 --due 2026-01-31 --payment 2026-04-20:6000 --customer-attr segment=enterprise || exit 1
echo
echo "== the same invoice for a strategic customer under examples/strategic-accounts.recoup"
"$RECOUP" explain examples/strategic-accounts.recoup --amount 12000 --currency USD \
    --issue 2026-01-01 --due 2026-01-31 --payment 2026-04-20:6000 --customer-attr segment=strategic \
    --customer-attr account_manager=dana.reyes || exit 1
echo
echo "== recoup test --coverage examples/*.recoup stdlib/policies/*.recoup   (the tests written inside the policies)"
"$RECOUP" test --coverage examples/*.recoup stdlib/policies/*.recoup || exit 1
if [ -f examples/ledgers/small/invoices.csv ]; then
    echo
    echo "== recoup compare: three example policies replayed over the history of examples/ledgers/small"
    REPORT=$(dirname "$RECOUP")/demo-report.html
    "$RECOUP" compare examples/email-letter-call.recoup examples/final-notice-agency.recoup \
        examples/customer-suspension-ladder.recoup --ledger examples/ledgers/small --report "$REPORT" || exit 1
    echo
    echo "== the same comparison as an HTML report with charts (open it in any browser, it needs no network):"
    echo "   $(cd "$(dirname "$REPORT")" && pwd)/$(basename "$REPORT")"
    echo
    echo "== recoup fit: the payment-response model of examples/ledgers/small (docs/model.md)"
    # Kept beside the report, which names it (and its SHA-256) as its model.
    model=$(dirname "$RECOUP")/demo-model.json
    "$RECOUP" fit --ledger examples/ledgers/small -o "$model" || exit 1
    echo
    echo "== recoup compare --model: the two policies with payments sampled from the model (20 draws)"
    MODEL_REPORT=$(dirname "$RECOUP")/demo-model-report.html
    "$RECOUP" compare examples/email-letter-call.recoup examples/final-notice-agency.recoup \
        --ledger examples/ledgers/small --model "$model" --draws 20 --report "$MODEL_REPORT" || exit 1
    echo
    echo "== the same draws as an HTML report: means, 95% intervals, interval bands on the recovery curve:"
    echo "   $(cd "$(dirname "$MODEL_REPORT")" && pwd)/$(basename "$MODEL_REPORT")"
fi
