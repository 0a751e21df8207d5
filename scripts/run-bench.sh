#!/usr/bin/env bash
# Runs every benchmark of a build directory, one after another, and prints
# their figures. Benchmarks report; they never pass or fail on speed.
# A bench/ folder with a run.sh is run through it (it starts what it needs:
# servers, node comparisons); otherwise every executable the folder built is
# run with its defaults.
set -uo pipefail
build_dir=${1:-build/release}
for dir in bench/*/; do
  name=$(basename "$dir")
  if [ -f "$dir/run.sh" ]; then
    echo "=== bench/$name/run.sh"
    bash "$dir/run.sh" "$build_dir" || echo "(bench/$name/run.sh failed with status $?)"
    continue
  fi
  for exe in "$build_dir/bench/$name"/*; do
    [ -f "$exe" ] && [ -x "$exe" ] || continue
    echo "=== $exe"
    "$exe" || echo "($exe failed with status $?)"
  done
done
