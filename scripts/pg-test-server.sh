#!/usr/bin/env bash
# A throwaway PostgreSQL for the tests: its own cluster in DIR, on a free port of
# 127.0.0.1, never a shared or system instance. The CTest fixture `postgres`
# (tests/CMakeLists.txt: postgres.start, postgres.stop) runs it; the tests find
# it through tests/support/postgres_server.h.
#
#   pg-test-server.sh start DIR     initdb and start (a no-op when DIR's server runs)
#   pg-test-server.sh stop DIR      stop it and remove its data (idempotent; DIR/log stays)
#   pg-test-server.sh restart DIR   pg_ctl restart -m fast, on the same port
#   pg-test-server.sh url DIR       print the superuser's URL (fails when not running)
#
# DIR/url holds postgresql://codecrew@127.0.0.1:PORT/postgres (superuser codecrew,
# trust authentication, loopback only), DIR/port the port, DIR/log the server's
# log (the previous server's in DIR/log.previous). The cluster (data/ and the
# socket directory sock/) is DIR/server, owned by the server's user, or a
# directory under /tmp linked from there when that user cannot reach DIR or the
# socket's path would be too long. Settings trade durability for speed
# (fsync, synchronous_commit and full_page_writes off): the data is scratch.
#
# initdb refuses root: run as root, the server runs as the system user
# codecrew-pg (created when missing); otherwise as the calling user. A stale
# cluster (a server killed with SIGKILL, a postmaster.pid left behind) is
# cleared by the next start. CODECREW_PG_BINDIR overrides where the server's
# programs are (default /usr/lib/postgresql/15/bin, else the newest installed).
set -euo pipefail

readonly SERVER_OS_USER=codecrew-pg
readonly SUPERUSER=codecrew

die() {
  echo "pg-test-server: $*" >&2
  exit 1
}

usage() {
  echo "usage: $0 start|stop|restart|url DIR" >&2
  exit 2
}

[ $# -eq 2 ] || usage
cmd=$1
dir=$2
case "$cmd" in start | stop | restart | url) ;; *) usage ;; esac
[ -n "$dir" ] || usage

# The server's environment: no libpq variables of the caller, messages in C.
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGDATA PGOPTIONS PGSERVICE PGSERVICEFILE PGPASSFILE PGSSLMODE
export LC_ALL=C

find_bindir() {
  local d
  if [ -n "${CODECREW_PG_BINDIR:-}" ]; then
    [ -x "$CODECREW_PG_BINDIR/initdb" ] || die "CODECREW_PG_BINDIR=$CODECREW_PG_BINDIR has no initdb"
    echo "$CODECREW_PG_BINDIR"
    return
  fi
  for d in /usr/lib/postgresql/15/bin $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
    if [ -x "$d/initdb" ]; then
      echo "$d"
      return
    fi
  done
  die "no PostgreSQL server programs (initdb) under /usr/lib/postgresql: install the package postgresql (scripts/install-deps.sh) or set CODECREW_PG_BINDIR"
}

log_tail() {
  if [ -f "$log" ]; then
    echo "--- last lines of $log ---" >&2
    tail -n 40 "$log" >&2
    echo "---" >&2
  fi
}

fail() {
  echo "pg-test-server: $*" >&2
  log_tail
  exit 1
}

# --- the user the server runs as ---------------------------------------------

is_root() { [ "$(id -u)" -eq 0 ]; }

ensure_server_user() {
  local attempt
  for attempt in 1 2 3 4 5; do
    id -u "$SERVER_OS_USER" >/dev/null 2>&1 && return 0
    # Two runs may add the user at once: one wins, the other sees it next time.
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin \
      --user-group "$SERVER_OS_USER" >/dev/null 2>&1 || sleep 1
  done
  id -u "$SERVER_OS_USER" >/dev/null 2>&1 ||
    die "running as root, but could not create the system user $SERVER_OS_USER (useradd) to run the server as"
}

# Runs a command as the server's user, from / (the caller's directory may be
# closed to that user).
as_server() {
  if is_root; then
    (cd / && runuser -u "$SERVER_OS_USER" -- "$@")
  else
    (cd / && "$@")
  fi
}

# Closes every descriptor above 2 of the current shell, so that a server started
# from it holds neither the lock nor a pipe of whoever started the script.
close_extra_fds() {
  local fd_path fd
  for fd_path in /proc/"$BASHPID"/fd/*; do
    fd=${fd_path##*/}
    if [ "$fd" -gt 2 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi
  done
}

# --- the cluster's state -----------------------------------------------------

# The real directory of the cluster (DIR/server, or where that link points).
server_base() {
  if [ -L "$dir/server" ] || [ -d "$dir/server" ]; then
    readlink -f "$dir/server"
  fi
}

# The pid of DIR's postmaster when one runs on the data directory, else nothing.
postmaster_pid() {
  local base pid
  base=$(server_base)
  [ -n "$base" ] && [ -f "$base/data/postmaster.pid" ] || return 0
  pid=$(head -n 1 "$base/data/postmaster.pid" 2>/dev/null || true)
  [[ "$pid" =~ ^[0-9]+$ ]] || return 0
  # The pid may have been reused by another process since a crash: it must be
  # a postgres whose data directory is ours.
  if [ -r "/proc/$pid/cmdline" ] && tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qxF "$base/data"; then
    echo "$pid"
  fi
}

# Succeeds when DIR's server runs and answers on its recorded port as itself.
server_answers() {
  local base port answer
  base=$(server_base)
  [ -n "$base" ] && [ -f "$dir/port" ] && [ -f "$dir/url" ] || return 1
  [ -n "$(postmaster_pid)" ] || return 1
  port=$(cat "$dir/port")
  "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -U "$SUPERUSER" -d postgres -t 5 || return 1
  answer=$("$bindir/psql" -X -A -t -q -h 127.0.0.1 -p "$port" -U "$SUPERUSER" -d postgres \
    -c 'SHOW data_directory' 2>/dev/null) || return 1
  [ "$answer" = "$base/data" ]
}

# Kills what is left of DIR's postmaster (hung or orphaned), releases its System
# V shared memory block and removes its lock files (postmaster.pid, the
# socket's): a postmaster killed with
# SIGKILL may stay a zombie for a while, which pg_ctl and the next postmaster
# would take for a live one.
release_postmaster() {
  local base pid shm_key shm_id key_hex
  base=$(server_base)
  if [ -n "$base" ] && [ -f "$base/data/postmaster.pid" ]; then
    pid=$(postmaster_pid)
    if [ -n "$pid" ]; then
      kill -9 "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
    fi
    # Line 7 of postmaster.pid: the block's key and id. A block marked for
    # removal disappears once the last orphaned backend has left.
    read -r shm_key shm_id < <(sed -n 7p "$base/data/postmaster.pid" 2>/dev/null || true) || true
    if [[ "${shm_key:-}" =~ ^[0-9]+$ ]] && [[ "${shm_id:-}" =~ ^[0-9]+$ ]]; then
      key_hex=$(printf '0x%08x' "$shm_key")
      if ipcs -m 2>/dev/null | awk -v k="$key_hex" -v i="$shm_id" '$1 == k && $2 == i { found = 1 } END { exit !found }'; then
        ipcrm -m "$shm_id" 2>/dev/null || true
      fi
    fi
    rm -f "$base/data/postmaster.pid"
  fi
  if [ -n "$base" ] && [ -d "$base/sock" ]; then
    rm -f "$base"/sock/.s.PGSQL.*
  fi
}

# Releases DIR's postmaster and removes the cluster.
clear_cluster() {
  local base
  release_postmaster
  base=$(server_base)
  if [ -L "$dir/server" ]; then
    [ -n "$base" ] && [ "$base" != "/" ] && rm -rf "$base"
    rm -f "$dir/server"
  elif [ -d "$dir/server" ]; then
    rm -rf "$dir/server"
  fi
  rm -f "$dir/url" "$dir/port"
}

# Creates the cluster's directory: DIR/server when the server's user can reach
# it and the socket path fits (108 bytes on Linux), else a directory under /tmp.
make_server_base() {
  local base="$dir/server"
  mkdir -p "$base"
  is_root && chown "$SERVER_OS_USER:" "$base"
  chmod 700 "$base"
  if [ ${#base} -gt 80 ] || ! as_server test -w "$base" -a -x "$base"; then
    rm -rf "$base"
    base=$(mktemp -d /tmp/codecrew-pg.XXXXXX)
    is_root && chown "$SERVER_OS_USER:" "$base"
    ln -s "$base" "$dir/server"
  fi
  echo "$base"
}

# A port of 127.0.0.1 below the ephemeral range that nothing listens on; the
# start retries with another when the server cannot bind it after all.
pick_port() {
  local port used
  used=$(ss -Htln 2>/dev/null | awk '{ print $4 }' | sed 's/.*://' || true)
  for _ in $(seq 1 200); do
    port=$((15000 + (RANDOM * 32768 + RANDOM) % 17000))
    if ! grep -qxF "$port" <<<"$used" && ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  die "no free TCP port found on 127.0.0.1"
}

# Runs pg_ctl start/restart as the server's user, its output and the server's
# appended to DIR/log.
run_pg_ctl() {
  (
    close_extra_fds
    as_server "$bindir/pg_ctl" "$@" -w -t 60 -D "$base/data"
  ) </dev/null >>"$log" 2>&1
}

# --- the subcommands ---------------------------------------------------------

start() {
  if server_answers; then
    echo "pg-test-server: already running: $(cat "$dir/url")"
    return 0
  fi
  clear_cluster
  # One log per server: the previous one's stays beside it.
  if [ -f "$log" ]; then mv -f "$log" "$log.previous"; fi
  is_root && ensure_server_user
  base=$(make_server_base)
  echo "=== pg-test-server start $(date -u +%FT%TZ) in $base" >>"$log"
  as_server "$bindir/initdb" -D "$base/data" -U "$SUPERUSER" -E UTF8 --locale=C --auth=trust -N \
    >>"$log" 2>&1 || fail "initdb failed"
  mkdir -p "$base/sock"
  is_root && chown "$SERVER_OS_USER:" "$base/sock"
  chmod 700 "$base/sock"
  as_server sh -c "cat >'$base/data/pg_hba.conf'" <<'EOF'
# codecrew tests: trust on the cluster's own socket directory and on 127.0.0.1 only.
local all all              trust
host  all all 127.0.0.1/32 trust
EOF
  as_server sh -c "cat >>'$base/data/postgresql.conf'" <<EOF

# codecrew tests (scripts/pg-test-server.sh): loopback only, scratch data.
listen_addresses = '127.0.0.1'
unix_socket_directories = '$base/sock'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
include = 'codecrew_port.conf'
EOF
  local port attempt mark started=no
  for attempt in 1 2 3 4 5 6 7 8; do
    port=$(pick_port)
    as_server sh -c "echo 'port = $port' >'$base/data/codecrew_port.conf'"
    mark=$(stat -c %s "$log")
    if run_pg_ctl start; then
      started=yes
      break
    fi
    if tail -c +$((mark + 1)) "$log" | grep -q -e 'could not bind' -e 'Address already in use'; then
      echo "pg-test-server: port $port was taken, trying another" >&2
      continue
    fi
    fail "the server did not start (pg_ctl start)"
  done
  [ "$started" = yes ] || fail "the server found no free port in $attempt attempts"
  "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -U "$SUPERUSER" -d postgres -t 30 ||
    fail "the server started but does not answer on 127.0.0.1:$port"
  echo "$port" >"$dir/port"
  echo "postgresql://$SUPERUSER@127.0.0.1:$port/postgres" >"$dir/url"
  server_answers || fail "the server on 127.0.0.1:$port is not the one of $dir"
  echo "pg-test-server: started $(cat "$dir/url") (data in $base/data, log $log)"
}

stop() {
  base=$(server_base)
  if [ -n "$base" ] && [ -n "$(postmaster_pid)" ]; then
    run_pg_ctl stop -m fast || run_pg_ctl stop -m immediate || true
  fi
  clear_cluster
  echo "pg-test-server: stopped (log kept in $log)"
}

restart() {
  base=$(server_base)
  if [ -z "$base" ] || [ ! -d "$base/data" ] || [ ! -f "$dir/port" ]; then
    die "no test PostgreSQL in $dir to restart (run: $0 start $dir)"
  fi
  echo "=== pg-test-server restart $(date -u +%FT%TZ)" >>"$log"
  if [ -n "$(postmaster_pid)" ]; then
    run_pg_ctl restart -m fast || fail "pg_ctl restart failed"
  else
    # The server died (killed, crashed): start it again on its data and port.
    release_postmaster
    run_pg_ctl start || fail "the server did not start again (pg_ctl start)"
  fi
  server_answers || fail "the server did not come back on port $(cat "$dir/port")"
  echo "pg-test-server: restarted $(cat "$dir/url")"
}

url() {
  server_answers || die "no test PostgreSQL running in $dir (run: $0 start $dir)"
  cat "$dir/url"
}

if [ "$cmd" = stop ] && [ ! -d "$dir" ]; then
  echo "pg-test-server: nothing to stop in $dir"
  exit 0
fi
if [ "$cmd" = url ] || [ "$cmd" = restart ]; then
  [ -d "$dir" ] || die "no test PostgreSQL in $dir (run: $0 start $dir)"
fi
mkdir -p "$dir"
dir=$(cd "$dir" && pwd -P)
log="$dir/log"
bindir=$(find_bindir)
cd /

# One subcommand at a time per DIR (the lock is not handed to the server).
exec 9>"$dir/.lock"
flock -w 180 9 || die "$dir is locked by another pg-test-server.sh for 3 minutes"
"$cmd"
