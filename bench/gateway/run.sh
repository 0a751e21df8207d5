#!/usr/bin/env bash
# bench/gateway: codecrew's /v1 gateway beside calling the upstream directly
# and beside the Portkey gateway (@portkey-ai/gateway from npm), all against
# the same fake LLM upstream, in one run; and, where Debian's nginx and haproxy
# are installed, beside those two as plain reverse proxies (no keys, no body
# parsing, no records): the least any proxy adds on this machine. Measures,
# for each:
#   - latency p50/p99 at a fixed rate (open loop, gateway_loadgen),
#   - maximum throughput (wrk, closed loop),
#   - streaming: time to the first text chunk and total time at a fixed rate,
#     twice: with the upstream writing its whole answer in one burst (a proxy
#     can only pass on what it has read, so this measures working through
#     the burst), and with its eight events BENCH_TOKEN_GAP_MS apart, as a
#     model's tokens are (this measures passing one token on),
# and codecrew's resident memory before and after the saturated run. Prints a
# table (report.mjs) with the added latency and the ratios. Loopback only;
# every run is bounded in requests and seconds. Figures, never assertions.
# Usage: bench/gateway/run.sh [build_dir]
# Env: BENCH_SECONDS (per phase, default 3), BENCH_RATE (default 1000),
#      BENCH_STREAM_RATE (default 200), BENCH_TOKEN_GAP_MS (default 1),
#      BENCH_SOAK_SECONDS (default 0: a saturated codecrew run of that
#      length, RSS sampled every 10 s),
#      BENCH_CODECREW_BEFORE (another codecrew binary, an older build,
#      served beside this one and measured as "codecrew-before"),
#      BENCH_TRACING=1 (this binary served a second time with tracing on,
#      OTEL_EXPORTER_OTLP_ENDPOINT at a fake collector (fake_otlp) on
#      loopback, measured as "codecrew-tracing"; the spans it exported and
#      dropped are read from its GET /metrics at the end),
#      BENCH_ROUNDS (default 1: every target measured that many times, the
#      codecrew variants in a rotated order each round; the report takes
#      medians), BENCH_PEERS=0 (leave out Portkey, nginx and haproxy: direct
#      and the codecrew variants only).
# The codecrew variants each have their own data directory; this binary's
# plain "codecrew" always runs with tracing off (OTEL_EXPORTER_OTLP_* unset).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/codecrew_config.sh"
build_dir=$(cd "${1:-build/release}" && pwd)
secs=${BENCH_SECONDS:-3}
rate=${BENCH_RATE:-1000}
stream_rate=${BENCH_STREAM_RATE:-200}
token_gap_ms=${BENCH_TOKEN_GAP_MS:-1}
soak=${BENCH_SOAK_SECONDS:-0}
before=${BENCH_CODECREW_BEFORE:-}
tracing=${BENCH_TRACING:-0}
rounds=${BENCH_ROUNDS:-1}
peers=${BENCH_PEERS:-1}
codecrew="$build_dir/codecrew"
fake="$build_dir/tests/fake_upstream/fake_upstream"
loadgen="$build_dir/bench/gateway/gateway_loadgen"
otlp="$build_dir/tests/fake_otlp/fake_otlp"
needed=("$codecrew" "$fake" "$loadgen")
[ -n "$before" ] && needed+=("$before")
[ "$tracing" = 1 ] && needed+=("$otlp")
for exe in "${needed[@]}"; do
  [ -x "$exe" ] || { echo "missing $exe: build first (make build)"; exit 1; }
done
[ "$peers" = 1 ] && bash "$here/../../scripts/npm-ci-if-changed.sh" "$here" >&2  # Portkey's packages

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# Starts a program in the background (its pid kept for cleanup); it prints
# its address on its first stdout line, which url_from reads.
start_bg() {  # name, command...
  local name=$1; shift
  "$@" >"$work/$name.out" 2>"$work/$name.err" &
  pids+=($!)
}
url_from() {  # name
  for _ in $(seq 1 200); do
    [ -s "$work/$1.out" ] && break
    sleep 0.05
  done
  grep -o 'http://[^ ]*' "$work/$1.out" | head -1
}
wait_http() {  # url
  for _ in $(seq 1 200); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.05
  done
  echo "nothing answers at $1" >&2
  return 1
}

start_bg fake "$fake" --host 127.0.0.1 --port 0 --threads 1
up=$(url_from fake)
write_codecrew_config "$work/codecrew.toml" "$up"
# The codecrew variants: target -> its URL, key and pid.
declare -A cc_url cc_key cc_pids
serve_codecrew() {  # target binary data_dir [VAR=value...]
  local target=$1 bin=$2 dir=$3
  shift 3
  mkdir -p "$dir"
  cc_key[$target]=$("$bin" keys create --tenant bench --role member --data-dir "$dir" 2>/dev/null | head -1)
  # Tracing off unless VAR=value turns it on (OTEL_SDK_DISABLED and
  # OTEL_TRACES_EXPORTER would turn it off).
  start_bg "$target" env -u OPENAI_API_KEY -u ANTHROPIC_API_KEY -u GEMINI_API_KEY -u OTEL_EXPORTER_OTLP_ENDPOINT \
    -u OTEL_EXPORTER_OTLP_TRACES_ENDPOINT -u OTEL_SDK_DISABLED -u OTEL_TRACES_EXPORTER "$@" \
    "$bin" serve --host 127.0.0.1 --port 0 --data-dir "$dir" --config "$work/codecrew.toml"
  cc_pids[$target]=${pids[-1]}
  cc_url[$target]=$(url_from "$target")
}
serve_codecrew codecrew "$codecrew" "$work"
variants=(codecrew)
if [ -n "$before" ]; then
  serve_codecrew codecrew-before "$before" "$work/before"
  variants+=(codecrew-before)
fi
if [ "$tracing" = 1 ]; then
  start_bg otlp "$otlp" --host 127.0.0.1 --port 0
  otlp_pid=${pids[-1]}
  collector=$(url_from otlp)
  serve_codecrew codecrew-tracing "$codecrew" "$work/tracing" OTEL_EXPORTER_OTLP_ENDPOINT="$collector" \
    CODECREW_METRICS_PUBLIC=true
  variants+=(codecrew-tracing)
fi
cc_pid=${cc_pids[codecrew]}
otlp_pid=${otlp_pid:-}
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
if [ "$peers" = 1 ]; then
  pk_port=$(free_port)
  start_bg portkey env NODE_ENV=production node --import "$here/loopback.mjs" \
    "$here/node_modules/@portkey-ai/gateway/build/start-server.js" --port="$pk_port" --headless
  pk="http://127.0.0.1:$pk_port"
  wait_http "$pk/v1/models"
fi

# Reference proxies, when installed (apt-get install nginx-light haproxy; the
# bench never installs system daemons itself): two workers each, like
# codecrew's two I/O threads on this 2-core machine; kept-alive upstream
# connections; no response buffering (nginx: proxy_buffering off; haproxy:
# option http-no-delay, without which it holds a paced stream's small chunks
# back until the end), so streams pass as they arrive.
references=()
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
if [ "$peers" = 1 ] && [ -x "$nginx_bin" ]; then
  ng_port=$(free_port)
  mkdir -p "$work/nginx"
  cat >"$work/nginx/nginx.conf" <<NGINX
worker_processes 2;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  upstream fake { server ${up#http://}; keepalive 64; }
  server {
    listen 127.0.0.1:$ng_port;
    location / { proxy_pass http://fake; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering off; }
  }
}
NGINX
  start_bg nginx "$nginx_bin" -c "$work/nginx/nginx.conf" -p "$work/nginx"
  ng="http://127.0.0.1:$ng_port"
  wait_http "$ng/v1/models" && references+=(nginx)
fi
haproxy_bin=$(command -v haproxy || echo /usr/sbin/haproxy)
if [ "$peers" = 1 ] && [ -x "$haproxy_bin" ]; then
  ha_port=$(free_port)
  cat >"$work/haproxy.cfg" <<HAPROXY
global
  nbthread 2
defaults
  mode http
  option http-keep-alive
  option http-no-delay
  timeout connect 5s
  timeout client 30s
  timeout server 30s
frontend gateway
  bind 127.0.0.1:$ha_port
  default_backend fake
backend fake
  http-reuse always
  server fake ${up#http://}
HAPROXY
  start_bg haproxy "$haproxy_bin" -f "$work/haproxy.cfg" -db
  ha="http://127.0.0.1:$ha_port"
  wait_http "$ha/v1/models" && references+=(haproxy)
fi

printf '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello"}]}' >"$work/body.json"
printf '{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello"}],"stream":true}' >"$work/stream.json"

# target name -> URL and headers
url_of() {
  case $1 in
    direct) echo "$up/v1/chat/completions" ;;
    codecrew*) echo "${cc_url[$1]}/v1/chat/completions" ;;
    portkey) echo "$pk/v1/chat/completions" ;;
    nginx) echo "$ng/v1/chat/completions" ;;
    haproxy) echo "$ha/v1/chat/completions" ;;
  esac
}
headers_of() {
  case $1 in
    direct | nginx | haproxy) printf '%s\n' "Authorization: Bearer sk-bench-upstream-key" ;;
    codecrew*) printf '%s\n' "Authorization: Bearer ${cc_key[$1]}" ;;
    portkey) printf '%s\n' "Authorization: Bearer sk-bench-upstream-key" "x-portkey-provider: openai" \
                           "x-portkey-custom-host: $up/v1" ;;
  esac
}
# The fake upstream's answer when none is scripted (fake_upstream.h); {} is its own default.
fake_default() {  # reply JSON
  curl -s -o /dev/null -X POST -H 'Content-Type: application/json' --data "$1" "$up/_fake/default"
}
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
cpu_ms() {  # pid: user and system CPU ms of the process (/proc/PID/stat, USER_HZ 100); 0 without a pid
  if [ -z "$1" ]; then echo 0; else awk '{sub(/.*\) /, ""); print ($12 + $13) * 10}' "/proc/$1/stat"; fi
}

loadgen_run() {  # target body rate count
  local args=()
  while IFS= read -r h; do args+=(--header "$h"); done < <(headers_of "$1")
  "$loadgen" --url "$(url_of "$1")" --body-file "$2" "${args[@]}" --rate "$3" --count "$4" \
    --connections 32 --max-seconds $((secs * 3 + 10))
}
wrk_run() {  # target seconds
  local args=()
  while IFS= read -r h; do args+=(-H "$h"); done < <(headers_of "$1")
  BENCH_BODY_FILE="$work/body.json" wrk -t1 -c64 -d"${2}s" --timeout 5s -s "$here/post.lua" "${args[@]}" \
    "$(url_of "$1")" 2>&1 | awk '
      /Requests\/sec/ {rps=$2}
      /Non-2xx/ {non2xx=$NF}
      /requests in/ {total=$1}
      /Socket errors/ {errors=$0}
      END {printf "{\"rps\":%s,\"requests\":%s,\"non2xx\":%s,\"socket_errors\":\"%s\"}\n", rps+0, total+0, non2xx+0, errors}'
}

# The spans the tracing variant exported and dropped (its GET /metrics), and
# those the collector took, counted after each of the variant's turns once
# its exporter has sent what it held (within its schedule delay, 5 s by
# default: no export of it falls in another target's turn); the collector's
# copies are then forgotten (it keeps every span in memory).
drain_s=$(awk -v ms="${OTEL_BSP_SCHEDULE_DELAY:-5000}" 'BEGIN {print ms / 1000 + 1}')
spans_received=0
count_spans() {
  local n
  n=$(curl -s "$collector/_fake/requests" | node -e \
    'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).requests.reduce((a,r)=>a+r.spans,0)))')
  spans_received=$((spans_received + n))
  curl -s -o /dev/null -X DELETE "$collector/spans"
}
span_counter() {  # outcome
  curl -s "${cc_url[codecrew-tracing]}/metrics" |
    awk -v o="$1" '$1 == "codecrew_trace_spans_total{outcome=\""o"\"}" {print $2; f=1} END {if (!f) print 0}'
}

results="$work/results.jsonl"
rss_start=$(rss_kb "$cc_pid")
for r in $(seq 1 "$rounds"); do
  # The codecrew variants in a rotated order each round, so none is always first.
  order=()
  for i in "${!variants[@]}"; do order+=("${variants[$(((i + r - 1) % ${#variants[@]}))]}"); done
  targets=(direct "${order[@]}")
  [ "$peers" = 1 ] && targets+=(portkey "${references[@]}")
  for t in "${targets[@]}"; do
    echo "round $r: measuring $t ..." >&2
    loadgen_run "$t" "$work/body.json" "$rate" 500 >/dev/null  # warm-up
    # CPU of the variant's server and of the collector (tracing) in the fixed-rate and saturated phases.
    server=""
    case $t in codecrew*) server=${cc_pids[$t]} ;; esac
    c0=$(cpu_ms "$server") o0=$(cpu_ms "$otlp_pid")
    fixed=$(loadgen_run "$t" "$work/body.json" "$rate" $((rate * secs)))
    c1=$(cpu_ms "$server") o1=$(cpu_ms "$otlp_pid")
    stream=$(loadgen_run "$t" "$work/stream.json" "$stream_rate" $((stream_rate * secs)))
    fake_default "{\"chunk_delay_ms\":$token_gap_ms}"
    paced=$(loadgen_run "$t" "$work/stream.json" "$stream_rate" $((stream_rate * secs)))
    fake_default '{}'
    rss=""
    case $t in codecrew*) rss_pre=$(rss_kb "${cc_pids[$t]}") ;; esac
    [ "$t" = codecrew ] && rss_before=$rss_pre
    c2=$(cpu_ms "$server") o2=$(cpu_ms "$otlp_pid")
    max=$(wrk_run "$t" "$secs")
    c3=$(cpu_ms "$server") o3=$(cpu_ms "$otlp_pid")
    cpu=""
    [ -n "$server" ] && cpu=",\"cpu_ms\":{\"fixed\":$((c1 - c0)),\"max\":$((c3 - c2))}"
    [ "$t" = codecrew-tracing ] && cpu+=",\"collector_cpu_ms\":{\"fixed\":$((o1 - o0)),\"max\":$((o3 - o2))}"
    case $t in codecrew*) rss=",\"rss_kb\":{\"before\":$rss_pre,\"after\":$(rss_kb "${cc_pids[$t]}")}" ;; esac
    [ "$t" = codecrew ] && rss_after=$(rss_kb "$cc_pid")
    if [ "$t" = codecrew-tracing ]; then
      sleep "$drain_s"
      count_spans
    fi
    echo "{\"target\":\"$t\",\"round\":$r,\"fixed\":$fixed,\"stream\":$stream,\"paced\":$paced,\"max\":$max$rss$cpu}" >>"$results"
  done
done
soak_samples="[]"
if [ "$soak" -gt 0 ]; then
  samples=()
  for _ in $(seq 1 $(( (soak + 9) / 10 ))); do
    wrk_run codecrew 10 >/dev/null
    samples+=("$(rss_kb "$cc_pid")")
  done
  soak_samples="[$(IFS=,; echo "${samples[*]}")]"
fi
spans=""
if [ "$tracing" = 1 ]; then
  spans=",\"spans\":{\"exported\":$(span_counter exported),\"dropped\":$(span_counter dropped),\"received\":$spans_received}"
fi
echo "{\"memory\":{\"start_kb\":$rss_start,\"before_kb\":$rss_before,\"after_kb\":$rss_after,\"soak_kb\":$soak_samples},\"rate\":$rate,\"stream_rate\":$stream_rate,\"token_gap_ms\":$token_gap_ms,\"seconds\":$secs,\"rounds\":$rounds$spans}" >>"$results"
# One streamed answer from Portkey as it arrives, for the report to explain a failure.
: >"$work/portkey-stream.txt"
if [ "$peers" = 1 ]; then
  probe=()
  while IFS= read -r h; do probe+=(-H "$h"); done < <(headers_of portkey)
  curl -s -N --max-time 5 -H 'Content-Type: application/json' "${probe[@]}" --data @"$work/stream.json" \
    "$pk/v1/chat/completions" >"$work/portkey-stream.txt" 2>&1 || true
fi
node "$here/report.mjs" "$results" "$work/portkey-stream.txt" "$work/portkey.err"
