# The two entry points of a fresh machine: `make demo` and `make test`.
# Both install missing Debian packages, configure and build first.
BUILD_DIR ?= build
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps configure build test demo clean update-golden

all: build

deps:
	@sh tools/install-deps.sh

configure: deps
	@if [ ! -f $(BUILD_DIR)/CMakeCache.txt ]; then \
	  GEN=$$(command -v ninja >/dev/null 2>&1 && echo Ninja || echo "Unix Makefiles"); \
	  cmake -S . -B $(BUILD_DIR) -G "$$GEN" -DCMAKE_BUILD_TYPE=RelWithDebInfo; \
	fi

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# Rewrites the expected output written inside the golden test files.
update-golden: build
	@RECOUP_UPDATE_GOLDEN=1 $(BUILD_DIR)/recoup_golden_tests

demo: build
	@sh tools/demo.sh $(BUILD_DIR)/recoup

clean:
	rm -rf $(BUILD_DIR)

# Ledger loading benchmark: 1,000,000 synthetic invoices, prints MB/s and
# bytes per invoice. INVOICES=... to change the size.
INVOICES ?= 1000000
.PHONY: bench-ledger
bench-ledger: configure
	@cmake --build $(BUILD_DIR) --target recoup_bench_ledger_load -j $(JOBS)
	@$(BUILD_DIR)/recoup_bench_ledger_load $(INVOICES)

# Fuzzing with clang-14's libFuzzer in its own build folder (build-fuzz,
# -DRECOUP_FUZZ=ON: ASan + UBSan + libFuzzer, only the tools/fuzz targets).
# Each target runs FUZZ_SECONDS on a fresh corpus seeded from the examples,
# the standard library and the golden files; crashes are written to
# build-fuzz/artifacts/. See docs/reliability.md.
FUZZ_BUILD_DIR ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= fuzz_parse_check fuzz_interpret fuzz_ledger fuzz_fmt fuzz_jit
.PHONY: fuzz fuzz-build
fuzz-build:
	@sh tools/install-deps.sh fuzz
	@if [ ! -f $(FUZZ_BUILD_DIR)/CMakeCache.txt ]; then \
	  GEN=$$(command -v ninja >/dev/null 2>&1 && echo Ninja || echo "Unix Makefiles"); \
	  CC=clang-14 CXX=clang++-14 cmake -S . -B $(FUZZ_BUILD_DIR) -G "$$GEN" \
	    -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRECOUP_FUZZ=ON; \
	fi
	@cmake --build $(FUZZ_BUILD_DIR) -j $(JOBS) --target $(FUZZ_TARGETS)

fuzz: fuzz-build
	@sh tools/fuzz/run.sh $(FUZZ_BUILD_DIR) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# The whole test suite under AddressSanitizer and UndefinedBehaviorSanitizer
# in its own build folder (build-sanitize). See docs/reliability.md.
# Built at -O1 with line tables only (-g1): enough for symbolized sanitizer
# reports, and half the build time of -O2 -g (8.5 instead of 16 minutes on
# 2 cores), which keeps .ci/run near 18 minutes.
# The JIT's generated differential test runs SANITIZE_JIT_CASES cases
# there instead of 10,000 (each policy is compiled by an instrumented code
# generator; docs/reliability.md).
SANITIZE_BUILD_DIR ?= build-sanitize
SANITIZE_JIT_CASES ?= 2000
.PHONY: test-sanitize
test-sanitize: deps
	@if [ ! -f $(SANITIZE_BUILD_DIR)/CMakeCache.txt ]; then \
	  GEN=$$(command -v ninja >/dev/null 2>&1 && echo Ninja || echo "Unix Makefiles"); \
	  cmake -S . -B $(SANITIZE_BUILD_DIR) -G "$$GEN" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRECOUP_SANITIZE=ON \
	    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG"; \
	fi
	@cmake --build $(SANITIZE_BUILD_DIR) -j $(JOBS)
	@cd $(SANITIZE_BUILD_DIR) && RECOUP_JIT_GENERATED_CASES=$(SANITIZE_JIT_CASES) ctest --output-on-failure -j $(JOBS)

# Replay benchmark: a generated ledger of about 1,000,000 invoices replayed
# with the interpreter engine under tools/bench/ten-steps.recoup on one core
# and on all cores, then the reference interpreter and the engine on the
# same sample; prints invoices/s, the ratio and peak memory. INVOICES=... to
# change the size.
.PHONY: bench-replay
bench-replay: configure
	@cmake --build $(BUILD_DIR) --target recoup_bench_replay -j $(JOBS)
	@$(BUILD_DIR)/recoup_bench_replay $(INVOICES)

# JIT benchmark: on a generated ledger of about 1,000,000 invoices and the
# largest example policy, one thread's rate for the reference interpreter
# (a sample), the interpreter engine, the JIT engine and the policy written
# by hand in C++, every subject's outcome compared; then each example's
# compile latency, cold and from the object cache. INVOICES=... to change the size.
.PHONY: bench-jit
bench-jit: configure
	@cmake --build $(BUILD_DIR) --target recoup_bench_jit -j $(JOBS)
	@$(BUILD_DIR)/recoup_bench_jit $(INVOICES)

# Monte Carlo benchmark: two example policies compared over a generated
# ledger of MC_BENCH_INVOICES invoices with MC_BENCH_DRAWS draws, on one
# thread with the interpreter engine and with the JIT engine; prints
# invoice-draws/s/core and the projected time of 1M invoices x 100 draws x
# 2 policies on 2 cores. See docs/model.md, "Speed".
MC_BENCH_INVOICES ?= 100000
MC_BENCH_DRAWS ?= 100
.PHONY: bench-mc
bench-mc: configure
	@cmake --build $(BUILD_DIR) --target recoup_bench_mc -j $(JOBS)
	@$(BUILD_DIR)/recoup_bench_mc $(MC_BENCH_INVOICES) $(MC_BENCH_DRAWS)

# The differential test (docs/reliability.md) in its long mode: DIFF_CASES
# generated policies and subjects (make test runs 10,000), DIFF_SEED to
# draw other cases.
DIFF_CASES ?= 200000
DIFF_SEED ?= 20261123
.PHONY: test-differential
test-differential: build
	@RECOUP_DIFF_CASES=$(DIFF_CASES) RECOUP_DIFF_SEED=$(DIFF_SEED) $(BUILD_DIR)/recoup_unit_tests '[differential]'

# The JIT-vs-interpreter differential test on generated policies in its
# long mode: JIT_DIFF_CASES policy+subject cases (make test runs 10,000),
# JIT_DIFF_SUBJECTS subjects per generated policy, JIT_DIFF_SEED to draw
# other cases. See docs/reliability.md.
JIT_DIFF_CASES ?= 200000
JIT_DIFF_SUBJECTS ?= 40
JIT_DIFF_SEED ?= 20261124
.PHONY: test-jit-differential
test-jit-differential: build
	@RECOUP_JIT_GENERATED_CASES=$(JIT_DIFF_CASES) RECOUP_JIT_GENERATED_SUBJECTS=$(JIT_DIFF_SUBJECTS) \
	  RECOUP_JIT_GENERATED_SEED=$(JIT_DIFF_SEED) $(BUILD_DIR)/recoup_unit_tests 'jit: the JIT engine agrees*'

# Fit and Monte Carlo benchmark: fits a generated ledger of about
# 1,000,000 invoices on one core and on all cores, then simulates a policy
# over MC_INVOICES invoices with MC_DRAWS draws. See docs/model.md.
MC_INVOICES ?= 20000
MC_DRAWS ?= 10
.PHONY: bench-fit
bench-fit: configure
	@cmake --build $(BUILD_DIR) --target recoup_bench_fit -j $(JOBS)
	@$(BUILD_DIR)/recoup_bench_fit $(INVOICES) $(MC_INVOICES) $(MC_DRAWS)
