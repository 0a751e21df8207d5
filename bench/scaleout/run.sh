#!/usr/bin/env bash
# bench/scaleout: the shared job queue on a loopback PostgreSQL (started here
# by scripts/pg-test-server.sh, stopped at the end) beside SQLite.
set -euo pipefail
build_dir=${1:-build/release}
root=$(cd "$(dirname "$0")/../.." && pwd)
pg_dir=$(mktemp -d /tmp/codecrew-bench-pg.XXXXXX)
trap 'bash "$root/scripts/pg-test-server.sh" stop "$pg_dir" >/dev/null 2>&1 || true; rm -rf "$pg_dir"' EXIT
bash "$root/scripts/pg-test-server.sh" start "$pg_dir" >/dev/null
"$build_dir/bench/scaleout/queue_bench" --postgres "$(cat "$pg_dir/url")" "$@"
