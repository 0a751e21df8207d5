#!/usr/bin/env bash
# Runs every benchmark of a build directory, one after another, and prints
# their figures. Benchmarks report; they never pass or fail on speed.
set -uo pipefail
build_dir=${1:-build/release}
for script in bench/*/run.sh; do
  echo "=== $script"
  bash "$script" "$build_dir" || echo "($script failed with status $?)"
done
for exe in "$build_dir"/bench/*/bench_*; do
  [ -x "$exe" ] || continue
  echo "=== $exe"
  "$exe" || echo "($exe failed with status $?)"
done
