// Router::embed: the embeddings path of the router (see router.h).
#include "llm/router/router.h"

#include "llm/record/exchange_json.h"

#include <boost/json.hpp>

namespace codecrew::llm {

namespace bj = boost::json;
using core::Error;
using core::Result;

struct Router::EmbedRun {
  EmbeddingRequest request;  // request.model is the provider's model id
  ResolvedModel model;
  std::shared_ptr<Provider> provider;
  CallContext context;
  std::int64_t estimate = 0;
  AttemptChain chain;
};

namespace {

// What the record keeps of an answer: the shape of the vectors, not their values.
bj::object embeddingSummary(const EmbeddingResponse& r) {
  bj::object out{{"object", "list"}, {"count", r.vectors.size()}};
  out["dimensions"] = r.vectors.empty() ? 0 : r.vectors.front().size();
  return out;
}

}  // namespace

boost::asio::awaitable<Result<RoutedEmbedding>> Router::embed(const std::string& role, EmbeddingRequest request,
                                                              CallContext context) {
  if (request.model.empty()) co_return Error::invalidArgument("an embeddings call needs a model");
  auto resolved = deps_.registry->resolve(request.model);
  if (!resolved.ok()) co_return resolved.error();
  if (resolved->model.empty())
    co_return Error::invalidArgument("model '" + request.model + "' names no model of provider '" + resolved->provider +
                                     "'");
  EmbedRun run;
  run.model = resolved.value();
  run.provider = deps_.registry->provider(run.model.provider);
  if (!run.provider) co_return Error::notFound("provider '" + run.model.provider + "' is not registered");
  if (!run.provider->embeds()) co_return noEmbeddings(run.provider->name(), run.provider->kind());
  run.request = std::move(request);
  run.request.model = run.model.model;
  run.context = std::move(context);
  run.estimate = roughEmbeddingTokens(run.request);
  run.chain.role = role;
  run.chain.kind = EndpointKind::kEmbeddings;
  run.chain.origin = originOf(run.context);
  auto it = policies_.find(role);
  const RetryPolicy retry = it != policies_.end() ? it->second.retry : options_.default_retry;
  for (int attempt_no = 1;; ++attempt_no) {
    auto result = co_await embedOnce(run);
    if (run.chain.record_error) co_return *run.chain.record_error;
    if (result.ok()) {
      RoutedEmbedding out{std::move(result.value()), run.model.provider, run.model.model, 0,
                          run.chain.attempts,        run.chain.last_id};
      out.cost = deps_.prices.cost(run.model.model, out.response.usage);
      co_return out;
    }
    auto info = classifyFailure(result.error());
    if (!info.retryable || attempt_no >= retry.max_attempts) co_return result.error();
    auto delay = retry.backoff(attempt_no + 1, info.retry_after, unitDraw());
    if (!delay) co_return result.error();
    logRetry(EndpointKind::kEmbeddings, run.model, run.chain.attempts + 1, result.error(), *delay);
    co_await deps_.sleeper->sleep(*delay);
  }
}

boost::asio::awaitable<Result<EmbeddingResponse>> Router::embedOnce(EmbedRun& run) {
  store::LlmCall call = {};
  call.tenant_id = run.context.tenant_id;
  call.conversation_id = run.context.conversation_id;
  call.execution_id = run.context.execution_id;
  call.api_key_id = run.context.api_key_id;
  call.provider = run.model.provider;
  call.model = run.model.model;
  call.total_tokens_requested = run.estimate;
  call.prompt_hash = embeddingInputHash(run.request);
  call.budget_snapshot = run.context.budget_snapshot;
  call.timestamp = deps_.clock->nowMillis();
  call.request_id = run.context.request_id;
  if (run.context.trace.valid()) call.trace_id = run.context.trace.traceIdHex();
  auto gate = breaker(run.model.provider, EndpointKind::kEmbeddings);
  if (!gate.breaker.allow()) {
    const std::string why = "circuit breaker of " + run.model.provider + " (embeddings) is open";
    call.status = store::CallStatus::kSkipped;
    call.error_code = std::string(failureKindName(FailureKind::kCircuitOpen));
    call.response_data = bj::object{{"skipped", why}};
    co_await record(run.chain, std::move(call));
    co_return providerError(FailureKind::kCircuitOpen, why);
  }
  auto keys = limitKeys(run.model, EndpointKind::kEmbeddings);
  keys.insert(keys.end(), run.context.limit_keys.begin(), run.context.limit_keys.end());
  std::function<bool()> cancelled = [cancel = run.context.options.cancel] { return cancel && cancel->cancelled(); };
  auto reservation = co_await deps_.scheduler->acquire(std::move(keys), run.estimate, std::move(cancelled));
  if (!reservation.ok()) {
    gate.breaker.releaseProbe();
    call.status = store::CallStatus::kSkipped;
    call.error_code = std::string(failureKindName(classifyFailure(reservation.error()).kind));
    call.response_data = bj::object{{"skipped", reservation.error().message}};
    co_await record(run.chain, std::move(call));
    co_return reservation.error();
  }
  noteWait(run.model, reservation.value());
  CallOptions options = run.context.options;
  telemetry::Span span = attemptSpan(run.context, run.model, "embeddings", run.chain.attempts + 1, options);
  std::optional<WireExchange> exchange;
  options.on_exchange = [&exchange](const WireExchange& e) { exchange = e; };
  auto started = deps_.clock->steadyNow();
  auto result = co_await run.provider->embed(run.request, options);
  call.response_time_ms = std::chrono::duration<double, std::milli>(deps_.clock->steadyNow() - started).count();
  const bool ok = result.ok();
  const auto kind = ok ? FailureKind::kOther : classifyFailure(result.error()).kind;
  deps_.scheduler->settle(reservation.value(),
                          ok && result->usage.reported ? result->usage.total_tokens : run.estimate);
  noteOutcome(gate, run.model.model, run.chain.attempts + 1, ok ? nullptr : &result.error());

  const auto& redactor = *deps_.redactor;
  call.request_data = exchange ? redactedRequest(*exchange, redactor) : bj::object{};
  bj::object response_data{{"status", exchange ? exchange->status : 0}};
  if (ok) {
    call.prompt_tokens = result->usage.prompt_tokens;
    call.total_tokens = result->usage.total_tokens;
    call.cost = deps_.prices.cost(call.model, result->usage);
    response_data["body"] = embeddingSummary(result.value());
    call.status = store::CallStatus::kSuccess;
  } else {
    call.status = store::CallStatus::kFailed;
    call.error_code = std::string(failureKindName(kind));
    if (exchange) response_data["body"] = redactedBody(exchange->response_body, redactor);
    response_data["error"] = redactor.text(result.error().message);
  }
  call.response_data = std::move(response_data);
  endAttemptSpan(span, call, ok ? nullptr : &result.error());
  co_await record(run.chain, std::move(call));
  co_return result;
}

}  // namespace codecrew::llm
