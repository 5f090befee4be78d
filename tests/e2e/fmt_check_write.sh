#!/bin/sh
# `recoup fmt`: the formatted text on standard output; `--check` lists the
# files that would change (exit 1) or none (exit 0); `--write` rewrites only
# the files that change and never one with errors; bad usage exits 2.
# Usage: sh tests/e2e/fmt_check_write.sh path/to/recoup   (from the repository root)
set -u
RECOUP=${1:?usage: fmt_check_write.sh path/to/recoup}
failures=0
work=$(mktemp -d "${TMPDIR:-/tmp}/recoup-fmt.XXXXXX")
trap 'rm -rf "$work"' EXIT
out="$work/out"

fail() {
    echo "FAIL: $*"
    sed 's/^/    /' "$out"
    failures=$((failures + 1))
}

expect_status() {
    expected=$1
    shift
    "$RECOUP" "$@" >"$out" 2>"$out.err"
    actual=$?
    cat "$out.err" >>"$out"
    if [ "$actual" -ne "$expected" ]; then
        fail "recoup $* exited $actual, expected $expected; output:"
    else
        echo "ok: recoup $* -> $actual"
    fi
}


cat >"$work/messy.recoup" <<'POLICY'
policy   "Messy"   # the name
currency USD


at due+30d:email "overdue"
POLICY
cat >"$work/tidy.recoup" <<'POLICY'
policy "Tidy"  # the name
currency USD

at due + 30d: email "overdue"
POLICY
cat >"$work/broken.recoup" <<'POLICY'
policy   "Broken"
currency USD
at due+30d email "missing colon"
POLICY
cp "$work/broken.recoup" "$work/broken.before"
cp "$work/tidy.recoup" "$work/tidy.before"
cp "$work/messy.recoup" "$work/messy.before"

# Without flags: the formatted text, files untouched.
expect_status 0 fmt "$work/messy.recoup"
printf 'policy "Messy"  # the name\ncurrency USD\n\nat due + 30d: email "overdue"\n' >"$work/messy.expected"
if ! cmp -s "$out" "$work/messy.expected"; then fail "recoup fmt did not print the formatted text; got:"; fi
if cmp -s "$work/messy.recoup" "$work/messy.expected"; then fail "recoup fmt without --write changed the file"; fi

# --check: lists the messy file only, exit 1; exit 0 when all are formatted.
expect_status 1 fmt --check "$work/messy.recoup" "$work/tidy.recoup"
if [ "$(cat "$out")" != "$work/messy.recoup" ]; then fail "fmt --check should list exactly the messy file; got:"; fi
expect_status 0 fmt --check "$work/tidy.recoup"
if [ -s "$out" ]; then fail "fmt --check on a formatted file printed something:"; fi
expect_status 0 fmt --check examples/*.recoup stdlib/*/*.recoup

# --write: rewrites the messy file, lists it, leaves the tidy one alone
# (same inode: not even rewritten with the same bytes).
tidy_inode=$(ls -i "$work/tidy.recoup" | cut -d' ' -f1)
expect_status 0 fmt --write "$work/messy.recoup" "$work/tidy.recoup"
if [ "$(cat "$out")" != "$work/messy.recoup" ]; then fail "fmt --write should list exactly the rewritten file; got:"; fi
if ! cmp -s "$work/messy.recoup" "$work/messy.expected"; then fail "fmt --write did not rewrite the messy file"; fi
if [ "$(ls -i "$work/tidy.recoup" | cut -d' ' -f1)" != "$tidy_inode" ] || ! cmp -s "$work/tidy.recoup" "$work/tidy.before"; then
    fail "fmt --write touched a formatted file"
fi
expect_status 0 fmt --check "$work/messy.recoup"
if ls -a "$work" | grep -q 'recoup-fmt-'; then fail "fmt --write left a temporary file behind"; ls -a "$work" >"$out"; fi

# Through a symbolic link: the file it points to is rewritten, the link stays.
cp "$work/messy.before" "$work/target.recoup"
ln -s target.recoup "$work/link.recoup"
expect_status 0 fmt --write "$work/link.recoup"
if [ ! -L "$work/link.recoup" ]; then fail "fmt --write replaced a symbolic link with a file"; fi
if ! cmp -s "$work/target.recoup" "$work/messy.expected"; then fail "fmt --write did not rewrite the file behind the link"; fi

# A file with errors: diagnostics as check prints them, exit 1, never rewritten.
expect_status 1 fmt --write "$work/broken.recoup" "$work/messy.recoup"
if ! grep -q "broken.recoup:3:12: error\[E0001\]" "$out"; then fail "fmt did not print the syntax error as check does:"; fi
if ! grep -q "recoup fmt: $work/broken.recoup has errors and was not formatted" "$out"; then
    fail "fmt did not say the broken file was not formatted:"
fi
if ! cmp -s "$work/broken.recoup" "$work/broken.before"; then fail "fmt --write rewrote a file with errors"; fi
expect_status 1 fmt --check "$work/broken.recoup"
expect_status 1 fmt "$work/broken.recoup"

# Usage and I/O: exit 2.
expect_status 2 fmt --check --write "$work/messy.recoup"
expect_status 2 fmt "$work/no-such-file.recoup"
expect_status 2 fmt

if [ "$failures" -ne 0 ]; then
    echo "$failures check(s) failed"
    exit 1
fi
