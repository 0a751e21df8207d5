#!/usr/bin/env bash
# bench/gateway/profile.sh: codecrew's instructions per gateway call, counted
# by callgrind (independent of other load on the machine, unlike wall-clock
# figures). Starts the fake upstream and `codecrew serve` under callgrind,
# warms up, zeroes the counters, sends a bounded number of calls with
# gateway_loadgen (non-streamed, then streamed), and prints instructions per
# call for each, split into the I/O threads (the call's own path) and the
# call-record writer thread (SQLite, off the path; its per-batch costs are
# spread over fewer calls at this low rate than at full load); the callgrind
# outputs are left in OUT_DIR for callgrind_annotate. Loopback only; bounded
# in requests and seconds.
# Usage: bench/gateway/profile.sh [build_dir] [out_dir]
# Env: PROFILE_CALLS (per kind, default 2000), PROFILE_RATE (default 200).
set -euo pipefail
source "$(dirname "$0")/codecrew_config.sh"
build_dir=$(cd "${1:-build/release}" && pwd)
out=${2:-$(mktemp -d)}
mkdir -p "$out"
calls=${PROFILE_CALLS:-2000}
rate=${PROFILE_RATE:-200}
codecrew="$build_dir/codecrew"
fake="$build_dir/tests/fake_upstream/fake_upstream"
loadgen="$build_dir/bench/gateway/gateway_loadgen"
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
url_from() {
  for _ in $(seq 1 600); do [ -s "$work/$1.out" ] && break; sleep 0.1; done
  grep -o 'http://[^ ]*' "$work/$1.out" | head -1
}
"$fake" --host 127.0.0.1 --port 0 --threads 1 >"$work/fake.out" 2>/dev/null &
pids+=($!)
up=$(url_from fake)
key=$("$codecrew" keys create --tenant bench --role member --data-dir "$work" 2>/dev/null | head -1)
write_codecrew_config "$work/codecrew.toml" "$up"
env -u OPENAI_API_KEY -u ANTHROPIC_API_KEY -u GEMINI_API_KEY \
  valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.%p" --dump-instr=no \
  "$codecrew" serve --host 127.0.0.1 --port 0 --data-dir "$work" --config "$work/codecrew.toml" --no-engine \
  >"$work/cc.out" 2>"$work/cc.err" &
pids+=($!)
cc_pid=$!
cc=$(url_from cc)
printf '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello"}]}' >"$work/body.json"
printf '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello"}],"stream":true}' >"$work/stream.json"
load() {  # body-file count
  "$loadgen" --url "$cc/v1/chat/completions" --body-file "$1" --header "Authorization: Bearer $key" \
    --rate "$rate" --count "$2" --connections 8 --max-seconds 120
}
dump() {  # label: dumps the counters; prints the file
  callgrind_control -d "$1" "$cc_pid" >/dev/null
  sleep 1
  ls -t "$out"/callgrind.* | head -1
}
report() {  # kind file: instructions per call, and how many the call-record writer thread took
  local total writer
  total=$(grep -m1 '^summary:\|^totals:' "$2" | awk '{print $2}')
  writer=$(callgrind_annotate --inclusive=yes --threshold=100 "$2" 2>/dev/null |
    awk '!done && /BatchedCallWriter::run\(\)/ {gsub(",", "", $1); print $1; done = 1}')
  writer=${writer:-0}
  echo "$1: $((total / calls)) instructions per call: $(((total - writer) / calls)) on the I/O threads," \
    "$((writer / calls)) writing call records ($calls calls)"
}
load "$work/body.json" 300 >/dev/null
callgrind_control -z "$cc_pid" >/dev/null
echo "whole: $(load "$work/body.json" "$calls")" >&2
report non-streamed "$(dump whole)"
callgrind_control -z "$cc_pid" >/dev/null
echo "stream: $(load "$work/stream.json" "$calls")" >&2
report streamed "$(dump stream)"
echo "callgrind outputs in $out"
