#!/bin/sh
# Runs each fuzz target for a bounded time on a fresh seed corpus.
#   sh tools/fuzz/run.sh BUILD_DIR SECONDS TARGET...
# Seeds: for the policy targets examples/*.recoup, stdlib/**/*.recoup,
# tests/check/**/*.recoup and tests/fmt/*.recoup (fuzz_jit: also 64 generator
# seeds); for fuzz_ledger each folder of tests/ledgers/
# (and examples/ledgers/, when present) joined into one input. They are
# copied into a temporary folder removed afterwards: generated corpora are
# never committed. Findings go to BUILD_DIR/artifacts/; the script fails
# when a target finds a crash, a leak or a timeout.
set -eu
cd "$(dirname "$0")/../.."
build_dir=$1
seconds=$2
shift 2
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT

# One fuzz_ledger input per ledger folder: an options byte, invoices.csv,
# then each other file after a `#@file NAME` line (see fuzz_ledger.cpp).
seed_ledgers() {
    for folder in tests/ledgers/*/ examples/ledgers/*/; do
        [ -f "$folder/invoices.csv" ] || continue
        out="$1/$(echo "$folder" | tr '/' '_')"
        printf '\000' >"$out"
        cat "$folder/invoices.csv" >>"$out"
        for file in "$folder"*.csv; do
            name=$(basename "$file")
            [ "$name" = invoices.csv ] && continue
            printf '\n#@file %s\n' "$name" >>"$out"
            cat "$file" >>"$out"
        done
    done
}

seed_policies() {
    find examples stdlib tests/check tests/fmt -name '*.recoup' -type f | while read -r file; do
        cp "$file" "$1/$(echo "$file" | tr '/' '_')"
    done
}

# fuzz_jit also reads a 16-byte input as a generator seed and case
# (fuzz_jit.cpp): seed 1, cases 0 to 63, little-endian.
seed_generated() {
    i=0
    while [ $i -lt 64 ]; do
        printf "\\001\\000\\000\\000\\000\\000\\000\\000\\$(printf %03o $i)\\000\\000\\000\\000\\000\\000\\000" \
            >"$1/generated-$i"
        i=$((i + 1))
    done
}

mkdir -p "$build_dir/artifacts"
status=0
for target in "$@"; do
    mkdir -p "$corpus/$target"
    case "$target" in
        fuzz_ledger) seed_ledgers "$corpus/$target" ;;
        fuzz_jit) seed_policies "$corpus/$target"; seed_generated "$corpus/$target" ;;
        *) seed_policies "$corpus/$target" ;;
    esac
    # fuzz_jit compiles each input with LLVM: seconds on a loaded machine.
    timeout=10
    [ "$target" = fuzz_jit ] && timeout=60
    echo "fuzz: $target for ${seconds}s"
    target_status=0
    "$build_dir/$target" -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="$build_dir/artifacts/$target-" "$corpus/$target" \
        >"$build_dir/$target.log" 2>&1 || target_status=1
    grep -E '^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)' "$build_dir/$target.log" || true
    if [ "$target_status" -ne 0 ]; then
        status=1
        tail -n 60 "$build_dir/$target.log" >&2
        echo "fuzz: $target found a problem; see $build_dir/$target.log and $build_dir/artifacts/" >&2
    fi
done
exit $status
