# Sourced by run.sh and profile.sh: the codecrew.toml both benchmarks serve
# with (one OpenAI-kind provider at the fake upstream, no retries, warn logs).
# write_codecrew_config FILE UPSTREAM_URL (BENCH_EXTRA_TOML, if set, is appended)
write_codecrew_config() {
  cat >"$1" <<TOML
[log]
level = "warn"

[providers.oa]
kind = "openai"
base_url = "$2/v1"
api_key = "sk-bench-upstream-key"
models = ["gpt-4o-mini"]

[roles.gateway]
max_attempts = 1
${BENCH_EXTRA_TOML:-}
TOML
}
