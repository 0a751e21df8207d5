#!/usr/bin/env bash
# Runs every test of a build directory through CTest, then each libFuzzer
# target of build/fuzz for FUZZ_SMOKE_SECONDS (default 3) from its seed
# corpus (docs/fuzzing.md; make test builds them first), and exits non-zero
# when any fails. FUZZ_SMOKE_SECONDS=0 skips the fuzz targets.
set -euo pipefail
build_dir=${1:-build/release}
jobs=${CTEST_JOBS:-$(nproc)}
ctest --test-dir "$build_dir" --output-on-failure -j "$jobs" --timeout 300
smoke=${FUZZ_SMOKE_SECONDS:-3}
if [ "$smoke" != 0 ]; then
  bash "$(dirname "$0")/fuzz.sh" run "$smoke"
fi
