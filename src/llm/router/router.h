// Router: the one path by which agents (and the gateway) reach a model.
// For a role it tries the policy's primary model, then its fallbacks in
// order; on each model it retries retryable failures (429, 5xx, timeouts,
// network errors, malformed answers) with backoff that honours Retry-After;
// it skips a model whose provider's circuit breaker is open or whose
// estimated cost exceeds the policy's cap; on a context-length error it moves
// to a model with a larger context window. Every call waits for room in the
// shared RateScheduler (provider, model and key limits) and every attempt is
// written to the CallRecorder as an LlmCall: attempt numbers count all
// attempts of one routed call, and every attempt after the first has
// fallback_of set to the first attempt's id.
//
// Failures are isolated per provider AND endpoint kind (chat, embeddings):
// each pair has its own circuit breaker, and the provider's rpm/tpm limit
// applies to each kind on its own (the key's limit stays shared: it is one
// account's), so an embeddings endpoint that keeps failing never stops chat.
// Every upstream failure, every retry and every breaker trip and reset is a
// warn log line with provider, endpoint, model, status and attempt.
//
// A call never leaves without a model: a role whose model is "" (no policy
// primary and an empty request model) fails before anything is sent. A call
// that cannot be recorded fails too (kInternal, "could not record an LLM
// call: ..."), instead of being answered unrecorded.
//
// Streams: deltas go to the caller as they arrive; a stream is retried or
// falls back only if it failed before delivering any delta.
//
// OpenAI forwarding: a call whose context carries the caller's own OpenAI
// request is sent it as it is by a provider that can forward it
// (Provider::openAiForwarding); the answer is then the provider's own
// (RoutedResponse::forwarded, and a stream's frames go to on_frame instead of
// deltas to on_delta). The record of such a call is as complete as a
// translated one's: the provider reads the normalised response from its
// answer when the record is described.
// Thread-safety: chat() and stream() may run concurrently from any number of
// coroutines and threads. Configure (setPolicy, applyLimits) before use.
#pragma once

#include "core/clock.h"
#include "llm/forwarded_answer.h"
#include "llm/llm_config.h"
#include "llm/openai_forwarding.h"
#include "llm/pricing/price_table.h"
#include "llm/provider.h"
#include "llm/provider_error.h"
#include "llm/provider_registry.h"
#include "llm/record/call_recorder.h"
#include "llm/record/redactor.h"
#include "llm/router/circuit_breaker.h"
#include "llm/router/rate_scheduler.h"
#include "llm/router/role_policy.h"
#include "llm/router/router_metrics.h"
#include "llm/router/sleeper.h"
#include "telemetry/tracer.h"

#include <boost/json/value.hpp>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>

namespace codecrew::llm {

// Tokens a request will take before it is sent (the prompt only). The
// tokenizer plugs in here; roughTokenEstimate is the fallback.
using TokenEstimator = std::function<std::int64_t(const ChatRequest&)>;
std::int64_t roughTokenEstimate(const ChatRequest& request);

// What the caller tells the router about a call.
struct CallContext {
  core::Id tenant_id = 0;
  std::optional<core::Id> conversation_id;
  std::optional<core::Id> execution_id;
  std::optional<core::Id> api_key_id;
  boost::json::value budget_snapshot = boost::json::object();    // the caller's remaining budgets
  boost::json::value truncated_sections = boost::json::array();  // what the caller cut from the prompt
  // Further scheduler keys this call counts against, e.g. "tenant:<id>" for
  // per-tenant limits (set with RateScheduler::setLimit).
  std::vector<std::string> limit_keys;
  CallOptions options;
  // The caller's own OpenAI request, when the call came as one: forwarded as
  // it is to a provider that can (the others are sent the ChatRequest).
  std::shared_ptr<const OpenAiRequest> openai_request;
  // Correlation: the parent of the call's span (a request's server span, an
  // agent's span; invalid: a new trace, or none when tracing is off) and the
  // X-Request-Id kept on the call's records and sent to the provider.
  telemetry::TraceContext trace;
  std::string request_id;
  // A /v1 client's own call (metrics' origin "gateway"; else "crew").
  bool from_gateway = false;
};

struct RoutedResponse {
  ChatResponse response;
  std::string provider;
  std::string model;
  double cost = 0;
  int attempts = 0;      // attempts made, the successful one included
  core::Id call_id = 0;  // the recorded LlmCall of the successful attempt
  // Set when the caller's OpenAI request was forwarded: the provider's
  // answer, for the caller as it is. `response` then holds only its usage
  // and finish reason.
  std::optional<ForwardedAnswer> forwarded;
};

struct RouterDeps {
  std::shared_ptr<ProviderRegistry> registry;
  std::shared_ptr<CallRecorder> recorder;
  std::shared_ptr<Redactor> redactor;
  std::shared_ptr<core::Clock> clock;
  std::shared_ptr<Sleeper> sleeper;
  std::shared_ptr<RateScheduler> scheduler;  // shared by every router of the process
  PriceTable prices = PriceTable::builtIn();
  TokenEstimator estimator = roughTokenEstimate;
  // Counters and histograms of every attempt, retry, wait and trip (null:
  // none), and the tracer of each attempt's client span, whose traceparent
  // goes to the provider (off: the caller's context is passed on as it is).
  std::shared_ptr<RouterMetrics> metrics;
  std::shared_ptr<const telemetry::Tracer> tracer = telemetry::Tracer::off();
};

struct RouterOptions {
  BreakerPolicy breaker;
  RetryPolicy default_retry;
  std::uint64_t seed = 0x5eed;                // for backoff jitter
  std::int64_t default_output_tokens = 1024;  // estimate when max_tokens is unset
};

// The endpoint kinds whose failures are kept apart.
enum class EndpointKind { kChat, kEmbeddings };
std::string_view endpointKindName(EndpointKind kind);

struct RoutedEmbedding {
  EmbeddingResponse response;
  std::string provider;
  std::string model;
  double cost = 0;
  int attempts = 0;
  core::Id call_id = 0;  // the recorded LlmCall of the successful attempt
};

class Router {
 public:
  Router(RouterDeps deps, RouterOptions options = {});

  void setPolicy(RolePolicy policy);
  // Sets the scheduler's limits from the config's providers, models and keys.
  void applyLimits(const LlmConfig& config);

  boost::asio::awaitable<core::Result<RoutedResponse>> chat(const std::string& role, ChatRequest request,
                                                            CallContext context);
  // on_frame receives the frames of a forwarded stream; without it a
  // stream is not forwarded.
  boost::asio::awaitable<core::Result<RoutedResponse>> stream(const std::string& role, ChatRequest request,
                                                              CallContext context, DeltaSink on_delta,
                                                              FrameSink on_frame = {});

  // Embeddings from request.model alone: no fallbacks (another model's
  // vectors live in another space). Retried on that model under the role's
  // retry policy, behind its provider's breaker and rate limits, and every
  // attempt recorded like a chat call (vectors are not stored, only their
  // count and size).
  boost::asio::awaitable<core::Result<RoutedEmbedding>> embed(const std::string& role, EmbeddingRequest request,
                                                              CallContext context);

  CircuitBreaker::State breakerState(const std::string& provider, EndpointKind kind = EndpointKind::kChat);
  // Sets codecrew_llm_breaker_state for every breaker made so far (a
  // metrics scrape calls it); nothing without metrics.
  void reportBreakers();

  // The scheduler keys of a model's calls of one endpoint kind (exposed for
  // tests and the gateway): "provider:<p>" (chat) or
  // "provider:<p>/embeddings", "model:<p>/<model>", "key:<id>".
  static std::vector<std::string> limitKeys(const ResolvedModel& model, EndpointKind kind = EndpointKind::kChat);

 private:
  struct Run;
  // The attempts of one routed call, for numbering records and fallback_of.
  struct AttemptChain {
    std::string role;
    int attempts = 0;
    std::optional<core::Id> first_id;
    core::Id last_id = 0;
    std::optional<core::Error> record_error;  // set when an attempt could not be recorded
    // For metrics: the endpoint, "crew" or "gateway", and the current
    // attempt's time to its first delta (a stream's).
    EndpointKind kind = EndpointKind::kChat;
    std::string origin;
    std::optional<double> first_token_seconds;
  };
  // A breaker's key and what the log lines about it name.
  struct Gate {
    CircuitBreaker& breaker;
    std::string provider;
    EndpointKind kind;
  };
  struct EmbedRun;
  boost::asio::awaitable<core::Result<RoutedResponse>> route(const std::string& role, ChatRequest request,
                                                             CallContext context, DeltaSink on_delta,
                                                             FrameSink on_frame);
  // One attempt on `model`: the answer with its provider, model and
  // forwarded answer set (cost, attempts and call id are route's).
  boost::asio::awaitable<core::Result<RoutedResponse>> attempt(Run& run, const ResolvedModel& model);
  boost::asio::awaitable<core::Result<RoutedResponse>> tryModel(Run& run, const ResolvedModel& model);
  // The provider's forwarding when this run's request can go to it as it is.
  static OpenAiForwarding* forwardingFor(const Run& run, Provider& provider);
  boost::asio::awaitable<void> record(AttemptChain& chain, store::LlmCall call);
  boost::asio::awaitable<void> record(AttemptChain& chain, store::LlmCall call, CallDescriber describe);
  boost::asio::awaitable<core::Result<EmbeddingResponse>> embedOnce(EmbedRun& run);
  // Tells the breaker how the attempt went, and logs the upstream failure
  // and any trip or reset at warn.
  // error is null for a success.
  void noteOutcome(const Gate& gate, const std::string& model, int attempt, const core::Error* error);
  void logRetry(EndpointKind kind, const ResolvedModel& model, int attempt, const core::Error& error,
                std::chrono::milliseconds delay);
  // Counts a wait for room under a rate limit (metrics).
  void noteWait(const ResolvedModel& model, const RateReservation& reservation);
  // "gateway" for a /v1 client's own call, "crew" for the rest.
  static std::string originOf(const CallContext& context);
  // The attempt's client span, and the headers that carry its context and
  // the request id to the provider.
  telemetry::Span attemptSpan(const CallContext& context, const ResolvedModel& model, std::string_view operation,
                              int attempt, CallOptions& options) const;
  // Ends an attempt's span with its usage and failure (error null: none),
  // and notes its trace and span on the call's record.
  static void endAttemptSpan(telemetry::Span& span, store::LlmCall& call, const core::Error* error);
  store::LlmCall baseRecord(const Run& run, const ResolvedModel& model) const;
  // Fills status, usage and cost (cheap: on the call's path).
  void summarizeOutcome(store::LlmCall& call, const core::Result<ChatResponse>& result) const;
  // The describer of an attempt's record: describeOutcome with what it needs
  // (`reader` the forwarding provider's, null for a translated answer).
  CallDescriber describer(ChatRequest request, std::optional<WireExchange> exchange,
                          const core::Result<ChatResponse>& result, std::shared_ptr<const OpenAiForwarding> reader,
                          bool streamed) const;
  // Fills the hashes and the redacted request/response data (and refines a
  // forwarded answer's status, read by `forwarding`, the provider's, which
  // is null for a translated answer); run by the recorder.
  static void describeOutcome(store::LlmCall& call, const Redactor& redactor, const ChatRequest& request,
                              const std::optional<WireExchange>& exchange, const core::Result<ChatResponse>& result,
                              const OpenAiForwarding* forwarding, bool streamed);
  boost::asio::awaitable<void> recordSkip(Run& run, const ResolvedModel& model, FailureKind kind,
                                          const std::string& why);
  std::optional<ResolvedModel> largerContext(const Run& run, const ResolvedModel& current) const;
  Gate breaker(const std::string& provider, EndpointKind kind = EndpointKind::kChat);
  double unitDraw();

  RouterDeps deps_;
  RouterOptions options_;
  std::map<std::string, RolePolicy> policies_;
  std::mutex mu_;
  std::map<std::pair<std::string, EndpointKind>, std::unique_ptr<CircuitBreaker>> breakers_;  // guarded by mu_
  std::mt19937_64 rng_;                                                                       // guarded by mu_
};

}  // namespace codecrew::llm
