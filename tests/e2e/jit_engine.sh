#!/bin/sh
# `--engine jit` end to end: simulate and compare print the same bytes on
# both engines, explain too; the object cache is written, reused, and a
# damaged entry changes nothing but is rewritten; `check --emit=llvm`.
# Usage: sh tests/e2e/jit_engine.sh path/to/recoup   (from the repository root)
set -u
RECOUP=${1:?usage: jit_engine.sh path/to/recoup}
LEDGER=examples/ledgers/small
TMP=${TMPDIR:-/tmp}/recoup-e2e-jit.$$
mkdir -p "$TMP/cache"
trap 'rm -rf "$TMP"' EXIT
failures=0

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

same() {
    if cmp -s "$1" "$2"; then echo "ok: $3"; else fail "$3"; diff "$1" "$2" | head -20; fi
}

POLICIES="examples/email-letter-call.recoup examples/fees-and-interest.recoup examples/customer-suspension-ladder.recoup"
"$RECOUP" compare $POLICIES --ledger "$LEDGER" --format json --threads 2 >"$TMP/interp.json" 2>"$TMP/err" || fail "compare (interp) failed"
"$RECOUP" compare $POLICIES --ledger "$LEDGER" --format json --threads 2 --engine jit --cache-dir "$TMP/cache" \
    >"$TMP/jit.json" 2>"$TMP/err" || { fail "compare --engine jit failed"; cat "$TMP/err"; }
same "$TMP/interp.json" "$TMP/jit.json" "compare prints the same bytes on both engines"
entries=$(ls "$TMP/cache" | grep -c '\.recoup-object$')
[ "$entries" -eq 3 ] && echo "ok: one cache entry per policy" || fail "expected 3 cache entries, found $entries"

EXPLAIN="examples/fees-and-interest.recoup --amount 12000 --issue 2026-01-01 --due 2026-01-31 --payment 2026-03-20:5000"
"$RECOUP" explain $EXPLAIN >"$TMP/explain-interp.txt" 2>&1
"$RECOUP" explain $EXPLAIN --engine jit --cache-dir "$TMP/cache" >"$TMP/explain-jit.txt" 2>&1
same "$TMP/explain-interp.txt" "$TMP/explain-jit.txt" "explain prints the same on both engines"

# Damage every entry: the results stay the same and the entries are rewritten.
for entry in "$TMP"/cache/*.recoup-object; do
    cp "$entry" "$TMP/good"
    head -c 100 "$TMP/good" >"$entry"
done
"$RECOUP" compare $POLICIES --ledger "$LEDGER" --format json --threads 2 --engine jit --cache-dir "$TMP/cache" \
    >"$TMP/jit2.json" 2>"$TMP/err" || fail "compare --engine jit over a damaged cache failed"
same "$TMP/interp.json" "$TMP/jit2.json" "a damaged cache changes nothing"
for entry in "$TMP"/cache/*.recoup-object; do
    size=$(wc -c <"$entry")
    [ "$size" -gt 100 ] && echo "ok: $(basename "$entry") rewritten" || fail "$(basename "$entry") was not rewritten"
done

# A cache that cannot be written: the results are the same, the run
# succeeds, and stderr says why the next run will compile again (and
# nothing is said when the cache works).
grep -q "warning" "$TMP/err" && fail "a working cache gave a warning: $(cat "$TMP/err")"
: >"$TMP/not-a-folder"
"$RECOUP" compare $POLICIES --ledger "$LEDGER" --format json --threads 2 --engine jit \
    --cache-dir "$TMP/not-a-folder/cache" >"$TMP/jit3.json" 2>"$TMP/err" || fail "compare with an unwritable cache failed"
same "$TMP/interp.json" "$TMP/jit3.json" "an unwritable cache changes no result"
warnings=$(grep -c "^warning: examples/.*: the compiled policy could not be saved in the cache (cannot create $TMP/not-a-folder/cache" "$TMP/err")
[ "$warnings" -eq 3 ] && echo "ok: one cache warning per policy" || { fail "expected 3 cache warnings, found $warnings"; cat "$TMP/err"; }
"$RECOUP" explain $EXPLAIN --engine jit --cache-dir "$TMP/not-a-folder/cache" >"$TMP/explain-jit2.txt" 2>"$TMP/err"
[ $? -eq 0 ] && grep -q "^warning: examples/fees-and-interest.recoup: the compiled policy could not be saved" "$TMP/err" \
    && echo "ok: explain warns about an unwritable cache" || { fail "explain with an unwritable cache"; cat "$TMP/err"; }

"$RECOUP" check --emit=llvm examples/email-letter-call.recoup >"$TMP/llvm.txt" 2>&1 || fail "check --emit=llvm failed"
grep -q "define void @recoup_drive" "$TMP/llvm.txt" && echo "ok: --emit=llvm prints the driver" || fail "--emit=llvm has no recoup_drive"

"$RECOUP" explain $EXPLAIN --engine fast >/dev/null 2>"$TMP/err"
[ $? -eq 2 ] && grep -q "interp|jit" "$TMP/err" && echo "ok: a bad --engine is a usage error" || fail "bad --engine"

[ "$failures" -eq 0 ] || { echo "$failures failure(s)"; exit 1; }
echo "all jit engine checks passed"
