#!/usr/bin/env bash
# Produces <out dir>/cl100k_base.tiktoken and <out dir>/o200k_base.tiktoken from
# the npm package js-tiktoken (pinned by tools/tiktoken/package-lock.json),
# checked against tiktoken's published SHA-256 hashes. Only the npm registry is
# contacted. Run by CMake (target tiktoken_ranks); also usable by hand:
#   scripts/fetch-tiktoken-ranks.sh <work dir> <out dir>
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: $0 <work dir for node_modules> <output dir>" >&2
  exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$1"
out="$2"
mkdir -p "$work" "$out"
for f in package.json package-lock.json convert-ranks.mjs; do
  cp "$here/tools/tiktoken/$f" "$work/$f"
done
cd "$work"
if ! cmp -s package-lock.json node_modules/.codecrew-installed-lock 2>/dev/null; then
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json node_modules/.codecrew-installed-lock
fi
node convert-ranks.mjs "$out"
