#!/bin/sh
# The HTML reports in a real browser (headless Chromium, Debian package
# `chromium`): `compare --report` (replayed, and with `--model`) and
# `explain --report` load without a single console message (the page has no script, and its
# Content-Security-Policy turns any request to the network into one), the
# screenshot is a real PNG, and every number the page marks equals the JSON
# output of the same run (html_report_check.py). A page that fetches from
# the network must be caught, so the check itself is tested too. Skipped
# (exit 77) only when Chromium is not installed: `sh tools/install-deps.sh`.
# Usage: sh tests/e2e/html_report_browser.sh path/to/recoup   (from the repository root)
set -u
RECOUP=${1:?usage: html_report_browser.sh path/to/recoup}
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
    echo "SKIP: Chromium is not installed (Debian packages chromium and chromium-driver; sh tools/install-deps.sh)"
    exit 77
fi
if ! command -v python3 >/dev/null 2>&1; then
    echo "SKIP: python3 is not installed; it reads the rendered page"
    exit 77
fi
LEDGER=examples/ledgers/small
[ -f "$LEDGER/invoices.csv" ] || LEDGER=tests/ledgers-ok/tiny
TMP=${TMPDIR:-/tmp}/recoup-e2e-browser.$$
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
# Screenshots are kept next to the binary for a person to look at.
SHOTS=$(dirname "$RECOUP")/browser-test
mkdir -p "$SHOTS"
failures=0

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# Runs headless Chromium on a file: the DOM to $2, console messages to $3,
# and a screenshot to $4 when given.
render() {
    page="file://$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
    "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$TMP/profile" \
        --enable-logging=stderr --v=0 --dump-dom "$page" >"$2" 2>"$TMP/log"
    grep ':CONSOLE' "$TMP/log" >"$3"
    if [ -n "${4:-}" ]; then
        "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$TMP/profile" \
            --hide-scrollbars --window-size=1100,1400 --screenshot="$4" "$page" >/dev/null 2>&1
    fi
}

is_png() {
    [ -s "$1" ] && [ "$(head -c 8 "$1" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] &&
        [ "$(wc -c <"$1")" -gt 20000 ]
}

# The check catches a page that reaches for the network.
cat >"$TMP/fetching.html" <<'PAGE'
<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="default-src 'none'"></head>
<body><img src="http://example.invalid/x.png"></body></html>
PAGE
render "$TMP/fetching.html" "$TMP/fetching.dom" "$TMP/fetching.console"
[ -s "$TMP/fetching.console" ] || fail "a page fetching from the network gave no console message: the check cannot see errors"

# compare: the report and the JSON of one run.
if "$RECOUP" compare examples/email-letter-call.recoup examples/final-notice-agency.recoup \
        examples/customer-suspension-ladder.recoup --ledger "$LEDGER" --format json --quiet \
        --report "$TMP/compare.html" >"$TMP/compare.json" 2>"$TMP/err"; then
    render "$TMP/compare.html" "$TMP/compare.dom" "$TMP/compare.console" "$SHOTS/compare.png"
    if [ -s "$TMP/compare.console" ]; then
        fail "the compare report logged to the console:"
        sed 's/^/    /' "$TMP/compare.console"
    fi
    grep -q 'id="recovery-curve"' "$TMP/compare.dom" || fail "the rendered compare report has no recovery curve"
    is_png "$SHOTS/compare.png" || fail "no screenshot of the compare report"
    python3 tests/e2e/html_report_check.py compare "$TMP/compare.dom" "$TMP/compare.json" ||
        fail "the compare report's numbers differ from its JSON"
else
    fail "recoup compare --report failed:"
    sed 's/^/    /' "$TMP/err"
fi

# compare --model: the Monte Carlo report (means, intervals, markers on
# differences, bands on the curve, whiskers on the bars) and the JSON of the
# same draws.
if "$RECOUP" fit --ledger "$LEDGER" -o "$TMP/model.json" >/dev/null 2>"$TMP/err" &&
    "$RECOUP" compare examples/email-letter-call.recoup examples/final-notice-agency.recoup --ledger "$LEDGER" \
        --model "$TMP/model.json" --draws 20 --seed 7 --format json --quiet \
        --report "$TMP/model.html" >"$TMP/model-run.json" 2>"$TMP/err"; then
    render "$TMP/model.html" "$TMP/model.dom" "$TMP/model.console" "$SHOTS/compare-model.png"
    if [ -s "$TMP/model.console" ]; then
        fail "the Monte Carlo report logged to the console:"
        sed 's/^/    /' "$TMP/model.console"
    fi
    grep -q 'class="band"' "$TMP/model.dom" || fail "the rendered Monte Carlo report has no interval bands"
    grep -q 'class="band-swatch"' "$TMP/model.dom" || fail "the Monte Carlo report's legend has no entry for the bands"
    grep -q 'class="error-bar"' "$TMP/model.dom" || fail "the Monte Carlo report's bar charts have no whiskers"
    grep -q '<dt>Parameter uncertainty</dt>' "$TMP/model.dom" || fail "the Monte Carlo report's provenance has no model"
    is_png "$SHOTS/compare-model.png" || fail "no screenshot of the Monte Carlo report"
    python3 tests/e2e/html_report_check.py compare "$TMP/model.dom" "$TMP/model-run.json" ||
        fail "the Monte Carlo report's numbers differ from its JSON"
else
    fail "recoup fit or compare --model --report failed:"
    sed 's/^/    /' "$TMP/err"
fi

# explain: the timeline page and the JSON of the same invoice.
if "$RECOUP" explain examples/final-notice-agency.recoup --amount 12000 --currency USD --issue 2026-01-01 \
        --due 2026-01-31 --payment 2026-04-20:6000 --customer-attr segment=enterprise --format json \
        --report "$TMP/explain.html" >"$TMP/explain.json" 2>"$TMP/err"; then
    render "$TMP/explain.html" "$TMP/explain.dom" "$TMP/explain.console" "$SHOTS/explain.png"
    if [ -s "$TMP/explain.console" ]; then
        fail "the explain report logged to the console:"
        sed 's/^/    /' "$TMP/explain.console"
    fi
    grep -q 'id="timeline"' "$TMP/explain.dom" || fail "the rendered explain report has no timeline"
    is_png "$SHOTS/explain.png" || fail "no screenshot of the explain report"
    python3 tests/e2e/html_report_check.py explain "$TMP/explain.dom" "$TMP/explain.json" ||
        fail "the explain report's numbers differ from its JSON"
else
    fail "recoup explain --report failed:"
    sed 's/^/    /' "$TMP/err"
fi

echo "screenshots: $SHOTS/compare.png $SHOTS/compare-model.png $SHOTS/explain.png"
if [ "$failures" -ne 0 ]; then
    echo "$failures failures"
    exit 1
fi
echo "browser test: all passed"
