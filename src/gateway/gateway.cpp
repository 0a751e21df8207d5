#include "gateway/gateway.h"

#include "core/log.h"
#include "gateway/anthropic_dialect.h"
#include "gateway/responses_dialect.h"
#include "http/client/cancel_token.h"
#include "llm/record/redactor.h"
#include "llm/router/rate_scheduler.h"
#include "llm/router/role_policy.h"
#include "llm/router/sleeper.h"
#include "llm/router/token_estimator.h"
#include "llm/tokenizer/tokenizer_registry.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json.hpp>

#include <set>

namespace codecrew::gateway {

namespace bj = boost::json;

struct Gateway::CallState {
  std::shared_ptr<const Dialect> dialect;
  Caller caller;
  ParsedCall parsed;
  std::shared_ptr<http::ResponseStream> out;
  std::shared_ptr<http::CancelToken> cancel = http::CancelToken::create();

  llm::CallContext context() const {
    llm::CallContext ctx;
    ctx.tenant_id = caller.tenant_id;
    ctx.api_key_id = caller.api_key_id;
    ctx.options.cancel = cancel;
    ctx.openai_request = parsed.openai_request;
    ctx.trace = caller.trace;
    ctx.request_id = caller.request_id;
    ctx.from_gateway = true;
    return ctx;
  }
};

void respondWithFailure(const Dialect& dialect, const GatewayFailure& failure, http::ResponseStream& out) {
  std::vector<std::pair<std::string, std::string>> headers;
  if (failure.retry_after_seconds) headers.emplace_back("Retry-After", std::to_string(*failure.retry_after_seconds));
  out.begin(failure.status, "application/json", headers);
  out.write(dialect.renderError(failure));
  out.end();
}

Gateway::Gateway(GatewayDeps deps, GatewayConfig config)
    : deps_(std::move(deps)),
      config_(std::move(config)),
      memory_(std::make_shared<ResponseMemory>(config_.responses_kept, config_.responses_memory_bytes)) {
  if (config_.discover_models && deps_.client)
    upstream_models_ = std::make_shared<UpstreamModels>(deps_.client, deps_.providers, deps_.clock);
}

namespace {

// An assistant turn that is only tool calls joins the assistant turn
// before it (as one chat message with its text and its calls).
void mergeAssistantTurns(std::vector<llm::Message>& messages) {
  for (std::size_t i = 1; i < messages.size();) {
    auto& prev = messages[i - 1];
    auto& m = messages[i];
    if (prev.role == llm::Role::kAssistant && m.role == llm::Role::kAssistant && m.content.empty() &&
        m.images.empty() && !m.tool_calls.empty()) {
      prev.tool_calls.insert(prev.tool_calls.end(), m.tool_calls.begin(), m.tool_calls.end());
      messages.erase(messages.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      ++i;
    }
  }
}

}  // namespace

core::Status Gateway::prepareConversation(const Caller& caller, ParsedCall& call) const {
  if (call.response_id.empty()) return core::okStatus();
  auto& messages = call.request.messages;
  // Earlier output items, by id, where the input names them (last first, so
  // that the positions before them stay right).
  for (auto it = call.item_references.rbegin(); it != call.item_references.rend(); ++it) {
    auto item = memory_->recall(caller.tenant_id, it->second);
    if (!item) return badRequest("Item with id '" + it->second + "' not found.", "input");
    messages.insert(messages.begin() + static_cast<std::ptrdiff_t>(std::min(it->first, messages.size())),
                    std::make_move_iterator(item->begin()), std::make_move_iterator(item->end()));
  }
  if (!call.item_references.empty()) mergeAssistantTurns(messages);
  if (!call.previous_response_id.empty()) {
    auto earlier = memory_->recall(caller.tenant_id, call.previous_response_id);
    if (!earlier)
      return badRequest("Previous response with id '" + call.previous_response_id + "' not found.",
                        "previous_response_id");
    messages.insert(messages.begin(), std::make_move_iterator(earlier->begin()),
                    std::make_move_iterator(earlier->end()));
  }
  if (messages.empty()) return badRequest("input must hold at least one item", "input");
  // Instructions apply to this call only: the kept conversation has none.
  if (call.store) call.kept = std::make_shared<std::vector<llm::Message>>(messages);
  if (!call.instructions.empty()) messages.insert(messages.begin(), llm::Message::system(call.instructions));
  return core::okStatus();
}

void Gateway::remember(const Caller& caller, const ParsedCall& call, const llm::Message& answer) {
  if (!call.kept) return;
  auto conversation = std::move(*call.kept);
  conversation.push_back(answer);
  memory_->remember(caller.tenant_id, call.response_id, std::move(conversation));
  // Its output items, for item_reference.
  for (auto& [id, message] : responseOutputItems(call.response_id, answer))
    memory_->remember(caller.tenant_id, id, {std::move(message)});
}

namespace {

// The model list of `data`, as both SDKs read it.
bj::object modelList(bj::array data) {
  bj::value first = data.empty() ? bj::value(nullptr) : data.front().as_object().at("id");
  bj::value last = data.empty() ? bj::value(nullptr) : data.back().as_object().at("id");
  return {{"object", "list"}, {"data", std::move(data)}, {"has_more", false}, {"first_id", first}, {"last_id", last}};
}

}  // namespace

bj::object Gateway::models() const {
  bj::array data;
  std::set<std::string> seen;
  configuredModels(data, seen);
  return modelList(std::move(data));
}

boost::asio::awaitable<bj::object> Gateway::listModels() {
  bj::array data;
  std::set<std::string> seen;
  configuredModels(data, seen);
  if (upstream_models_) {
    for (const auto& m : co_await upstream_models_->list()) {
      auto bare = deps_.registry->resolve(m.model);
      std::string id = bare.ok() && bare->provider == m.provider ? m.model : m.provider + "/" + m.model;
      if (seen.insert(id).second) data.push_back(modelEntry(id, m.provider));
    }
  }
  co_return modelList(std::move(data));
}

bj::object Gateway::modelEntry(const std::string& id, const std::string& provider) {
  return bj::object{{"id", id},
                    {"object", "model"},
                    {"type", "model"},
                    {"created", 0},
                    {"created_at", "1970-01-01T00:00:00Z"},
                    {"owned_by", provider},
                    {"display_name", id}};
}

void Gateway::configuredModels(bj::array& data, std::set<std::string>& seen) const {
  auto add = [&](const std::string& id, const std::string& provider) {
    if (seen.insert(id).second) data.push_back(modelEntry(id, provider));
  };
  for (const auto& m : deps_.registry->allModels()) {
    // A provider's model is listed by its bare name too when that name reaches it.
    if (auto bare = deps_.registry->resolve(m.model); bare.ok() && bare->provider == m.provider)
      add(m.model, m.provider);
    add(m.name, m.provider);
  }
}

void Gateway::serveChat(std::shared_ptr<const Dialect> dialect, const Caller& caller, std::string_view body,
                        std::shared_ptr<http::ResponseStream> out, boost::asio::any_io_executor io) {
  auto parsed = dialect->parseRequest(body);
  if (!parsed.ok()) return respondWithFailure(*dialect, failureFromError(parsed.error()), *out);
  if (auto st = prepareConversation(caller, parsed.value()); !st.ok())
    return respondWithFailure(*dialect, failureFromError(st.error()), *out);
  if (!deps_.registry->resolve(parsed->request.model).ok())
    return respondWithFailure(*dialect, failureFromError(modelNotFound(parsed->request.model)), *out);
  if (auto admitted = admit(caller); !admitted.ok())
    return respondWithFailure(*dialect, failureFromError(admitted.error()), *out);
  auto call = std::make_shared<CallState>();
  call->dialect = std::move(dialect);
  call->caller = caller;
  call->parsed = std::move(parsed.value());
  call->out = std::move(out);
  // A client that goes away cancels the upstream call (after end() this is a no-op).
  call->out->onDisconnect([cancel = call->cancel] { cancel->cancel(); });
  boost::asio::co_spawn(io ? io : deps_.io, run(call), boost::asio::detached);
}

boost::asio::awaitable<void> Gateway::run(std::shared_ptr<CallState> call) {
  try {
    if (call->parsed.stream) {
      co_await runStream(*call);
    } else {
      co_await runWhole(*call);
    }
  } catch (const std::exception& e) {
    core::log::error("gateway call failed unexpectedly", {{"error", e.what()}});
    if (!call->out->closed()) call->out->end();
  }
}

core::Status Gateway::admit(const Caller& caller) {
  auto admitted = deps_.limiter->admit(caller, config_.limitsFor(caller.key_prefix));
  if (!admitted.ok() && deps_.budget_exhausted &&
      failureFromError(admitted.error()).category == FailureCategory::kBudget)
    deps_.budget_exhausted->inc();
  return admitted;
}

void Gateway::settle(const Caller& caller, std::int64_t tokens, double cost) {
  deps_.limiter->settle(caller, tokens, cost);
}

void Gateway::settle(const CallState& call, const llm::RoutedResponse& routed) {
  deps_.limiter->settle(call.caller, routed.response.usage.total_tokens, routed.cost);
}

boost::asio::awaitable<void> Gateway::runWhole(CallState& call) {
  // The router takes the request; only its model name is needed after.
  auto request = std::move(call.parsed.request);
  call.parsed.request.model = request.model;
  auto routed = co_await deps_.router->chat(config_.role, std::move(request), call.context());
  if (!routed.ok()) {
    respondWithFailure(*call.dialect, failureFromError(routed.error()), *call.out);
    co_return;
  }
  settle(call, routed.value());
  remember(call.caller, call.parsed, routed->response.message);
  call.out->begin(200, "application/json");
  if (routed->forwarded) {
    call.out->write(std::move(routed->forwarded->body));
  } else {
    call.out->write(call.dialect->renderResponse(routed->response, call.parsed, deps_.clock->nowMillis()));
  }
  call.out->end();
}

boost::asio::awaitable<void> Gateway::runStream(CallState& call) {
  // Made when first needed: a forwarded stream never needs it.
  std::unique_ptr<StreamRenderer> made;
  auto renderer = [&]() -> StreamRenderer& {
    if (!made) made = call.dialect->streamRenderer(call.parsed, deps_.clock->nowMillis());
    return *made;
  };
  bool begun = false;
  auto& out = *call.out;
  auto beginOnce = [&] {
    if (begun) return;
    begun = true;
    out.begin(200, "text/event-stream", {{"Cache-Control", "no-cache"}, {"X-Accel-Buffering", "no"}});
  };
  llm::DeltaSink sink = [&](const llm::StreamDelta& delta) {
    beginOnce();
    auto frames = renderer().delta(delta);
    if (!frames.empty() && !out.write(std::move(frames))) call.cancel->cancel();
  };
  // A forwarded frame is already in the caller's dialect.
  llm::FrameSink frame_sink = [&](std::string_view frame) {
    beginOnce();
    if (!out.write(std::string(frame))) call.cancel->cancel();
  };
  // The router takes the request; only its model name is needed after.
  auto request = std::move(call.parsed.request);
  call.parsed.request.model = request.model;
  auto context = call.context();
  auto routed = co_await deps_.router->stream(config_.role, std::move(request), std::move(context), std::move(sink),
                                              std::move(frame_sink));
  if (!routed.ok()) {
    auto failure = failureFromError(routed.error());
    if (!begun) {
      respondWithFailure(*call.dialect, failure, out);
    } else {
      out.write(renderer().error(failure));
      out.end();
    }
    co_return;
  }
  settle(call, routed.value());
  remember(call.caller, call.parsed, routed->response.message);
  beginOnce();
  // A forwarded stream's closing frames came from the provider.
  if (!routed->forwarded) out.write(renderer().finish(routed->response));
  out.end();
}

void Gateway::flushRecords() {
  if (deps_.writer) deps_.writer->flush();
}

namespace {

UsageLoader storeUsageLoader(std::shared_ptr<store::LlmCallStore> store) {
  return [store](const Caller& caller, core::Millis since) -> core::Result<KeyUsage> {
    store::LlmCallQuery q;
    q.api_key_id = caller.api_key_id;
    q.date_from = since;
    auto totals = store->llmCallTotals(caller.tenant_id, q);
    if (!totals.ok()) return totals.error();
    return KeyUsage{totals->total_tokens, totals->total_cost};
  };
}

}  // namespace

core::Result<std::shared_ptr<Gateway>> buildGateway(const bj::object& document, const llm::LlmRuntime& runtime,
                                                    GatewayOptions options) {
  auto config = gatewayConfigFromDocument(document);
  if (!config.ok()) return config.error();
  auto policies = llm::rolePoliciesFromConfig(document);
  if (!policies.ok()) return policies.error();
  auto redactor = llm::Redactor::create(runtime.config.secrets(), runtime.config.redact_patterns);
  if (!redactor.ok()) return redactor.error();
  std::shared_ptr<BatchedCallWriter> writer;
  std::shared_ptr<llm::CallRecorder> recorder = runtime.recorder;
  if (options.store) {
    writer = std::make_shared<BatchedCallWriter>(options.store, config->writer);
    recorder = writer;
  }
  auto sleeper = std::make_shared<llm::AsioSleeper>();
  llm::RouterDeps deps{runtime.registry,     recorder, redactor.value(),
                       options.clock,        sleeper,  std::make_shared<llm::RateScheduler>(options.clock, sleeper),
                       runtime.config.prices};
  if (options.tiktoken_dir)
    deps.estimator = llm::tokenizerEstimator(
        std::make_shared<llm::tokenizer::TokenizerRegistry>(*options.tiktoken_dir));
  auto estimator = deps.estimator;
  if (options.metrics) deps.metrics = std::make_shared<llm::RouterMetrics>(*options.metrics, "gateway");
  deps.tracer = options.tracer;
  auto router = std::make_shared<llm::Router>(std::move(deps));
  router->applyLimits(runtime.config);
  for (auto& [role, policy] : policies.value()) router->setPolicy(policy);
  auto limiter = std::make_shared<KeyLimiter>(options.clock,
                                              options.store ? storeUsageLoader(options.store) : UsageLoader{});
  GatewayDeps gd{router, runtime.registry, limiter, writer, options.clock, options.io};
  gd.client = runtime.client;
  gd.providers = runtime.config.providers;
  gd.estimator = std::move(estimator);
  if (options.metrics) gd.budget_exhausted = &llm::budgetExhaustedFamily(*options.metrics).with({"gateway"});
  return std::make_shared<Gateway>(std::move(gd), std::move(config.value()));
}

}  // namespace codecrew::gateway
