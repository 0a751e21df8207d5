#!/usr/bin/env bash
# `make bench` entry for bench/ui: the monitor's time to first render
# (first_render.sh), only when the web UI is built.
#   bash bench/ui/run.sh [BUILD_DIR]
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
if [ ! -f "${CODECREW_WEB_DIR:-$root/web/dist}/index.html" ]; then
  echo "bench/ui: skipped, the web UI is not built (make build)"
  exit 0
fi
exec bash "$here/first_render.sh" "${1:-$root/build/release}"
