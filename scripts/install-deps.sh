#!/usr/bin/env bash
# Installs every Debian 12 package that codecrew's build, tests and run need.
# Idempotent: packages already present are skipped; runs as root or through sudo.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git patch curl ca-certificates
  clang-format
  clang-14 libclang-rt-14-dev
  libboost1.81-dev libssl-dev libsqlite3-dev sqlite3 libpq-dev
  libspdlog-dev libfmt-dev libcli11-dev libtomlplusplus-dev libyaml-cpp-dev
  libvalijson-dev libgit2-dev libhnswlib-dev libxxhash-dev libre2-dev libicu-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  bubblewrap universal-ctags ripgrep wrk python3
  postgresql redis-server
  prometheus
  chromium
)
# prometheus is here for promtool (tests/deploy: the alert rules and the
# dashboard's queries); nothing runs the server. In a container its install
# starts none: the package's invoke-rc.d call obeys the container's
# policy-rc.d (exit 101, no start) and, without one, blocks a start when
# there is no /sbin/init. On a host booted with systemd, see the end.
# Node 20 with its own npm may already come from another source; Debian's npm
# conflicts with that nodejs, so only ask for Debian's when node is absent.
if ! command -v npm >/dev/null 2>&1; then PACKAGES+=(nodejs npm); fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
# A prometheus installed just now, on a host running systemd, was enabled and
# started by its package: only promtool is wanted, so stop and disable that
# server (one installed before this script ran is left as it was).
if [[ " ${missing[*]} " == *" prometheus "* ]] && [ -d /run/systemd/system ]; then
  $SUDO systemctl disable --now prometheus.service >/dev/null 2>&1 || true
fi
