#!/usr/bin/env bash
# Time to first render of the web UI's execution monitor with a finished
# 200-call execution: seeds one into a temporary data directory
# (seed_execution), serves it (`codecrew serve --dev --no-engine --port 0`),
# and opens /#/workflows/W/executions/E in Debian's chromium RUNS times
# (first_render.mjs), from navigation start until the monitor says it has
# rendered its initial data ([data-testid="monitor"][data-ready="true"]).
# Prints every run, the median and p90, and the UI's bundle size. Reports;
# never fails on speed.
#   bash bench/ui/first_render.sh [BUILD_DIR (build/release)] [RUNS (10)] [CALLS (200)]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build_dir="$(cd "${1:-$root/build/release}" && pwd)"
runs="${2:-10}"
calls="${3:-200}"
web_dir="${CODECREW_WEB_DIR:-$root/web/dist}"
seed="$build_dir/bench/ui/seed_execution"

if [ ! -f "$web_dir/index.html" ]; then
  echo "first_render: the web UI is not built ($web_dir/index.html is missing): run make build" >&2
  exit 2
fi
if [ ! -x "$seed" ]; then
  echo "first_render: build the target seed_execution in $build_dir first" >&2
  exit 2
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "first_render: /usr/bin/chromium is missing: run scripts/install-deps.sh" >&2
  exit 2
fi

tmp="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT

ids="$("$seed" --data-dir "$tmp/data" --calls "$calls")"
workflow="$(node -e 'console.log(JSON.parse(process.argv[1]).workflow_id)' "$ids")"
execution="$(node -e 'console.log(JSON.parse(process.argv[1]).execution_id)' "$ids")"
echo "seeded: $ids"

CODECREW_WEB_DIR="$web_dir" CODECREW_LOG_LEVEL=warn \
  "$build_dir/codecrew" serve --dev --no-engine --port 0 --data-dir "$tmp/data" >"$tmp/out" 2>"$tmp/err" &
server_pid=$!
address=""
for _ in $(seq 1 200); do
  address="$(sed -n 's/^codecrew listening on \(http:[^ ]*\).*/\1/p' "$tmp/out" | head -n 1)"
  [ -n "$address" ] && break
  if ! kill -0 "$server_pid" 2>/dev/null; then cat "$tmp/err" >&2; exit 1; fi
  sleep 0.05
done
if [ -z "$address" ]; then echo "first_render: the server did not start" >&2; cat "$tmp/err" >&2; exit 1; fi

node "$here/first_render.mjs" "$address/#/workflows/$workflow/executions/$execution" "$runs"

# The bundle the page loads: every file under assets/, raw and gzipped.
raw=0
gz=0
for f in "$web_dir"/assets/*; do
  [ -f "$f" ] || continue
  raw=$((raw + $(stat -c %s "$f")))
  gz=$((gz + $(gzip -9 -c "$f" | wc -c)))
done
echo "bundle (web/dist/assets): $((raw / 1024)) KiB, $((gz / 1024)) KiB gzipped"
