#!/usr/bin/env bash
# Runs clang-tidy with the root .clang-tidy over C++ sources and exits 1 when
# it reports anything (every enabled check is treated as an error).
#   scripts/tidy.sh                every tracked src/**/*.cpp (headers under
#                                  src/ tests/ bench/ are checked through them)
#   scripts/tidy.sh FILE.cpp...    only these (tests and bench files too)
# It needs a build directory compiled file by file with compile_commands.json:
# TIDY_BUILD_DIR (default build/tidy) is configured on first use (configure
# only: the generated headers come from CMake's configure step; no
# precompiled headers, which clang cannot read from GCC). TIDY_JOBS files at a
# time (default 1: clang-tidy parses all of Boost for each file, about as
# slow as compiling it). CLANG_TIDY picks the binary (Debian 12: clang-tidy
# 14; `apt-get install clang-tidy`, not part of scripts/install-deps.sh).
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
clang_tidy=${CLANG_TIDY:-clang-tidy}
build_dir=${TIDY_BUILD_DIR:-build/tidy}
jobs=${TIDY_JOBS:-1}
if ! command -v "$clang_tidy" >/dev/null 2>&1; then
  echo "tidy: $clang_tidy not found (sudo apt-get install clang-tidy)" >&2
  exit 2
fi
if [ ! -f "$build_dir/compile_commands.json" ]; then
  echo "tidy: configuring $build_dir"
  cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCODECREW_UNITY_BUILD=OFF -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
    -DCMAKE_DISABLE_PRECOMPILE_HEADERS=ON >/dev/null
fi
if [ $# -gt 0 ]; then files=("$@"); else mapfile -t files < <(git ls-files -- 'src/*.cpp' | grep -v '_test\.cpp$'); fi

echo "tidy: ${#files[@]} files, $jobs at a time"
# GCC-only warning flags of the compile commands are unknown to clang; the
# "N warnings generated" lines count what the header filter hides.
set +e
printf '%s\n' "${files[@]}" |
  xargs -d '\n' -P "$jobs" -n 1 nice -n 10 "$clang_tidy" -p "$build_dir" --quiet --warnings-as-errors='*' \
    --extra-arg=-Wno-unknown-warning-option 2>&1 |
  { grep -vE '^[0-9]+ (warnings?|errors?)( and [0-9]+ errors?)? generated\.$' || true; }
status=${PIPESTATUS[1]}
set -e
if [ "$status" -ne 0 ]; then
  echo "tidy: findings above (clang-tidy exited non-zero)" >&2
  exit 1
fi
echo "tidy: no findings"
