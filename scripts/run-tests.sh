#!/usr/bin/env bash
# Runs every test of a build directory through CTest and exits non-zero when any fails.
set -euo pipefail
build_dir=${1:-build/release}
jobs=${CTEST_JOBS:-$(nproc)}
ctest --test-dir "$build_dir" --output-on-failure -j "$jobs" --timeout 300
