#include "llm/router/router.h"

#include "core/log.h"
#include "llm/provider_error.h"
#include "llm/record/exchange_json.h"
#include "llm/types_json.h"

#include <boost/json.hpp>

#include <algorithm>
#include <optional>

namespace codecrew::llm {

namespace bj = boost::json;
using core::Error;
using core::Result;

struct Router::Run {
  std::string role;
  RolePolicy policy;
  ChatRequest request;
  CallContext context;
  DeltaSink on_delta;
  FrameSink on_frame;  // a forwarded stream's frames
  bool delivered = false;
  std::int64_t prompt_estimate = 0;
  std::int64_t output_estimate = 0;
  AttemptChain chain;
  std::vector<ResolvedModel> queue;
  std::optional<Error> last_error;
};

namespace {

bool healthFailure(FailureKind kind) {
  return kind == FailureKind::kServer || kind == FailureKind::kTimeout || kind == FailureKind::kNetwork ||
         kind == FailureKind::kMalformed;
}

// What the router reads of a forwarded answer: its usage and finish reason.
Result<ChatResponse> forwardedSummary(const Result<ForwardedAnswer>& answer) {
  if (!answer.ok()) return answer.error();
  ChatResponse out;
  out.usage = answer->usage;
  out.finish_reason = answer->finish_reason;
  out.raw_finish_reason = answer->raw_finish_reason;
  return out;
}

}  // namespace

std::string_view endpointKindName(EndpointKind kind) {
  return kind == EndpointKind::kEmbeddings ? "embeddings" : "chat";
}

std::int64_t roughTokenEstimate(const ChatRequest& request) {
  std::int64_t bytes = 0;
  for (const auto& m : request.messages) {
    bytes += static_cast<std::int64_t>(m.content.size()) + 16;
    for (const auto& c : m.tool_calls) bytes += static_cast<std::int64_t>(c.name.size() + c.arguments.size());
    bytes += static_cast<std::int64_t>(m.images.size()) * 3000;
  }
  for (const auto& t : request.tools)
    bytes += static_cast<std::int64_t>(t.name.size() + t.description.size() + bj::serialize(t.parameters).size());
  return (bytes + 3) / 4 + 3;
}

Router::Router(RouterDeps deps, RouterOptions options)
    : deps_(std::move(deps)), options_(std::move(options)), rng_(options_.seed) {}

void Router::setPolicy(RolePolicy policy) { policies_[policy.role] = std::move(policy); }

void Router::applyLimits(const LlmConfig& config) {
  for (const auto& p : config.providers) {
    if (p.rpm || p.tpm) {
      // Each endpoint kind has the provider's limit to itself.
      deps_.scheduler->setLimit("provider:" + p.name, {p.rpm, p.tpm});
      deps_.scheduler->setLimit("provider:" + p.name + "/embeddings", {p.rpm, p.tpm});
    }
    if ((p.key_rpm || p.key_tpm) && !providerKeyId(p).empty())
      deps_.scheduler->setLimit("key:" + providerKeyId(p), {p.key_rpm, p.key_tpm});
  }
  for (const auto& [name, m] : config.models) {
    if (m.rpm || m.tpm) deps_.scheduler->setLimit("model:" + m.provider + "/" + m.model, {m.rpm, m.tpm});
  }
}

std::vector<std::string> Router::limitKeys(const ResolvedModel& model, EndpointKind kind) {
  std::string provider = "provider:" + model.provider;
  if (kind == EndpointKind::kEmbeddings) provider += "/embeddings";
  std::vector<std::string> keys{std::move(provider), "model:" + model.provider + "/" + model.model};
  if (!model.api_key_id.empty()) keys.push_back("key:" + model.api_key_id);
  return keys;
}

Router::Gate Router::breaker(const std::string& provider, EndpointKind kind) {
  std::lock_guard lock(mu_);
  auto& b = breakers_[{provider, kind}];
  if (!b) b = std::make_unique<CircuitBreaker>(options_.breaker, deps_.clock);
  return Gate{*b, provider, kind};
}

void Router::noteOutcome(const Gate& gate, const std::string& model, int attempt, const core::Error* error) {
  const auto endpoint = endpointKindName(gate.kind);
  FailureInfo info;
  if (error) {
    info = classifyFailure(*error);
    if (info.kind != FailureKind::kCancelled)
      core::log::warn("upstream call failed", {{"provider", gate.provider},
                                               {"endpoint", endpoint},
                                               {"model", model},
                                               {"status", info.http_status},
                                               {"kind", failureKindName(info.kind)},
                                               {"attempt", attempt},
                                               {"error", error->message}});
  }
  bool tripped = false, reset = false;
  if (!error || !healthFailure(info.kind)) {
    if (error && info.kind == FailureKind::kCancelled) {
      gate.breaker.releaseProbe();
    } else {
      reset = gate.breaker.recordSuccess();
    }
  } else {
    tripped = gate.breaker.recordFailure();
  }
  if (tripped && deps_.metrics) deps_.metrics->breakerTrip(gate.provider, endpoint);
  if (tripped)
    core::log::warn("circuit breaker opened: calls to this provider's endpoint are refused for a while",
                    {{"provider", gate.provider},
                     {"endpoint", endpoint},
                     {"model", model},
                     {"status", info.http_status},
                     {"kind", failureKindName(info.kind)},
                     {"attempt", attempt}});
  if (reset)
    core::log::warn(
        "circuit breaker closed: the provider's endpoint answers again",
        {{"provider", gate.provider}, {"endpoint", endpoint}, {"model", model}, {"status", 200}, {"attempt", attempt}});
}

void Router::logRetry(EndpointKind kind, const ResolvedModel& model, int attempt, const Error& error,
                      std::chrono::milliseconds delay) {
  auto info = classifyFailure(error);
  if (deps_.metrics) deps_.metrics->retry(model.provider, endpointKindName(kind), failureKindName(info.kind));
  core::log::warn("retrying an LLM call", {{"provider", model.provider},
                                           {"endpoint", endpointKindName(kind)},
                                           {"model", model.model},
                                           {"status", info.http_status},
                                           {"kind", failureKindName(info.kind)},
                                           {"attempt", attempt},
                                           {"delay_ms", delay.count()}});
}

CircuitBreaker::State Router::breakerState(const std::string& provider, EndpointKind kind) {
  return breaker(provider, kind).breaker.state();
}

void Router::reportBreakers() {
  if (!deps_.metrics) return;
  std::lock_guard lock(mu_);
  for (const auto& [key, b] : breakers_)
    deps_.metrics->breakerState(key.first, endpointKindName(key.second), b->state());
}

void Router::noteWait(const ResolvedModel& model, const RateReservation& reservation) {
  if (deps_.metrics && reservation.waited_ms > 0)
    deps_.metrics->rateLimitWait(model.provider, double(reservation.waited_ms) / 1000.0);
}

std::string Router::originOf(const CallContext& context) { return context.from_gateway ? "gateway" : "crew"; }

void Router::endAttemptSpan(telemetry::Span& span, store::LlmCall& call, const core::Error* error) {
  span.set("gen_ai.usage.input_tokens", call.prompt_tokens);
  if (error) {
    span.set("error.type", call.error_code);
    span.setError(error->message);
  }
  call.trace_id = span.context().valid() ? span.context().traceIdHex() : "";
  call.span_id = span.recording() ? span.context().spanIdHex() : "";
  span.end();
}

telemetry::Span Router::attemptSpan(const CallContext& context, const ResolvedModel& model, std::string_view operation,
                                    int attempt, CallOptions& options) const {
  const std::optional<telemetry::TraceContext> parent = context.trace;
  telemetry::Span span = deps_.tracer->start(std::string(operation) + " " + model.model, telemetry::SpanKind::kClient,
                                             parent);
  if (span.recording()) {
    auto provider = deps_.registry->provider(model.provider);
    span.set("gen_ai.operation.name", std::string(operation));
    span.set("gen_ai.system", provider ? provider->kind() : model.provider);
    span.set("gen_ai.request.model", model.model);
    span.set("codecrew.provider", model.provider);
    span.set("codecrew.attempt", attempt);
    if (!context.request_id.empty()) span.set("codecrew.request_id", context.request_id);
  }
  if (span.context().valid()) options.headers.emplace_back("traceparent", span.context().traceparent());
  if (!context.request_id.empty()) options.headers.emplace_back("X-Request-Id", context.request_id);
  return span;
}

double Router::unitDraw() {
  std::lock_guard lock(mu_);
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
}

// chat and stream are not coroutines: they hand back route's own awaitable,
// one coroutine frame fewer on every call.
boost::asio::awaitable<Result<RoutedResponse>> Router::chat(const std::string& role, ChatRequest request,
                                                            CallContext context) {
  return route(role, std::move(request), std::move(context), DeltaSink{}, FrameSink{});
}

boost::asio::awaitable<Result<RoutedResponse>> Router::stream(const std::string& role, ChatRequest request,
                                                              CallContext context, DeltaSink on_delta,
                                                              FrameSink on_frame) {
  if (!on_delta) on_delta = [](const StreamDelta&) {};
  return route(role, std::move(request), std::move(context), std::move(on_delta), std::move(on_frame));
}

boost::asio::awaitable<Result<RoutedResponse>> Router::route(const std::string& role, ChatRequest request,
                                                             CallContext context, DeltaSink on_delta,
                                                             FrameSink on_frame) {
  Run run;
  run.role = role;
  run.chain.role = role;
  run.chain.origin = originOf(context);
  auto it = policies_.find(role);
  run.policy = it != policies_.end() ? it->second
                                     : RolePolicy{role, "", {}, std::nullopt, std::nullopt, options_.default_retry};
  run.prompt_estimate = deps_.estimator(request);
  run.output_estimate = request.max_tokens.value_or(options_.default_output_tokens);
  run.request = std::move(request);
  run.context = std::move(context);
  run.on_delta = std::move(on_delta);
  run.on_frame = std::move(on_frame);
  std::vector<std::string> names{run.policy.primary.empty() ? run.request.model : run.policy.primary};
  if (names.front().empty())
    co_return Error::invalidArgument("no model for role '" + role + "': the request names none and [roles." + role +
                                     "] has no primary");
  names.insert(names.end(), run.policy.fallbacks.begin(), run.policy.fallbacks.end());
  for (const auto& name : names) {
    auto resolved = deps_.registry->resolve(name);
    if (resolved.ok() && resolved->model.empty())
      resolved = Error::invalidArgument("model '" + name + "' names no model of provider '" + resolved->provider + "'");
    if (resolved.ok()) {
      run.queue.push_back(resolved.value());
    } else {
      run.last_error = resolved.error();
    }
  }
  for (std::size_t i = 0; i < run.queue.size(); ++i) {
    const ResolvedModel model = run.queue[i];
    if (run.policy.max_cost_per_call) {
      double estimate = deps_.prices.estimate(model.model, run.prompt_estimate, run.output_estimate);
      if (estimate > *run.policy.max_cost_per_call) {
        const std::string why = "estimated cost $" + std::to_string(estimate) + " is over the role's cap of $" +
                                std::to_string(*run.policy.max_cost_per_call);
        co_await recordSkip(run, model, FailureKind::kOverBudget, why);
        if (run.chain.record_error) co_return *run.chain.record_error;
        continue;
      }
    }
    if (!breaker(model.provider).breaker.allow()) {
      const std::string why = "circuit breaker of " + model.provider + " (chat) is open";
      co_await recordSkip(run, model, FailureKind::kCircuitOpen, why);
      if (run.chain.record_error) co_return *run.chain.record_error;
      continue;
    }
    auto result = co_await tryModel(run, model);
    if (run.chain.record_error) co_return *run.chain.record_error;
    if (result.ok()) {
      RoutedResponse out = std::move(result.value());
      out.attempts = run.chain.attempts;
      out.call_id = run.chain.last_id;
      out.cost = deps_.prices.cost(model.model, out.response.usage);
      co_return out;
    }
    auto info = classifyFailure(result.error());
    run.last_error = result.error();
    if (info.kind == FailureKind::kCancelled || run.delivered) co_return result.error();
    if (info.kind == FailureKind::kContextLength) {
      if (auto bigger = largerContext(run, model))
        run.queue.insert(run.queue.begin() + static_cast<long>(i) + 1, *bigger);
    }
  }
  Error error = run.last_error.value_or(Error::unavailable("no model configured for role '" + role + "'"));
  error.message = "every model for role '" + role + "' failed; last error: " + error.message;
  co_return error;
}

boost::asio::awaitable<Result<RoutedResponse>> Router::tryModel(Run& run, const ResolvedModel& model) {
  for (int attempt_no = 1;; ++attempt_no) {
    auto result = co_await attempt(run, model);
    if (result.ok()) co_return result;
    auto info = classifyFailure(result.error());
    if (!info.retryable || run.delivered || attempt_no >= run.policy.retry.max_attempts) co_return result;
    if (run.chain.record_error) co_return result;
    auto delay = run.policy.retry.backoff(attempt_no + 1, info.retry_after, unitDraw());
    if (!delay) co_return result;
    logRetry(EndpointKind::kChat, model, run.chain.attempts + 1, result.error(), *delay);
    co_await deps_.sleeper->sleep(*delay);
    if (!breaker(model.provider).breaker.allow()) co_return result;
  }
}

OpenAiForwarding* Router::forwardingFor(const Run& run, Provider& provider) {
  const auto& original = run.context.openai_request;
  const bool streamed = static_cast<bool>(run.on_delta);
  if (!original || (streamed && !run.on_frame)) return nullptr;
  auto* forwarding = provider.openAiForwarding();
  return forwarding && forwarding->canForward(*original, streamed) ? forwarding : nullptr;
}

boost::asio::awaitable<Result<RoutedResponse>> Router::attempt(Run& run, const ResolvedModel& model) {
  auto gate = breaker(model.provider);
  auto provider = deps_.registry->provider(model.provider);
  if (!provider) {
    gate.breaker.releaseProbe();
    co_return Error::notFound("provider '" + model.provider + "' is not registered");
  }
  auto cancel = run.context.options.cancel;
  auto keys = limitKeys(model);
  keys.insert(keys.end(), run.context.limit_keys.begin(), run.context.limit_keys.end());
  std::function<bool()> cancelled = [cancel] { return cancel && cancel->cancelled(); };
  auto reservation = co_await deps_.scheduler->acquire(std::move(keys), run.prompt_estimate + run.output_estimate,
                                                       std::move(cancelled));
  if (!reservation.ok()) {
    gate.breaker.releaseProbe();
    co_await recordSkip(run, model, classifyFailure(reservation.error()).kind, reservation.error().message);
    co_return reservation.error();
  }
  noteWait(model, reservation.value());
  ChatRequest request = run.request;
  request.model = model.model;
  CallOptions options = run.context.options;
  telemetry::Span span = attemptSpan(run.context, model, "chat", run.chain.attempts + 1, options);
  if (request.max_tokens) span.set("gen_ai.request.max_tokens", std::int64_t(*request.max_tokens));
  std::optional<std::chrono::steady_clock::time_point> first_delta;
  if (run.policy.max_latency) options.timeouts.total = std::min(options.timeouts.total, *run.policy.max_latency);
  std::optional<WireExchange> exchange;
  options.on_exchange = [&exchange, outer = run.context.options.on_exchange](WireExchange e) {
    if (outer) outer(e);
    exchange = std::move(e);
  };
  OpenAiForwarding* forwarding = forwardingFor(run, *provider);
  core::Millis started_at = deps_.clock->nowMillis();
  auto started = deps_.clock->steadyNow();
  Result<ChatResponse> result = Error::internal("not called");
  std::optional<ForwardedAnswer> forwarded;
  if (forwarding) {
    Result<ForwardedAnswer> answer = Error::internal("not called");
    const OpenAiRequest& original = *run.context.openai_request;
    if (run.on_delta) {
      FrameSink sink = [&run, &first_delta, this](std::string_view frame) {
        if (!first_delta) first_delta = deps_.clock->steadyNow();
        run.delivered = true;
        run.on_frame(frame);
      };
      answer = co_await forwarding->forwardStream(original, request.model, options, sink);
    } else {
      answer = co_await forwarding->forward(original, request.model, options);
    }
    result = forwardedSummary(answer);
    if (answer.ok()) forwarded = std::move(answer.value());
  } else if (run.on_delta) {
    DeltaSink sink = [&run, &first_delta, this](const StreamDelta& d) {
      if (!first_delta) first_delta = deps_.clock->steadyNow();
      run.delivered = true;
      run.on_delta(d);
    };
    result = co_await provider->stream(request, options, sink);
  } else {
    result = co_await provider->chat(request, options);
  }
  double elapsed_ms = std::chrono::duration<double, std::milli>(deps_.clock->steadyNow() - started).count();
  const bool ok = result.ok();
  std::int64_t used = ok ? (result->usage.reported ? result->usage.total_tokens
                                                   : run.prompt_estimate + run.output_estimate)
                         : 0;
  deps_.scheduler->settle(reservation.value(), used);
  noteOutcome(gate, model.model, run.chain.attempts + 1, ok ? nullptr : &result.error());

  store::LlmCall call = baseRecord(run, model);
  call.timestamp = started_at;
  call.response_time_ms = elapsed_ms;
  summarizeOutcome(call, result);
  run.chain.first_token_seconds.reset();
  if (first_delta) run.chain.first_token_seconds = std::chrono::duration<double>(*first_delta - started).count();
  span.set("gen_ai.response.model", model.model);
  span.set("gen_ai.usage.output_tokens", call.completion_tokens);
  span.set("codecrew.cost_usd", call.cost);
  endAttemptSpan(span, call, ok ? nullptr : &result.error());
  // Hashes and redacted bodies are left to the recorder (off this path when
  // it has a thread of its own); a forwarded answer's provider reads it there
  // (the reader shares the provider's ownership).
  std::shared_ptr<const OpenAiForwarding> reader;
  if (forwarded) reader = std::shared_ptr<const OpenAiForwarding>(provider, forwarding);
  CallDescriber describe = describer(std::move(request), std::move(exchange), result, std::move(reader),
                                     static_cast<bool>(run.on_delta));
  co_await record(run.chain, std::move(call), std::move(describe));
  if (run.chain.record_error) co_return *run.chain.record_error;
  if (!ok) co_return result.error();
  co_return RoutedResponse{std::move(result.value()), model.provider, model.model, 0, 0, 0, std::move(forwarded)};
}

void Router::summarizeOutcome(store::LlmCall& call, const Result<ChatResponse>& result) const {
  if (result.ok()) {
    const auto& r = result.value();
    call.prompt_tokens = r.usage.prompt_tokens;
    call.completion_tokens = r.usage.completion_tokens;
    call.total_tokens = r.usage.total_tokens;
    call.cost = deps_.prices.cost(call.model, r.usage);
    call.status = r.finish_reason == FinishReason::kLength ? store::CallStatus::kTruncated
                                                           : store::CallStatus::kSuccess;
  } else {
    call.status = store::CallStatus::kFailed;
    call.error_code = std::string(failureKindName(classifyFailure(result.error()).kind));
  }
}

CallDescriber Router::describer(ChatRequest request, std::optional<WireExchange> exchange,
                                const Result<ChatResponse>& result, std::shared_ptr<const OpenAiForwarding> reader,
                                bool streamed) const {
  return [redactor = deps_.redactor, request = std::move(request), exchange = std::move(exchange), outcome = result,
          reader = std::move(reader), streamed](store::LlmCall& c) {
    describeOutcome(c, *redactor, request, exchange, outcome, reader.get(), streamed);
  };
}

void Router::describeOutcome(store::LlmCall& call, const Redactor& redactor, const ChatRequest& request,
                             const std::optional<WireExchange>& exchange, const Result<ChatResponse>& result,
                             const OpenAiForwarding* forwarding, bool streamed) {
  call.prompt_hash = promptHash(request);
  bj::object request_data, response_data;
  // The response body is parsed once: a forwarded whole answer is decoded
  // from it (for its hash) before it is redacted into the record.
  std::optional<bj::value> body;
  if (exchange) {
    request_data = redactedRequest(*exchange, redactor);
    boost::system::error_code ec;
    bj::value parsed = bj::parse(exchange->response_body, ec);
    if (!ec) body = std::move(parsed);
    response_data = {{"status", exchange->status}, {"body", nullptr}};
  } else {
    request_data = {{"normalized", redactor.json(toJson(request))}};
  }
  if (result.ok()) {
    const ChatResponse* r = &result.value();
    // A forwarded answer was only read for its usage on the way.
    Result<ChatResponse> decoded = Error::internal("not forwarded");
    if (forwarding && exchange) {
      const bj::object* parsed = !streamed && body ? body->if_object() : nullptr;
      decoded = forwarding->readAnswer(exchange->response_body, streamed, parsed);
      if (decoded.ok()) {
        decoded->usage = r->usage;
        r = &decoded.value();
        if (r->finish_reason == FinishReason::kLength) call.status = store::CallStatus::kTruncated;
      }
    }
    call.response_hash = responseHash(*r);
    // An agent step's call keeps the normalized answer too, so that a
    // resumed execution takes an answer it already paid for instead of
    // asking again (engine/journaled_model_client.h).
    if (!exchange || call.conversation_id) response_data["normalized"] = redactor.json(toJson(*r));
  } else {
    response_data["error"] = redactor.text(result.error().message);
  }
  if (exchange)  // as redactedBody (exchange_json.h) would give, from the body parsed above
    response_data["body"] = body ? redactor.json(std::move(*body)) : bj::value(redactor.text(exchange->response_body));
  call.request_data = std::move(request_data);
  call.response_data = std::move(response_data);
}

store::LlmCall Router::baseRecord(const Run& run, const ResolvedModel& model) const {
  store::LlmCall call;
  call.tenant_id = run.context.tenant_id;
  call.conversation_id = run.context.conversation_id;
  call.execution_id = run.context.execution_id;
  call.api_key_id = run.context.api_key_id;
  call.provider = model.provider;
  call.model = model.model;
  call.max_tokens = run.request.max_tokens;
  call.total_tokens_requested = run.prompt_estimate + run.output_estimate;
  call.budget_snapshot = run.context.budget_snapshot;
  call.truncated_sections = run.context.truncated_sections;
  call.timestamp = deps_.clock->nowMillis();
  call.request_id = run.context.request_id;
  if (run.context.trace.valid()) call.trace_id = run.context.trace.traceIdHex();
  return call;
}

boost::asio::awaitable<void> Router::recordSkip(Run& run, const ResolvedModel& model, FailureKind kind,
                                                const std::string& why) {
  store::LlmCall call = baseRecord(run, model);
  call.status = store::CallStatus::kSkipped;
  call.error_code = std::string(failureKindName(kind));
  ChatRequest request = run.request;
  request.model = model.model;
  call.prompt_hash = promptHash(request);
  call.request_data = bj::object{{"normalized", deps_.redactor->json(toJson(request))}};
  call.response_data = bj::object{{"skipped", why}};
  run.last_error = providerError(kind, why);
  co_await record(run.chain, std::move(call));
}

boost::asio::awaitable<void> Router::record(AttemptChain& chain, store::LlmCall call) {
  CallDescriber complete;  // a named local: no temporary in the co_await operand (GCC 12)
  co_await record(chain, std::move(call), std::move(complete));
}

boost::asio::awaitable<void> Router::record(AttemptChain& chain, store::LlmCall call, CallDescriber describe) {
  call.attempt = ++chain.attempts;
  call.fallback_of = chain.first_id;
  if (deps_.metrics) {
    AttemptMetrics m{call.provider, call.model,  std::string(endpointKindName(chain.kind)),
                     chain.origin,  call.status, call.error_code};
    if (call.status != store::CallStatus::kSkipped) m.seconds = call.response_time_ms / 1000.0;
    m.first_token_seconds = std::exchange(chain.first_token_seconds, std::nullopt);
    m.input_tokens = call.prompt_tokens;
    m.output_tokens = call.completion_tokens;
    m.cost = call.cost;
    deps_.metrics->attempt(m);
  }
  auto id = co_await deps_.recorder->recordDescribed(std::move(call), std::move(describe));
  if (!id.ok()) {
    // The call fails with it: an unrecorded call would be unpriced and
    // invisible in the execution's totals.
    core::log::error("could not record an LLM call", {{"error", id.error().message}, {"role", chain.role}});
    // The store's own unavailability stays kUnavailable (the run may stop
    // and resume from its checkpoint); details.record marks it as the record's.
    chain.record_error = Error{id.error().code == core::ErrorCode::kUnavailable ? core::ErrorCode::kUnavailable
                                                                                : core::ErrorCode::kInternal,
                               "could not record an LLM call: " + id.error().message,
                               boost::json::object{{"record", true}}};
    co_return;
  }
  if (!chain.first_id) chain.first_id = id.value();
  chain.last_id = id.value();
}

std::optional<ResolvedModel> Router::largerContext(const Run& run, const ResolvedModel& current) const {
  std::optional<ResolvedModel> best;
  auto consider = [&](const ResolvedModel& m) {
    if (m.context_window <= current.context_window) return;
    if (!best || m.context_window < best->context_window) best = m;
  };
  for (const auto& m : run.queue) consider(m);
  if (!best) {
    for (const auto& m : deps_.registry->allModels()) consider(m);
  }
  return best;
}

}  // namespace codecrew::llm
