#!/usr/bin/env bash
# The libFuzzer targets of fuzz/ (docs/fuzzing.md).
#   scripts/fuzz.sh build                 configure (preset fuzz) and build them in build/fuzz
#   scripts/fuzz.sh run SECONDS [NAME...] run each target (all, or the NAMEs: http_request,
#                                         stream_openai, ...) for SECONDS from its seed corpus
# A run reads fuzz/corpus/<name>/ (committed seeds, never written) and
# build/fuzz/corpus/<name>/ (what this machine's runs found), writes new
# inputs to the latter, crashes to build/fuzz/artifacts/<name>/ and the log
# to build/fuzz/logs/<name>.log, and prints one line per target: runs,
# exec/s, cov (edges), ft (features). Exits 1 when a target crashed, leaked,
# hung or timed out. FUZZ_JOBS targets at a time (default 2), each under nice.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=build/fuzz
mode=${1:-}
shift || true

build() {
  if ! command -v clang++-14 >/dev/null 2>&1; then
    echo "fuzz: clang++-14 not found (make deps installs clang-14 and libclang-rt-14-dev)" >&2
    exit 2
  fi
  test -f "$build_dir/build.ninja" || cmake --preset fuzz >/dev/null
  cmake --build "$build_dir" --target fuzzers -j "${JOBS:-$(nproc)}"
}

all_targets() {
  for f in fuzz/*_fuzz.cpp; do basename "$f" _fuzz.cpp; done
}

# One target: run_one NAME SECONDS; prints its summary line, returns 1 on a finding.
run_one() {
  local name=$1 seconds=$2
  local bin=$build_dir/fuzz/fuzz_$name log=$build_dir/logs/$name.log
  mkdir -p "$build_dir/corpus/$name" "$build_dir/artifacts/$name" "$build_dir/logs"
  local status=0
  nice -n 10 "$bin" -max_total_time="$seconds" -print_final_stats=1 -timeout=30 -rss_limit_mb=2048 \
    -artifact_prefix="$build_dir/artifacts/$name/" "$build_dir/corpus/$name" "fuzz/corpus/$name" >"$log" 2>&1 ||
    status=$?
  local done_line execs rate
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  local cov ft
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$done_line")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$done_line")
  if [ "$status" -ne 0 ]; then
    printf 'fuzz: %-18s FAILED (exit %s), log %s\n' "$name" "$status" "$log"
    grep -E 'ERROR: |SUMMARY: |Test unit written to|^stream decoder:|^cassette:|^http fuzz:' "$log" | head -8 | sed 's/^/  /'
    return 1
  fi
  printf 'fuzz: %-18s ok  %s runs in %ss, %s exec/s, cov %s, ft %s\n' "$name" "${execs:-?}" "$seconds" \
    "${rate:-?}" "${cov:-?}" "${ft:-?}"
}

case "$mode" in
  build) build ;;
  run)
    seconds=${1:?usage: scripts/fuzz.sh run SECONDS [NAME...]}
    shift
    if [ $# -gt 0 ]; then names=("$@"); else mapfile -t names < <(all_targets); fi
    for name in "${names[@]}"; do
      if [ ! -x "$build_dir/fuzz/fuzz_$name" ]; then
        echo "fuzz: $build_dir/fuzz/fuzz_$name is not built (make fuzz-build)" >&2
        exit 2
      fi
    done
    export -f run_one
    export build_dir
    printf '%s\n' "${names[@]}" | xargs -d '\n' -P "${FUZZ_JOBS:-2}" -I{} bash -c 'run_one "$1" "$2"' _ {} "$seconds"
    ;;
  *)
    sed -n '2,11p' "$0" >&2
    exit 2
    ;;
esac
