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
