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
#      one as "codecrew-before" in the comparison: before and after in one run),
#      BENCH_TRACING=1 (this binary measured a second time in the comparison
#      with tracing on, as "codecrew-tracing": OTEL_EXPORTER_OTLP_ENDPOINT at
#      a fake collector (fake_otlp) on loopback; after each such measurement
#      its GET /metrics is read for codecrew_trace_spans_total, and after the
#      server stops (its exporter flushed) the spans the collector took are
#      counted), BENCH_LANGGRAPH=0 (leave LangGraph out of the comparison:
#      the codecrew variants only).
# The codecrew variants take turns in a rotated order each round; every one
# but codecrew-tracing runs with OTEL_EXPORTER_OTLP_* unset (tracing off).
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
tracing=${BENCH_TRACING:-0}
langgraph=${BENCH_LANGGRAPH:-1}
stored_executions=${BENCH_STORED_EXECUTIONS:-$executions}
timeout_s=${BENCH_TIMEOUT:-300}
pg_url=""
case "${DATABASE_URL:-}" in postgres://* | postgresql://*) pg_url=$DATABASE_URL ;; esac
db=${BENCH_DB:-$([ -n "$pg_url" ] && echo postgres || echo sqlite)}
case $phase in compare | stored | all) ;; *) echo "BENCH_PHASE: compare, stored or all" >&2; exit 2 ;; esac

codecrew="$build_dir/codecrew"
fake="$build_dir/tests/fake_upstream/fake_upstream"
seeder="$build_dir/bench/engine_compare/engine_seed_stored"
otlp="$build_dir/tests/fake_otlp/fake_otlp"
needed=("$codecrew" "$fake" "$seeder")
[ -n "$before" ] && needed+=("$before")
[ "$tracing" = 1 ] && needed+=("$otlp")
for exe in "${needed[@]}"; do
  [ -x "$exe" ] || { echo "missing $exe: build first (make build)"; exit 1; }
done
[ "$langgraph" = 1 ] && bash "$root/scripts/npm-ci-if-changed.sh" "$here" >&2  # LangGraph's packages

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
collector=""
if [ "$tracing" = 1 ]; then
  start_bg otlp "$otlp" --host 127.0.0.1 --port 0
  collector=$(url_from otlp)
fi

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
  # Tracing off unless cc_env turns it on (OTEL_SDK_DISABLED and
  # OTEL_TRACES_EXPORTER would turn it off).
  start_bg codecrew env -u OPENAI_API_KEY -u ANTHROPIC_API_KEY -u GEMINI_API_KEY -u OTEL_EXPORTER_OTLP_ENDPOINT \
    -u OTEL_EXPORTER_OTLP_TRACES_ENDPOINT -u OTEL_SDK_DISABLED -u OTEL_TRACES_EXPORTER "${env_db[@]}" "${cc_env[@]}" \
    "$codecrew" serve --host 127.0.0.1 --port 0 --data-dir "$1" --config "$work/codecrew.toml"
  cc_pid=$last_pid
  cc_url=$(url_from codecrew)
}

results=${BENCH_RESULTS:-$work/results.jsonl}
record() {  # phase round stored json
  node -e 'const [p, r, s, j] = process.argv.slice(1); console.log(JSON.stringify({phase: p, round: +r, stored: s === "" ? null : +s, ...JSON.parse(j)}))' \
    "$1" "$2" "$3" "$4" | tee -a "$results" >&2
}

# Extra environment of the codecrew server start_codecrew starts (VAR=value only).
cc_env=()
measure_codecrew() {  # data_dir database_url concurrency executions label [warmup] -> JSON on stdout
  start_codecrew "$1" "$2"
  fake_reset
  timeout "$timeout_s" node "$here/codecrew_client.mjs" --url "$cc_url" --key "$cc_key" --upstream "$up" \
    --pid "$cc_pid" --executions "$4" --concurrency "$3" --label "$5" --warmup "${6:-2}"
  stop_bg "$cc_pid"
}
# The spans a tracing server's exporter reports (GET /metrics, read after the
# measured window): codecrew_trace_spans_total{outcome}.
span_counter() {  # metrics_text outcome
  awk -v o="$2" '$1 == "codecrew_trace_spans_total{outcome=\""o"\"}" {print $2; f=1} END {if (!f) print 0}' <<<"$1"
}
# The spans the collector took since the last call (it then forgets them).
collector_spans() {
  curl -s "$collector/_fake/requests" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).requests.reduce((a,r)=>a+r.spans,0)))'
  curl -s -o /dev/null -X DELETE "$collector/spans"
}
cpu_ms() {  # pid: "user system" CPU ms of the process (utime and stime of /proc/PID/stat, USER_HZ 100)
  awk '{sub(/.*\) /, ""); print $12 * 10, $13 * 10}' "/proc/$1/stat"
}
# The exporter sends what it holds when its schedule delay (5 s by default)
# passes: the spans of a measurement's last steps leave after it.
drain_s=$(awk -v ms="${OTEL_BSP_SCHEDULE_DELAY:-5000}" 'BEGIN {print ms / 1000 + 1}')
# This binary with tracing on: measure_codecrew's JSON with the CPU its server
# used in drain_s after the measurement added to cpu_*_ms (the export of the
# last spans; also given alone as drain_cpu_*_ms), the spans its exporter had
# exported and dropped then (GET /metrics), and the spans the collector took
# once the server stopped (its exporter flushes on SIGTERM).
measure_codecrew_tracing() {  # data_dir concurrency executions -> JSON on stdout
  local out metrics cpu0 cpu1
  cc_env=(OTEL_EXPORTER_OTLP_ENDPOINT="$collector" CODECREW_METRICS_PUBLIC=true)
  start_codecrew "$1" ""
  cc_env=()
  collector_spans >/dev/null
  fake_reset
  out=$(timeout "$timeout_s" node "$here/codecrew_client.mjs" --url "$cc_url" --key "$cc_key" --upstream "$up" \
    --pid "$cc_pid" --executions "$3" --concurrency "$2" --label codecrew-tracing --warmup 2)
  cpu0=$(cpu_ms "$cc_pid")
  sleep "$drain_s"
  cpu1=$(cpu_ms "$cc_pid")
  metrics=$(curl -s "$cc_url/metrics")
  stop_bg "$cc_pid"
  node -e '
    const [j, c0, c1, e, d, r] = process.argv.slice(1);
    const [u0, s0] = c0.split(" ").map(Number);
    const [u1, s1] = c1.split(" ").map(Number);
    const m = JSON.parse(j);
    console.log(JSON.stringify({...m, cpu_user_ms: m.cpu_user_ms + u1 - u0, cpu_sys_ms: m.cpu_sys_ms + s1 - s0,
      drain_cpu_user_ms: u1 - u0, drain_cpu_sys_ms: s1 - s0, spans_exported: +e, spans_dropped: +d, spans_received: +r}));' \
    "$out" "$cpu0" "$cpu1" "$(span_counter "$metrics" exported)" "$(span_counter "$metrics" dropped)" "$(collector_spans)"
}
measure_langgraph() {  # saver concurrency executions -> JSON on stdout
  fake_reset
  rm -f "$work/lg.db"*
  timeout "$timeout_s" node "$here/langgraph_pipeline.mjs" --upstream "$up" --saver "$1" --db "$work/lg.db" \
    --executions "$3" --concurrency "$2"
}

variants=(codecrew)
[ -n "$before" ] && variants+=(codecrew-before)
[ "$tracing" = 1 ] && variants+=(codecrew-tracing)
if [ "$phase" != stored ]; then
  for r in $(seq 1 "$rounds"); do
    for c in $concurrencies; do
      echo "round $r, concurrency $c ..." >&2
      # A new data dir each time, all removed at the end: ext4 makes every
      # file created within a minute or so of many deletions cost more
      # (its inode allocator steps over recently deleted inodes), so no
      # measurement starts right after deleting the previous one's files.
      # The codecrew variants, rotated one place each round.
      for i in "${!variants[@]}"; do
        case ${variants[$(((i + r - 1) % ${#variants[@]}))]} in
          codecrew)
            record compare "$r" "" "$(measure_codecrew "$work/cc-data-$r-$c" "" "$c" "$executions" codecrew)" ;;
          codecrew-before)
            now_codecrew=$codecrew
            codecrew=$before
            record compare "$r" "" "$(measure_codecrew "$work/cc-before-$r-$c" "" "$c" "$executions" codecrew-before)"
            codecrew=$now_codecrew ;;
          codecrew-tracing)
            record compare "$r" "" "$(measure_codecrew_tracing "$work/cc-tracing-$r-$c" "$c" "$executions")" ;;
        esac
      done
      if [ "$langgraph" = 1 ]; then
        record compare "$r" "" "$(measure_langgraph sqlite "$c" "$executions")"
        record compare "$r" "" "$(measure_langgraph memory "$c" "$executions")"
      fi
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
