#!/usr/bin/env bash
# `make run`: codecrew serve in dev mode (loopback, no API keys) with SQLite
# under ./var. When no model provider is configured (no provider key in the
# environment, no [providers.*] in ./codecrew.toml), every model call is served
# from the wordcount example's hand-written cassette, so the whole flow (plan,
# design, build, test, review, deploy, with its approval gates) can be watched
# without a key; the server says so at start. CODECREW_REPLAY=FILE picks
# another cassette; CODECREW_REPLAY=none turns this off.
set -euo pipefail
build_dir=${1:-build/release}
mkdir -p var
args=(serve --dev --data-dir var)
has_provider=false
for v in OPENAI_API_KEY ANTHROPIC_API_KEY GEMINI_API_KEY GROQ_API_KEY OPENROUTER_API_KEY AZURE_OPENAI_API_KEY OLLAMA_HOST; do
  if [ -n "${!v:-}" ]; then has_provider=true; fi
done
if [ -f codecrew.toml ] && grep -q '^\[providers\.' codecrew.toml; then has_provider=true; fi
replay=${CODECREW_REPLAY:-}
if [ -z "$replay" ] && [ "$has_provider" = false ]; then
  replay=examples/wordcount/wordcount.cassette.jsonl
  echo "make run: no model provider configured; every model call replays $replay" \
       "(set OPENAI_API_KEY or another provider's key for real models)" >&2
fi
if [ -n "$replay" ] && [ "$replay" != none ]; then args+=(--replay "$replay"); fi
exec "$build_dir/codecrew" "${args[@]}"
