// Gateway: the model endpoint behind /v1 for OpenAI and Anthropic clients.
// A call arrives in a Dialect (OpenAI chat completions, OpenAI responses or
// Anthropic messages), is checked against the caller's key limits, routed through the
// LLM router (fallbacks, retries, breaker, provider rate limits) to a model
// of any configured provider, and answered in the caller's dialect, whole or
// streamed. Streamed deltas are written to the client as they arrive; a
// client that disconnects cancels the upstream request. Every attempt is
// recorded as an LlmCall attributed to the caller's key, off the hot path
// (see call_writer.h).
// Thread-safety: every method may be called from any thread; serveChat()
// returns at once and finishes the response on the executor it was given
// (the caller's connection's I/O thread) or else the gateway's own.
#pragma once

#include "core/clock.h"
#include "gateway/call_writer.h"
#include "gateway/dialect.h"
#include "gateway/gateway_config.h"
#include "gateway/key_limiter.h"
#include "gateway/response_memory.h"
#include "gateway/upstream_models.h"
#include "http/client/http_client.h"
#include "http/router.h"
#include "llm/llm_runtime.h"
#include "llm/provider_registry.h"
#include "llm/router/router.h"
#include "store/llm_call_store.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace codecrew::gateway {

struct GatewayDeps {
  std::shared_ptr<llm::Router> router;
  std::shared_ptr<llm::ProviderRegistry> registry;
  std::shared_ptr<KeyLimiter> limiter;
  std::shared_ptr<BatchedCallWriter> writer;  // may be null: records go to the router's recorder alone
  std::shared_ptr<core::Clock> clock;
  boost::asio::any_io_executor io;  // runs the calls
  // For POST /v1/messages/count_tokens: the client that forwards it to an
  // Anthropic provider (null: never forwarded), the providers' endpoints,
  // and the estimator that counts for the other providers.
  std::shared_ptr<http::HttpClient> client;
  std::vector<llm::ProviderConfig> providers;
  llm::TokenEstimator estimator = llm::roughTokenEstimate;
  // codecrew_budget_exhausted_total{scope="gateway"}: calls refused on a key's budget (null: not counted).
  telemetry::Counter* budget_exhausted = nullptr;
};

class Gateway {
 public:
  Gateway(GatewayDeps deps, GatewayConfig config);

  // The configured models and aliases, as a list both SDKs read:
  // {"object": "list", "data": [{"id", "object": "model", "type": "model",
  //  "created", "owned_by", "display_name"}], "has_more", "first_id", "last_id"}.
  boost::json::object models() const;
  // The same list with, after the configured ones, the models the
  // providers' own list endpoints name (upstream_models.h; unless [gateway]
  // discover_models = false), each once: by its bare id when that id reaches
  // its provider, else as "<provider>/<model>", which does.
  boost::asio::awaitable<boost::json::object> listModels();

  // Serves one call: parses body in the dialect, admits it under the
  // caller's limits and answers on `out` (errors too, in the dialect's shape).
  // May block briefly on the store the first time a key is seen.
  // The call runs on `io` (the connection's thread, so that it never changes
  // threads); empty: on GatewayDeps::io.
  void serveChat(std::shared_ptr<const Dialect> dialect, const Caller& caller, std::string_view body,
                 std::shared_ptr<http::ResponseStream> out, boost::asio::any_io_executor io = {});

  // Serves one POST /v1/embeddings call (OpenAI's shape): the same key
  // limits and call records as chat; a model whose provider has no
  // embeddings API is refused (400) before any upstream call.
  void serveEmbeddings(const Caller& caller, std::string_view body, std::shared_ptr<http::ResponseStream> out,
                       boost::asio::any_io_executor io = {});

  // POST /v1/messages/count_tokens (Anthropic's shape, answered in it):
  // {"input_tokens": n}. A model of an Anthropic provider is asked the
  // provider's own count (its answer, or its error, passed on); any other
  // model gets the estimator's count of the same request. Not a model call:
  // nothing is recorded or charged.
  void serveCountTokens(const Caller& caller, std::string_view body, std::shared_ptr<http::ResponseStream> out,
                        boost::asio::any_io_executor io = {});

  // The Responses API's conversation (ParsedCall::previous_response_id,
  // instructions): puts the conversation kept under previous_response_id
  // (for the caller's tenant) before the call's input and the instructions
  // before both, and, when the call is stored, keeps a copy for
  // remember(). A no-op for other dialects' calls; kInvalidArgument naming
  // previous_response_id when it is unknown (or forgotten).
  core::Status prepareConversation(const Caller& caller, ParsedCall& call) const;
  // Keeps the prepared conversation and its answer under call.response_id.
  void remember(const Caller& caller, const ParsedCall& call, const llm::Message& answer);

  // Admission for calls answered outside the router (crews answering as
  // models): the caller's rpm/tpm limits and budgets, as serveChat applies
  // them; a refusal is a GatewayFailure-carrying error (429). settle() adds
  // the usage of such a call once it ended.
  core::Status admit(const Caller& caller);
  void settle(const Caller& caller, std::int64_t tokens, double cost);

  // Writes every queued call record (for shutdown and tests).
  void flushRecords();
  const GatewayConfig& config() const { return config_; }
  // The gateway's own router (its breakers, for metrics).
  std::shared_ptr<llm::Router> router() const { return deps_.router; }

 private:
  struct CallState;
  boost::asio::awaitable<void> run(std::shared_ptr<CallState> call);
  boost::asio::awaitable<void> runWhole(CallState& call);
  boost::asio::awaitable<void> runStream(CallState& call);
  void settle(const CallState& call, const llm::RoutedResponse& routed);
  struct EmbedState;
  boost::asio::awaitable<void> runEmbed(std::shared_ptr<EmbedState> call);
  static boost::json::object modelEntry(const std::string& id, const std::string& provider);
  void configuredModels(boost::json::array& data, std::set<std::string>& seen) const;
  boost::asio::awaitable<void> forwardCountTokens(llm::ResolvedModel model, std::string body,
                                                  std::shared_ptr<http::ResponseStream> out);

  GatewayDeps deps_;
  GatewayConfig config_;
  std::shared_ptr<ResponseMemory> memory_;
  std::shared_ptr<UpstreamModels> upstream_models_;  // null: not discovered
};

// Writes a whole error response in the dialect's shape (with Retry-After
// for refusals).
void respondWithFailure(const Dialect& dialect, const GatewayFailure& failure, http::ResponseStream& out);

struct GatewayOptions {
  boost::asio::any_io_executor io;             // the runtime's I/O executor
  std::shared_ptr<store::LlmCallStore> store;  // null: records kept by the runtime's recorder
  std::shared_ptr<core::Clock> clock = core::SystemClock::instance();
  // The tiktoken rank files, for exact counts (count_tokens, rate limits);
  // none: byte estimates.
  std::optional<std::filesystem::path> tiktoken_dir;
  // The gateway router's metrics (origin "gateway") and budget refusals go
  // here (null: none); its calls' spans to the tracer.
  std::shared_ptr<telemetry::Registry> metrics;
  std::shared_ptr<const telemetry::Tracer> tracer = telemetry::Tracer::off();
};

// The gateway over an LLM runtime: its own router (sharing the runtime's
// providers, prices, redaction and role policies) writing through a
// BatchedCallWriter, and key limits loaded from the store's call records.
// kInvalidArgument for a bad [gateway] section.
core::Result<std::shared_ptr<Gateway>> buildGateway(const boost::json::object& document, const llm::LlmRuntime& runtime,
                                                    GatewayOptions options);

}  // namespace codecrew::gateway
