// LlmRuntime: the LLM layer wired from configuration in one call, for the
// server, the worker and `codecrew run`: the HTTP client (with the proxy
// variables), the providers found in TOML and the environment, role
// policies, the shared rate scheduler and limits, the price table, the
// redactor (keys and configured patterns), the call recorder (the Store when
// given, else in memory), the tokenizer-backed estimator (when a rank
// directory is given), Ollama's models (discovered from its API unless
// replaying), and optionally a cassette to record to or replay from.
// Thread-safety: build once at start-up; the router it holds is thread-safe.
#pragma once

#include "core/clock.h"
#include "core/config.h"
#include "http/client/beast_http_client.h"
#include "llm/llm_config.h"
#include "llm/provider_registry.h"
#include "llm/router/router.h"
#include "store/llm_call_store.h"

#include <boost/asio/any_io_executor.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace codecrew::llm {

struct LlmRuntimeOptions {
  boost::asio::any_io_executor blocking;  // runs store writes (required with store)
  std::shared_ptr<core::Clock> clock = core::SystemClock::instance();
  std::shared_ptr<store::LlmCallStore> store;         // null: calls are kept in memory
  core::EnvMap env;                                   // provider keys, proxies
  std::optional<std::filesystem::path> tiktoken_dir;  // rank files; none: byte estimates
  std::string record_cassette;                        // non-empty: record every call there
  std::string replay_cassette;                        // non-empty: serve calls from it, no network
  bool strict_replay = false;                         // replay checks prompt hashes
  bool discover_models = true;                        // list Ollama's models at start (ollama_discovery.h)
  // The router's metrics (null: none) and the tracer of its calls' spans.
  std::shared_ptr<telemetry::Registry> metrics;
  std::shared_ptr<const telemetry::Tracer> tracer = telemetry::Tracer::off();
};

struct LlmRuntime {
  LlmConfig config;
  std::shared_ptr<http::BeastHttpClient> client;
  std::shared_ptr<ProviderRegistry> registry;
  std::shared_ptr<CallRecorder> recorder;
  std::shared_ptr<Router> router;
  std::vector<std::string> providers_found;  // describeProviders(), for the start-up log
};

// kInvalidArgument for bad configuration (naming the key), kNotFound for a
// missing cassette.
core::Result<LlmRuntime> buildLlmRuntime(const boost::json::object& document, LlmRuntimeOptions options);

}  // namespace codecrew::llm
