#!/usr/bin/env bash
# bench/scaleout: on a loopback PostgreSQL (started here by
# scripts/pg-test-server.sh, stopped at the end): the shared job queue beside
# SQLite (queue_bench), the event delay across processes and the takeover
# time with real API node and worker processes (nodes.py), and crew steps per
# second on both stores (bench/engine).
set -euo pipefail
build_dir=${1:-build/release}
root=$(cd "$(dirname "$0")/../.." && pwd)
pg_dir=$(mktemp -d /tmp/codecrew-bench-pg.XXXXXX)
trap 'bash "$root/scripts/pg-test-server.sh" stop "$pg_dir" >/dev/null 2>&1 || true; rm -rf "$pg_dir"' EXIT
bash "$root/scripts/pg-test-server.sh" start "$pg_dir" >/dev/null
url=$(cat "$pg_dir/url")
"$build_dir/bench/scaleout/queue_bench" --postgres "$url" "$@"
python3 "$root/bench/scaleout/nodes.py" "$build_dir" "$url"
echo "crew steps per second, SQLite beside PostgreSQL (bench/engine, one run):"
CODECREW_BENCH_POSTGRES_URL=$url "$build_dir/bench/engine/engine_bench" --benchmark_filter=BM_AgentSteps
