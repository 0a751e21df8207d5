# codecrew — the two commands of the quick start, and their friends.
#   make run    install what is missing, build, start the server (dev mode, 127.0.0.1:8080)
#   make test   install what is missing, build, run every test
#   make format / make format-check   rewrite / check the C++ files with clang-format
#   make fuzz   build the libFuzzer targets (preset fuzz) and run each FUZZ_SECONDS (default 60)
#   make tidy   clang-tidy (.clang-tidy) over the C++ sources (FILES="a.cpp b.cpp" for some)
PRESET ?= release
BUILD_DIR := build/$(PRESET)
JOBS ?= $(shell nproc)
FUZZ_SECONDS ?= 60

.PHONY: all deps configure build run example test bench bench-gateway bench-engine format format-check tidy fuzz fuzz-build clean

all: build

deps:
	@bash scripts/install-deps.sh

configure: deps
	@test -f $(BUILD_DIR)/build.ninja || cmake --preset $(PRESET)

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	@bash scripts/run-dev.sh $(BUILD_DIR)

# The wordcount example through every sdlc stage in the terminal, offline
# (examples/wordcount/README.md); each run gets a fresh repository under var/.
example: build
	@mkdir -p var/examples
	$(BUILD_DIR)/codecrew run "A python3 command-line program wordcount.py that counts lines, words and characters, with unit tests" \
	  --repo var/examples/wordcount-$$(date +%s) --crew sdlc --data-dir var \
	  --replay examples/wordcount/wordcount.cassette.jsonl --approve-all

# Every test of the preset's build, then each fuzz target for a few seconds
# from its seed corpus (scripts/run-tests.sh; docs/fuzzing.md).
test: build fuzz-build
	@bash scripts/run-tests.sh $(BUILD_DIR)

# The libFuzzer targets of fuzz/ (build/fuzz, clang, ASan and UBSan).
fuzz-build: deps
	@JOBS=$(JOBS) bash scripts/fuzz.sh build

fuzz: fuzz-build
	@bash scripts/fuzz.sh run $(FUZZ_SECONDS)

bench: build
	@bash scripts/run-bench.sh $(BUILD_DIR)

# The /v1 gateway beside direct calls and the Portkey gateway (bench/gateway/run.sh).
bench-gateway: build
	@bash bench/gateway/run.sh $(BUILD_DIR)

# codecrew's engine beside LangGraph.js on a 7-step pipeline, and its cost per
# step with 10 and 10,000 executions stored (bench/engine_compare/run.sh,
# docs/bench/engine.md; BENCH_PHASE=compare|stored|all).
bench-engine: build
	@bash bench/engine_compare/run.sh $(BUILD_DIR)

# clang-format over every tracked C/C++ file of src tests bench tools (less
# tests/data fixtures), with the root .clang-format.
format:
	@bash scripts/format.sh

format-check:
	@bash scripts/check-format.sh

# clang-tidy with the root .clang-tidy; configures build/tidy (file by file,
# compile_commands.json) on first use. TIDY_JOBS (default 1) files at a time.
tidy:
	@bash scripts/tidy.sh $(FILES)

clean:
	rm -rf build
