// /v1: the OpenAI- and Anthropic-compatible gateway (SPEC §7, issue 4).
#include "api/gateway_routes.h"

#include "api/auth.h"
#include "api/crew_model_handler.h"
#include "api/render.h"
#include "api/route_support.h"
#include "core/log.h"
#include "gateway/anthropic_dialect.h"
#include "gateway/openai_dialect.h"
#include "gateway/responses_dialect.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json.hpp>

#include <charconv>

namespace codecrew::api {
namespace bj = boost::json;
using http::Response;

namespace {

constexpr std::size_t kKeyPrefixLength = 11;  // as mintApiKey stores it

// Anthropic clients send the key as x-api-key; the house authentication reads
// the Authorization header, so the key is moved there first.
void acceptXApiKey(http::Request& req) {
  if (req.header("Authorization")) return;
  if (auto key = req.header("x-api-key"); key && !key->empty()) req.headers["Authorization"] = "Bearer " + *key;
}

core::Result<gateway::Caller> identify(const ApiContext& ctx, http::Request& req, bool calls_model) {
  acceptXApiKey(req);
  auto principal = authenticate(ctx, req);
  if (!principal) {
    // No tenant to audit it under: the server log keeps it (the key's
    // prefix at most, never the key).
    auto header = req.header("Authorization").value_or("");
    core::log::info("gateway call refused",
                    {{"path", req.path},
                     {"reason", principal.error().message},
                     {"key_prefix", header.substr(std::min(header.size(), std::size_t{7}), kKeyPrefixLength)}});
    return principal.error();
  }
  if (calls_model) {
    if (auto st = requireWrite(*principal); !st) {
      auditCall(ctx, *principal, req, "gateway.call", http::httpStatusFor(st.error().code));
      return st.error();
    }
  }
  gateway::Caller caller{principal->tenant_id, principal->api_key_id, "", req.trace, req.request_id};
  if (principal->api_key_id) {
    auto header = req.header("Authorization").value_or("");
    caller.key_prefix = header.substr(std::min(header.size(), std::size_t{7}), kKeyPrefixLength);
  }
  return caller;
}

// The dialect a request for a shared route (/v1/models, /v1/usage) speaks.
const gateway::Dialect& dialectOf(const http::Request& req) {
  static const gateway::OpenAiDialect openai;
  static const gateway::AnthropicDialect anthropic;
  if (req.header("anthropic-version") || (!req.header("Authorization") && req.header("x-api-key"))) return anthropic;
  return openai;
}

// The router's own refusals under /v1 (unknown path, wrong method, not
// JSON) in the dialect of the path: Anthropic's under /v1/messages, OpenAI's
// elsewhere. The status, message and headers (Allow) stay.
Response dialectRefusal(std::string_view path, Response refusal) {
  static const gateway::OpenAiDialect openai;
  static const gateway::AnthropicDialect anthropic;
  const gateway::Dialect& dialect = path == "/v1/messages" || path.starts_with("/v1/messages/")
                                        ? static_cast<const gateway::Dialect&>(anthropic)
                                        : openai;
  gateway::GatewayFailure failure;
  failure.status = refusal.status;
  boost::system::error_code ec;
  auto body = bj::parse(refusal.body, ec);
  const auto* error = !ec && body.is_object() ? body.as_object().if_contains("error") : nullptr;
  if (error && error->is_object()) {
    if (const auto* m = error->as_object().if_contains("message"); m && m->is_string())
      failure.message = std::string(m->as_string());
  }
  switch (refusal.status) {
    case 401: failure.category = gateway::FailureCategory::kAuthentication; break;
    case 403: failure.category = gateway::FailureCategory::kPermission; break;
    case 404: failure.category = gateway::FailureCategory::kNotFound; break;
    case 429: failure.category = gateway::FailureCategory::kRateLimit; break;
    default:
      failure.category = refusal.status >= 500 ? gateway::FailureCategory::kInternal
                                               : gateway::FailureCategory::kInvalidRequest;
  }
  failure.code = refusal.status == 404   ? "unknown_url"
                 : refusal.status == 405 ? "method_not_allowed"
                 : refusal.status == 415 ? "unsupported_media_type"
                                         : "invalid_request";
  Response shaped = Response::text(refusal.status, dialect.renderError(failure), "application/json");
  shaped.headers = std::move(refusal.headers);
  return shaped;
}

Response failureResponse(const gateway::Dialect& dialect, const core::Error& error) {
  auto failure = gateway::failureFromError(error);
  Response r = Response::text(failure.status, dialect.renderError(failure), "application/json");
  if (failure.retry_after_seconds) r.headers.emplace_back("Retry-After", std::to_string(*failure.retry_after_seconds));
  return r;
}

// A model call in a dialect: a crew/<name> model is answered by a crew
// (crew_model_handler.h), any other by the gateway's routing.
http::StreamHandler chatHandler(std::shared_ptr<const ApiContext> ctx, std::shared_ptr<gateway::Gateway> gw,
                                std::shared_ptr<const gateway::Dialect> dialect, std::shared_ptr<CrewAnswers> answers) {
  return [ctx, gw, dialect, answers](http::Request& req, std::shared_ptr<http::ResponseStream> out) {
    auto caller = identify(*ctx, req, true);
    if (!caller) {
      gateway::respondWithFailure(*dialect, gateway::failureFromError(caller.error()), *out);
      return;
    }
    // A crew model never reaches a provider, even when the crew engine is
    // not attached (serveCrewModel then refuses it).
    if (!namesCrewModel(req.body)) return gw->serveChat(dialect, *caller, req.body, std::move(out), req.io);
    CrewModelCall call{dialect, *caller, req.header("Idempotency-Key"), false, req.io};
    auto retries = req.header("x-stainless-retry-count");
    if (retries) {
      int n = 0;
      auto [p, ec] = std::from_chars(retries->data(), retries->data() + retries->size(), n);
      call.sdk_retry = ec == std::errc() && n > 0;
    }
    serveCrewModel(ctx, *gw, *answers, call, req.body, std::move(out));
  };
}

// A route that needs a key allowed to write and hands the body to one of
// the gateway's serve functions (a refused key answered in `dialect`).
using ServeFn = void (gateway::Gateway::*)(const gateway::Caller&, std::string_view,
                                           std::shared_ptr<http::ResponseStream>, boost::asio::any_io_executor);
http::StreamHandler keyedHandler(std::shared_ptr<const ApiContext> ctx, std::shared_ptr<gateway::Gateway> gw,
                                 std::shared_ptr<const gateway::Dialect> dialect, ServeFn serve) {
  return [ctx, gw, dialect, serve](http::Request& req, std::shared_ptr<http::ResponseStream> out) {
    auto caller = identify(*ctx, req, true);
    if (!caller) return gateway::respondWithFailure(*dialect, gateway::failureFromError(caller.error()), *out);
    ((*gw).*serve)(*caller, req.body, std::move(out), req.io);
  };
}

core::Result<Response> usage(const ApiContext& ctx, http::Request& req) {
  auto caller = identify(ctx, req, false);
  if (!caller) return caller.error();
  auto q = parseLlmCallQuery(req);
  if (!q) return q.error();
  q->api_key_id = caller->api_key_id;
  auto page = ctx.store->listLlmCalls(caller->tenant_id, *q);
  if (!page) return page.error();
  store::LlmCallQuery all = *q;
  all.page = {};
  auto totals = ctx.store->llmCallTotals(caller->tenant_id, all);
  if (!totals) return totals.error();
  bj::array calls;
  for (const auto& c : page->items) calls.push_back(toJson(c));
  bj::object out{{"object", "list"},
                 {"api_key_id", caller->api_key_id ? bj::value(*caller->api_key_id) : bj::value(nullptr)},
                 {"total_calls", totals->calls},
                 {"total_tokens_used", totals->total_tokens},
                 {"total_cost", totals->total_cost},
                 {"page", q->page.page},
                 {"page_size", q->page.page_size},
                 {"total", page->total},
                 {"calls", std::move(calls)}};
  return Response::json(200, out);
}

}  // namespace

void registerGatewayRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx,
                           std::shared_ptr<gateway::Gateway> gw) {
  router.shapeErrorsUnder("/v1", dialectRefusal);
  http::RouteOptions models_opts{true, "Models and aliases the gateway serves (OpenAI and Anthropic list shapes)",
                                 "gateway"};
  models_opts.doc = {.operation_id = "listModels", .response = "ModelList"};
  // Inline: the list is assembled on the I/O thread, waiting on the
  // providers' list endpoints (cached) without holding a thread.
  models_opts.runs_inline = [](const http::Request&) { return true; };
  router.addStream(
      "GET", "/v1/models",
      [ctx, gw](http::Request& req, std::shared_ptr<http::ResponseStream> out) {
        auto caller = identify(*ctx, req, false);
        if (!caller)
          return gateway::respondWithFailure(dialectOf(req), gateway::failureFromError(caller.error()), *out);
        auto answer = [](std::shared_ptr<const ApiContext> ctx, std::shared_ptr<gateway::Gateway> gw,
                         std::shared_ptr<http::ResponseStream> out) -> boost::asio::awaitable<void> {
          auto list = co_await gw->listModels();
          appendCrewModels(*ctx, list);
          out->begin(200, "application/json");
          out->write(bj::serialize(list));
          out->end();
        };
        boost::asio::co_spawn(req.io, answer(ctx, gw, std::move(out)), boost::asio::detached);
      },
      models_opts);
  // The model routes run on the I/O thread (runs_inline): their handlers
  // authenticate (a WAL read that never waits for writers), parse, admit and
  // start the call as a coroutine on the same thread (req.io), then return. A crew
  // model's call waits for its crew, so it stays on the blocking pool.
  auto always = [](const http::Request&) { return true; };
  auto model_inline = [](const http::Request& req) { return !namesCrewModel(req.body); };
  auto answers = std::make_shared<CrewAnswers>(ctx->clock);
  http::RouteOptions chat_opts{true, "OpenAI-compatible chat completions (stream, tools, response_format)", "gateway"};
  chat_opts.runs_inline = model_inline;
  chat_opts.doc = {.operation_id = "createChatCompletion",
                   .request = "ChatCompletionRequest",
                   .response = "ChatCompletion",
                   .streams = true,
                   .rate_limited = true};
  router.addStream("POST", "/v1/chat/completions",
                   chatHandler(ctx, gw, std::make_shared<const gateway::OpenAiDialect>(), answers), chat_opts);
  http::RouteOptions embeddings_opts{true, "OpenAI-compatible embeddings (float or base64)", "gateway"};
  embeddings_opts.runs_inline = always;
  embeddings_opts.doc = {.operation_id = "createEmbeddings",
                         .request = "EmbeddingsRequest",
                         .response = "Embeddings",
                         .rate_limited = true};
  router.addStream("POST", "/v1/embeddings",
                   keyedHandler(ctx, gw, std::make_shared<const gateway::OpenAiDialect>(),
                                &gateway::Gateway::serveEmbeddings),
                   embeddings_opts);
  http::RouteOptions messages_opts{true, "Anthropic-compatible messages (stream, tools)", "gateway"};
  messages_opts.runs_inline = model_inline;
  messages_opts.doc = {.operation_id = "createMessage",
                       .request = "MessagesRequest",
                       .response = "AnthropicMessage",
                       .streams = true,
                       .rate_limited = true};
  router.addStream("POST", "/v1/messages",
                   chatHandler(ctx, gw, std::make_shared<const gateway::AnthropicDialect>(), answers), messages_opts);
  http::RouteOptions responses_opts{
      true, "OpenAI-compatible Responses API (input items, function tools, stream events, previous_response_id)",
      "gateway"};
  responses_opts.runs_inline = model_inline;
  responses_opts.doc = {.operation_id = "createResponse",
                        .request = "ResponsesRequest",
                        .response = "ResponsesResponse",
                        .streams = true,
                        .rate_limited = true};
  router.addStream("POST", "/v1/responses",
                   chatHandler(ctx, gw, std::make_shared<const gateway::ResponsesDialect>(), answers), responses_opts);
  http::RouteOptions count_opts{true, "Anthropic-compatible token count of a messages request", "gateway"};
  count_opts.runs_inline = always;
  count_opts.doc = {.operation_id = "countMessageTokens", .request = "CountTokensRequest", .response = "TokenCount"};
  router.addStream("POST", "/v1/messages/count_tokens",
                   keyedHandler(ctx, gw, std::make_shared<const gateway::AnthropicDialect>(),
                                &gateway::Gateway::serveCountTokens),
                   count_opts);
  http::RouteOptions usage_opts{
      true, "The caller's gateway calls: page, page_size, sort_by, sort_dir, model, q, date_from, date_to", "gateway"};
  usage_opts.doc = {.operation_id = "getGatewayUsage", .response = "GatewayUsage", .query = llmCallQueryDocs()};
  router.add(
      "GET", "/v1/usage",
      [ctx](http::Request& req) {
        auto r = usage(*ctx, req);
        return r ? std::move(r).value() : failureResponse(dialectOf(req), r.error());
      },
      usage_opts);
}

}  // namespace codecrew::api
