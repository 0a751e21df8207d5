#!/usr/bin/env bash
# Installs a folder's node_modules from its committed package-lock.json with
# `npm ci`, only when node_modules was not already installed from that exact
# lockfile (a sha256 stamp). Needs the npm registry the first time.
#   scripts/npm-ci-if-changed.sh DIR
set -euo pipefail
cd "${1:?usage: npm-ci-if-changed.sh DIR}"
stamp=node_modules/.codecrew-lock.sha256
want=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
echo "$want" >"$stamp"
