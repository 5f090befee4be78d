#!/bin/sh
# Runs every command of docs/tutorial.md, in order, from a scratch folder,
# and compares its output with the output the tutorial shows, so the
# tutorial never goes stale.
#
# The tutorial marks what this script uses with HTML comments (invisible
# when the Markdown is rendered), each followed by a fenced code block:
#   <!-- tutorial-file: NAME -->     the block is written to NAME in the
#                                    scratch folder (later blocks replace it)
#   <!-- tutorial-run: exit N -->    the block's first line is `$ COMMAND`,
#                                    run in the scratch folder with `recoup`
#                                    being the executable under test; the
#                                    rest is its expected output
# Expected output is compared exactly, line by line, with two documented
# normalisations: the output is standard output followed by standard error
# (what a terminal shows, without the interleaving), and a line holding only
# `...` in the expected output stands for any number of lines (used to
# shorten long reports). The scratch folder has `examples/` linked from the
# repository, so the tutorial can use the bundled policies and ledger.
# Usage: sh tests/e2e/tutorial.sh path/to/recoup   (from the repository root)
set -u
RECOUP=${1:?usage: tutorial.sh path/to/recoup}
case "$RECOUP" in /*) ;; *) RECOUP="$(pwd)/$RECOUP" ;; esac
ROOT=$(pwd)
DOC="$ROOT/docs/tutorial.md"
TMP=${TMPDIR:-/tmp}/recoup-e2e-tutorial.$$
mkdir -p "$TMP/steps" "$TMP/scratch" "$TMP/bin"
trap 'rm -rf "$TMP"' EXIT
ln -s "$RECOUP" "$TMP/bin/recoup"
ln -s "$ROOT/examples" "$TMP/scratch/examples"
failures=0
runs=0

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# Split the tutorial into numbered steps: NNN.file (name) + NNN.body, or
# NNN.run (exit status) + NNN.command + NNN.expected.
awk -v dir="$TMP/steps" '
    function name(n) { return sprintf("%s/%03d", dir, n) }
    /^<!-- tutorial-file: .* -->$/ {
        kind = "file"; arg = $0; sub(/^<!-- tutorial-file: /, "", arg); sub(/ -->$/, "", arg); pending = 1; next
    }
    /^<!-- tutorial-run: exit [0-9]+ -->$/ {
        kind = "run"; arg = $0; sub(/^<!-- tutorial-run: exit /, "", arg); sub(/ -->$/, "", arg); pending = 1; next
    }
    pending && /^```/ { pending = 0; inside = 1; step++; first = 1; print arg > (name(step) "." kind); next }
    pending && !/^[ \t]*$/ { print "a tutorial marker is not followed by a code block: " $0 > "/dev/stderr"; exit 3 }
    inside && /^```[ \t]*$/ { inside = 0; next }
    inside && kind == "file" { print > (name(step) ".body"); next }
    inside && kind == "run" && first {
        first = 0
        if ($0 !~ /^\$ /) { print "a tutorial-run block must start with `$ COMMAND`: " $0 > "/dev/stderr"; exit 3 }
        command = $0; sub(/^\$ /, "", command); print command > (name(step) ".command")
        printf "" > (name(step) ".expected")
        next
    }
    inside && kind == "run" { print > (name(step) ".expected"); next }
' "$DOC" || { echo "FAIL: cannot read the tutorial's marked blocks"; exit 1; }

# Exit 0 when `actual` matches `expected`, where a line `...` in expected
# matches any number of lines; otherwise print where they part.
matches() {
    awk -v expected_file="$1" '
        BEGIN { while ((getline line < expected_file) > 0) e[++m] = line }
        { a[++n] = $0 }
        END {
            i = 1; j = 1
            # Each segment between `...` lines: the first is anchored at the start,
            # the last at the end, the others found leftmost.
            while (i <= m) {
                if (e[i] == "...") { i++; floating = 1; continue }
                seg_end = i; while (seg_end <= m && e[seg_end] != "...") seg_end++
                len = seg_end - i
                if (seg_end > m && floating) {
                    start = n - len + 1
                    if (start < j) { report(i, j); exit 1 }
                } else if (floating) {
                    for (start = j; start + len - 1 <= n; start++) {
                        ok = 1; for (k = 0; k < len; k++) if (a[start + k] != e[i + k]) { ok = 0; break }
                        if (ok) break
                    }
                    if (start + len - 1 > n) { report(i, j); exit 1 }
                } else {
                    start = j
                }
                for (k = 0; k < len; k++) if (a[start + k] != e[i + k] || start + k > n) { report(i + k, start + k); exit 1 }
                j = start + len; i = seg_end; floating = 0
            }
            if (!floating && j <= n) { report(m + 1, j); exit 1 }
        }
        function report(ei, aj) {
            printf "    expected line %d: %s\n    actual line %d:   %s\n", ei, (ei <= m ? e[ei] : "(end)"), aj, (aj <= n ? a[aj] : "(end)")
        }
    '
}

for marker in "$TMP"/steps/*.file "$TMP"/steps/*.run; do
    [ -e "$marker" ] || continue
    echo "${marker%.*}"
done | sort -u | while read -r step; do
    if [ -f "$step.file" ]; then
        target="$TMP/scratch/$(cat "$step.file")"
        mkdir -p "$(dirname "$target")"
        cp "$step.body" "$target"
        echo "wrote $(cat "$step.file")"
        continue
    fi
    command=$(cat "$step.command")
    expected_status=$(cat "$step.run")
    (cd "$TMP/scratch" && PATH="$TMP/bin:$PATH" RECOUP_STDLIB="$ROOT/stdlib" sh -c "$command" >"$TMP/out" 2>"$TMP/err")
    status=$?
    cat "$TMP/out" "$TMP/err" >"$TMP/actual"
    if [ "$status" -ne "$expected_status" ]; then
        echo "FAIL: \`$command\` exited $status, the tutorial says $expected_status; output:"
        sed 's/^/    /' "$TMP/actual" | head -40
        echo x >>"$TMP/failed"
    elif ! matches "$step.expected" <"$TMP/actual" >"$TMP/where"; then
        echo "FAIL: \`$command\`: the output is not what the tutorial shows:"
        cat "$TMP/where"
        echo x >>"$TMP/failed"
    else
        echo "ok: $command"
    fi
    echo x >>"$TMP/runs"
done

runs=$(cat "$TMP/runs" 2>/dev/null | wc -l)
failures=$(cat "$TMP/failed" 2>/dev/null | wc -l)
if [ "$runs" -lt 8 ]; then
    echo "FAIL: the tutorial runs only $runs commands; its markers may be broken"
    exit 1
fi
if [ "$failures" -ne 0 ]; then
    echo "$failures of $runs tutorial commands failed"
    exit 1
fi
echo "all $runs tutorial commands give the output the tutorial shows"
