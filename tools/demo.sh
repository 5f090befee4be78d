#!/bin/sh
# `make demo`: what Recoup can do today, on the bundled examples.
set -u
RECOUP=${1:-build/recoup}
cd "$(dirname "$0")/.."

echo "== recoup --version"
"$RECOUP" --version
echo
echo "== recoup check examples/*.recoup"
"$RECOUP" check examples/*.recoup || exit 1
echo
echo "== recoup check tests/check/fail_three_errors.recoup (a policy with three mistakes)"
"$RECOUP" check tests/check/fail_three_errors.recoup
echo
echo "== recoup check --emit=ir examples/email-letter-call.recoup (the checked policy, as the engines will see it)"
"$RECOUP" check --emit=ir examples/email-letter-call.recoup
exit 0
