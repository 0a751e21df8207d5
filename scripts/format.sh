#!/usr/bin/env bash
# Rewrites every C/C++ file of scripts/format-files.sh (or the files named)
# in place with clang-format and the root .clang-format.
#   scripts/format.sh            every file
#   scripts/format.sh FILE...    only these
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
clang_format=${CLANG_FORMAT:-clang-format}
if ! command -v "$clang_format" >/dev/null 2>&1; then
  echo "format: $clang_format not found (scripts/install-deps.sh installs it)" >&2
  exit 2
fi
if [ $# -gt 0 ]; then
  printf '%s\n' "$@"
else
  bash scripts/format-files.sh
fi | xargs -r -d '\n' "$clang_format" --style=file -i
