#!/usr/bin/env bash
# bench/engine_compare: codecrew's workflow engine beside LangGraph.js on the
# same work (docs/bench/engine.md): a seven-step pipeline whose every step is
# one plain-text chat completion against the same fake LLM upstream.
#   codecrew             `codecrew serve` (fresh data dir, SQLite) running the
#                        crew pipeline.yaml, driven over its HTTP API by
#                        codecrew_client.mjs (server CPU from /proc/PID/stat)
#   langgraph-sqlite     langgraph_pipeline.mjs with SqliteSaver (a file)
#   langgraph-memory     the same with MemorySaver
# Each measurement is a fresh process (a fresh server and data dir, a fresh
# node process and database file) that runs 2 warm-up executions, then
# BENCH_EXECUTIONS measured ones at one concurrency; the systems alternate,
# round after round. report.mjs prints the medians over the rounds and the
# ratios codecrew/peer.
# Phase "stored" (BENCH_PHASE=stored or all): codecrew's cost per step when
# its store already holds BENCH_STORED executions (default "10 10000"): a
# real execution run by the server, copied by engine_seed_stored through the
# store library (every row the engine wrote for it, under new ids), then the
# server measured on that store. On SQLite by default; on PostgreSQL with
# BENCH_DB=postgres (a throwaway loopback server, scripts/pg-test-server.sh)
# or DATABASE_URL=postgresql://... (a server where the bench may create and
# drop databases named codecrew_bench_*).
# Loopback only; every run is bounded in executions and seconds. Figures,
# never assertions; a run where an execution did not complete with its seven
# calls fails.
# Usage: bench/engine_compare/run.sh [build_dir]
# Env: BENCH_ROUNDS (default 2), BENCH_EXECUTIONS (per measurement, default 40),
#      BENCH_CONCURRENCY (default "1 16"), BENCH_PHASE (compare | stored | all;
#      default compare), BENCH_STORED (default "10 10000"), BENCH_DB (sqlite |
#      postgres), DATABASE_URL, BENCH_STORED_EXECUTIONS (per measurement of the
#      stored phase, default BENCH_EXECUTIONS), BENCH_TIMEOUT (seconds per
#      measurement, default 300), BENCH_RESULTS (a file that keeps the
#      measurements, one JSON line each, as they come; default: a temporary one),
#      BENCH_CODECREW_BEFORE (another codecrew binary, measured beside this
#      one as "codecrew-before" in the comparison: before and after in one run).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build_dir=$(cd "${1:-build/release}" && pwd)
rounds=${BENCH_ROUNDS:-2}
executions=${BENCH_EXECUTIONS:-40}
concurrencies=${BENCH_CONCURRENCY:-"1 16"}
phase=${BENCH_PHASE:-compare}
stored_levels=${BENCH_STORED:-"10 10000"}
# Another codecrew binary (an older build) measured beside this one, as
# "codecrew-before", in the comparison phase: before and after in one run.
before=${BENCH_CODECREW_BEFORE:-}
stored_executions=${BENCH_STORED_EXECUTIONS:-$executions}
timeout_s=${BENCH_TIMEOUT:-300}
pg_url=""
case "${DATABASE_URL:-}" in postgres://* | postgresql://*) pg_url=$DATABASE_URL ;; esac
db=${BENCH_DB:-$([ -n "$pg_url" ] && echo postgres || echo sqlite)}
case $phase in compare | stored | all) ;; *) echo "BENCH_PHASE: compare, stored or all" >&2; exit 2 ;; esac

codecrew="$build_dir/codecrew"
fake="$build_dir/tests/fake_upstream/fake_upstream"
seeder="$build_dir/bench/engine_compare/engine_seed_stored"
for exe in "$codecrew" "$fake" "$seeder"; do
  [ -x "$exe" ] || { echo "missing $exe: build first (make build)"; exit 1; }
done
bash "$root/scripts/npm-ci-if-changed.sh" "$here" >&2

work=$(mktemp -d)
pids=()
pg_dir=""
pg_databases=()
export PGOPTIONS="-c client_min_messages=warning"  # psql: no notice for a database that is not there
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  for d in "${pg_databases[@]}"; do psql -q "$pg_url" -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1 || true; done
  [ -n "$pg_dir" ] && bash "$root/scripts/pg-test-server.sh" stop "$pg_dir" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

start_bg() {  # name, command...: its pid in last_pid, stdout in $work/name.out
  local name=$1; shift
  "$@" >"$work/$name.out" 2>"$work/$name.err" &
  last_pid=$!
  pids+=("$last_pid")
}
stop_bg() {  # pid
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}
url_from() {  # name: the first http:// URL its stdout prints
  for _ in $(seq 1 400); do
    grep -q 'http://' "$work/$1.out" 2>/dev/null && break
    sleep 0.05
  done
  grep -o 'http://[^ ]*' "$work/$1.out" | head -1 || { cat "$work/$1.err" >&2; return 1; }
}

start_bg fake "$fake" --host 127.0.0.1 --port 0 --threads 1
up=$(url_from fake)
fake_reset() { curl -s -o /dev/null -X POST "$up/_fake/reset"; }

mkdir -p "$work/crews"
cp "$here/pipeline.yaml" "$work/crews/"
cat >"$work/codecrew.toml" <<TOML
[log]
level = "warn"

[providers.oa]
kind = "openai"
base_url = "$up/v1"
api_key = "sk-bench-upstream-key"
models = ["gpt-4o-mini"]

[engine]
default_model = "gpt-4o-mini"
crews_dir = "$work/crews"
sandbox = "none"
TOML

# codecrew serve on a data dir (and a PostgreSQL URL, or ""): cc_url, cc_pid, cc_key.
start_codecrew() {  # data_dir database_url
  local env_db=(-u DATABASE_URL)
  [ -n "$2" ] && env_db=("DATABASE_URL=$2")
  mkdir -p "$1"
  if [ ! -s "$1/bench.key" ]; then
    env "${env_db[@]}" "$codecrew" keys create --tenant bench --role member --data-dir "$1" 2>/dev/null |
      head -1 >"$1/bench.key"
  fi
  cc_key=$(cat "$1/bench.key")
  start_bg codecrew env -u OPENAI_API_KEY -u ANTHROPIC_API_KEY -u GEMINI_API_KEY "${env_db[@]}" \
    "$codecrew" serve --host 127.0.0.1 --port 0 --data-dir "$1" --config "$work/codecrew.toml"
  cc_pid=$last_pid
  cc_url=$(url_from codecrew)
}

results=${BENCH_RESULTS:-$work/results.jsonl}
record() {  # phase round stored json
  node -e 'const [p, r, s, j] = process.argv.slice(1); console.log(JSON.stringify({phase: p, round: +r, stored: s === "" ? null : +s, ...JSON.parse(j)}))' \
    "$1" "$2" "$3" "$4" | tee -a "$results" >&2
}

measure_codecrew() {  # data_dir database_url concurrency executions label [warmup] -> JSON on stdout
  start_codecrew "$1" "$2"
  fake_reset
  timeout "$timeout_s" node "$here/codecrew_client.mjs" --url "$cc_url" --key "$cc_key" --upstream "$up" \
    --pid "$cc_pid" --executions "$4" --concurrency "$3" --label "$5" --warmup "${6:-2}"
  stop_bg "$cc_pid"
}
measure_langgraph() {  # saver concurrency executions -> JSON on stdout
  fake_reset
  rm -f "$work/lg.db"*
  timeout "$timeout_s" node "$here/langgraph_pipeline.mjs" --upstream "$up" --saver "$1" --db "$work/lg.db" \
    --executions "$3" --concurrency "$2"
}

if [ "$phase" != stored ]; then
  for r in $(seq 1 "$rounds"); do
    for c in $concurrencies; do
      echo "round $r, concurrency $c ..." >&2
      # A new data dir each time, all removed at the end: ext4 makes every
      # file created within a minute or so of many deletions cost more
      # (its inode allocator steps over recently deleted inodes), so no
      # measurement starts right after deleting the previous one's files.
      record compare "$r" "" "$(measure_codecrew "$work/cc-data-$r-$c" "" "$c" "$executions" codecrew)"
      if [ -n "$before" ]; then
        now_codecrew=$codecrew
        codecrew=$before
        record compare "$r" "" "$(measure_codecrew "$work/cc-before-$r-$c" "" "$c" "$executions" codecrew-before)"
        codecrew=$now_codecrew
      fi
      record compare "$r" "" "$(measure_langgraph sqlite "$c" "$executions")"
      record compare "$r" "" "$(measure_langgraph memory "$c" "$executions")"
    done
  done
fi

if [ "$phase" != compare ]; then
  if [ "$db" = postgres ] && [ -z "$pg_url" ]; then
    pg_dir="$work/pg"
    bash "$root/scripts/pg-test-server.sh" start "$pg_dir" >/dev/null
    pg_url=$(bash "$root/scripts/pg-test-server.sh" url "$pg_dir")
  fi
  # One store per level, each filled first, then measured alternately.
  declare -A level_url
  for k in $stored_levels; do
    dir="$work/stored-$k"
    level_url[$k]=""
    if [ "$db" = postgres ]; then
      name="codecrew_bench_${k}_$$"
      psql -q "$pg_url" -c "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null
      pg_databases+=("$name")
      level_url[$k]="${pg_url%/*}/$name"
    fi
    echo "storing $k executions ($db) ..." >&2
    # The template: one execution the server runs itself.
    measure_codecrew "$dir" "${level_url[$k]}" 1 1 template 0 >/dev/null
    if [ -n "${level_url[$k]}" ]; then
      seeded=$("$seeder" --database-url "${level_url[$k]}" --tenant bench --count "$k")
    else
      seeded=$("$seeder" --data-dir "$dir" --tenant bench --count "$k")
    fi
    echo "seeded: $seeded" >&2
  done
  # Each measurement starts from a copy of its level's store: k stored, no more.
  for r in $(seq 1 "$rounds"); do
    for k in $stored_levels; do
      for c in $concurrencies; do
        echo "stored $k, round $r, concurrency $c ..." >&2
        run_url=""
        run_dir="$work/stored-run-$r-$k-$c"
        if [ -n "${level_url[$k]}" ]; then
          run_name="codecrew_bench_run_$$"
          psql -q "$pg_url" -c "DROP DATABASE IF EXISTS $run_name" \
            -c "CREATE DATABASE $run_name TEMPLATE codecrew_bench_${k}_$$" >/dev/null
          pg_databases+=("$run_name")
          run_url="${pg_url%/*}/$run_name"
          mkdir -p "$run_dir" && cp "$work/stored-$k/bench.key" "$run_dir/"
        else
          cp -r "$work/stored-$k" "$run_dir"
        fi
        # The copy's pages reach the disk before the server starts, not
        # during its measurement (the kernel's writeback would be counted).
        sync
        record stored "$r" "$k" "$(measure_codecrew "$run_dir" "$run_url" "$c" "$stored_executions" "codecrew-$db")"
      done
    done
  done
fi

node "$here/report.mjs" "$results"
