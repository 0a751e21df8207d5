#!/usr/bin/env bash
# Server figures for the foundation: time from process start to the first 200
# on /health, and requests per second under wrk for GET /health and
# GET /workflows (100 rows). Loopback only; bounded runs.
# Usage: bench/server/run.sh [build_dir] [seconds]
set -euo pipefail
build_dir=${1:-build/release}
secs=${2:-10}
bin="$build_dir/codecrew"
data=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$data"' EXIT

start_ns=$(date +%s%N)
"$bin" serve --dev --port 0 --data-dir "$data" >"$data/out" 2>"$data/err" &
pid=$!
until [ -s "$data/out" ]; do sleep 0.001; done
port=$(head -1 "$data/out" | sed 's/.*://')
until curl -sf "http://127.0.0.1:$port/health" >/dev/null; do sleep 0.001; done
ready_ns=$(date +%s%N)
echo "start to first 200 on /health: $(( (ready_ns - start_ns) / 1000000 )) ms"

for i in $(seq 1 100); do
  curl -sf -XPOST "http://127.0.0.1:$port/workflows" -H 'content-type: application/json' \
       -d "{\"name\":\"bench workflow $i\",\"description\":\"seeded for the benchmark\"}" >/dev/null
done

echo "binary size: $(du -h "$bin" | cut -f1) ($(stat -c %s "$bin") bytes)"
for path in /health "/workflows?page_size=100"; do
  echo "--- wrk -t1 -c64 -d${secs}s GET $path"
  wrk -t1 -c64 -d"${secs}s" --latency "http://127.0.0.1:$port$path" | grep -E "Requests/sec|Latency|50%|99%|Non-2xx" || true
done
