#!/usr/bin/env bash
# Tokenizer throughput in one run: codecrew's C++ tokenizer (tokenizer_bench)
# against js-tiktoken, tiktoken (wasm) and gpt-tokenizer from npm, on the same
# corpus, with identical token counts checked. Prints figures; never fails on speed.
#   bash bench/tokenizer/run.sh [build dir, default build/release]
# The corpus: tests/data/tokenizer/corpus/* plus, when present on the machine,
# the GPL-3/Apache-2.0 licence texts and libstdc++ headers (prose and code),
# about 2 MB in all.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
build_dir="$(cd "${1:-$root/build/release}" && pwd)"
bench_exe="$build_dir/bench/tokenizer/tokenizer_bench"
work="$build_dir/bench/tokenizer/work"
mkdir -p "$work"
if [ ! -x "$bench_exe" ]; then
  echo "build the target tokenizer_bench in $build_dir first" >&2
  exit 2
fi

corpus="$work/corpus.txt"
{
  cat "$root"/tests/data/tokenizer/corpus/*
  for f in /usr/share/common-licenses/GPL-3 /usr/share/common-licenses/Apache-2.0; do
    [ -f "$f" ] && cat "$f"
  done
  find /usr/include/c++ -path '*/bits/*.h' -size -200k 2>/dev/null | sort | head -n 120 | xargs -r cat
} > "$work/corpus.all"
head -c 2000000 "$work/corpus.all" | iconv -f utf-8 -t utf-8 -c > "$corpus"

for f in package.json package-lock.json bench.mjs compare.mjs; do cp "$here/$f" "$work/$f"; done
if ! cmp -s "$work/package-lock.json" "$work/node_modules/.codecrew-installed-lock" 2>/dev/null; then
  (cd "$work" && npm ci --no-audit --no-fund --loglevel=error && cp package-lock.json node_modules/.codecrew-installed-lock)
fi

TOKENIZER_BENCH_CORPUS="$corpus" "$bench_exe" --benchmark_min_time=2 \
  --benchmark_out="$work/cpp.json" --benchmark_out_format=json >/dev/null
(cd "$work" && node bench.mjs "$corpus" 3 > js.json)
node "$work/compare.mjs" "$work/cpp.json" "$work/js.json"
