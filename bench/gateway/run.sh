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
#      length, RSS sampled every 10 s).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/codecrew_config.sh"
build_dir=$(cd "${1:-build/release}" && pwd)
secs=${BENCH_SECONDS:-3}
rate=${BENCH_RATE:-1000}
stream_rate=${BENCH_STREAM_RATE:-200}
token_gap_ms=${BENCH_TOKEN_GAP_MS:-1}
soak=${BENCH_SOAK_SECONDS:-0}
codecrew="$build_dir/codecrew"
fake="$build_dir/tests/fake_upstream/fake_upstream"
loadgen="$build_dir/bench/gateway/gateway_loadgen"
for exe in "$codecrew" "$fake" "$loadgen"; do
  [ -x "$exe" ] || { echo "missing $exe: build first (make build)"; exit 1; }
done
bash "$here/../../scripts/npm-ci-if-changed.sh" "$here" >&2

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
key=$("$codecrew" keys create --tenant bench --role member --data-dir "$work" 2>/dev/null | head -1)
write_codecrew_config "$work/codecrew.toml" "$up"
start_bg codecrew env -u OPENAI_API_KEY -u ANTHROPIC_API_KEY -u GEMINI_API_KEY \
  "$codecrew" serve --host 127.0.0.1 --port 0 --data-dir "$work" --config "$work/codecrew.toml"
cc_pid=${pids[-1]}
cc=$(url_from codecrew)
free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }
pk_port=$(free_port)
start_bg portkey env NODE_ENV=production node --import "$here/loopback.mjs" \
  "$here/node_modules/@portkey-ai/gateway/build/start-server.js" --port="$pk_port" --headless
pk="http://127.0.0.1:$pk_port"
wait_http "$pk/v1/models"

# Reference proxies, when installed (apt-get install nginx-light haproxy; the
# bench never installs system daemons itself): two workers each, like
# codecrew's two I/O threads on this 2-core machine; kept-alive upstream
# connections; no response buffering (nginx: proxy_buffering off; haproxy:
# option http-no-delay, without which it holds a paced stream's small chunks
# back until the end), so streams pass as they arrive.
references=()
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
if [ -x "$nginx_bin" ]; then
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
if [ -x "$haproxy_bin" ]; then
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
    codecrew) echo "$cc/v1/chat/completions" ;;
    portkey) echo "$pk/v1/chat/completions" ;;
    nginx) echo "$ng/v1/chat/completions" ;;
    haproxy) echo "$ha/v1/chat/completions" ;;
  esac
}
headers_of() {
  case $1 in
    direct | nginx | haproxy) printf '%s\n' "Authorization: Bearer sk-bench-upstream-key" ;;
    codecrew) printf '%s\n' "Authorization: Bearer $key" ;;
    portkey) printf '%s\n' "Authorization: Bearer sk-bench-upstream-key" "x-portkey-provider: openai" \
                           "x-portkey-custom-host: $up/v1" ;;
  esac
}
# The fake upstream's answer when none is scripted (fake_upstream.h); {} is its own default.
fake_default() {  # reply JSON
  curl -s -o /dev/null -X POST -H 'Content-Type: application/json' --data "$1" "$up/_fake/default"
}
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

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

results="$work/results.jsonl"
rss_start=$(rss_kb "$cc_pid")
for t in direct codecrew portkey "${references[@]}"; do
  echo "measuring $t ..." >&2
  loadgen_run "$t" "$work/body.json" "$rate" 500 >/dev/null  # warm-up
  fixed=$(loadgen_run "$t" "$work/body.json" "$rate" $((rate * secs)))
  stream=$(loadgen_run "$t" "$work/stream.json" "$stream_rate" $((stream_rate * secs)))
  fake_default "{\"chunk_delay_ms\":$token_gap_ms}"
  paced=$(loadgen_run "$t" "$work/stream.json" "$stream_rate" $((stream_rate * secs)))
  fake_default '{}'
  [ "$t" = codecrew ] && rss_before=$(rss_kb "$cc_pid")
  max=$(wrk_run "$t" "$secs")
  [ "$t" = codecrew ] && rss_after=$(rss_kb "$cc_pid")
  echo "{\"target\":\"$t\",\"fixed\":$fixed,\"stream\":$stream,\"paced\":$paced,\"max\":$max}" >>"$results"
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
echo "{\"memory\":{\"start_kb\":$rss_start,\"before_kb\":$rss_before,\"after_kb\":$rss_after,\"soak_kb\":$soak_samples},\"rate\":$rate,\"stream_rate\":$stream_rate,\"token_gap_ms\":$token_gap_ms,\"seconds\":$secs}" >>"$results"
# One streamed answer from Portkey as it arrives, for the report to explain a failure.
probe=()
while IFS= read -r h; do probe+=(-H "$h"); done < <(headers_of portkey)
curl -s -N --max-time 5 -H 'Content-Type: application/json' "${probe[@]}" --data @"$work/stream.json" \
  "$pk/v1/chat/completions" >"$work/portkey-stream.txt" 2>&1 || true
node "$here/report.mjs" "$results" "$work/portkey-stream.txt" "$work/portkey.err"
