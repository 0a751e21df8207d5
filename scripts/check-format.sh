#!/usr/bin/env bash
# Checks that every C/C++ file of scripts/format-files.sh is as clang-format
# (.clang-format at the root) would write it. Prints each offending file and
# exits 1 when there is one; exits 2 when clang-format is missing or fails.
# Changes nothing: scripts/format.sh (make format) rewrites the files.
#   scripts/check-format.sh            every file
#   scripts/check-format.sh FILE...    only these
# CLANG_FORMAT picks the binary (default clang-format: Debian 12's is 14.0.6;
# another major version may format some lines differently).
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
clang_format=${CLANG_FORMAT:-clang-format}
if ! command -v "$clang_format" >/dev/null 2>&1; then
  echo "check-format: $clang_format not found (scripts/install-deps.sh installs it)" >&2
  exit 2
fi
if [ $# -gt 0 ]; then files=("$@"); else mapfile -t files < <(bash scripts/format-files.sh); fi
[ ${#files[@]} -gt 0 ] || { echo "check-format: no files"; exit 0; }

# One clang-format per batch of files; each unformatted place is reported as
# "FILE:LINE:COL: error: code should be clang-formatted [...]".
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
printf '%s\n' "${files[@]}" |
  xargs -d '\n' "$clang_format" --style=file --dry-run --Werror >/dev/null 2>"$log" || status=$?
mapfile -t bad < <(sed -nE 's/^(.+):[0-9]+:[0-9]+: error: code should be clang-formatted.*/\1/p' "$log" | uniq)
if [ ${#bad[@]} -gt 0 ]; then
  echo "check-format: ${#bad[@]} of ${#files[@]} files are not formatted (make format rewrites them):" >&2
  printf '  %s\n' "${bad[@]}" >&2
  exit 1
fi
if [ "$status" -ne 0 ]; then
  echo "check-format: $clang_format failed:" >&2
  cat "$log" >&2
  exit 2
fi
echo "check-format: all ${#files[@]} files are formatted"
