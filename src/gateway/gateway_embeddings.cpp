// Gateway::serveEmbeddings: POST /v1/embeddings (see gateway.h).
#include "gateway/gateway.h"

#include "core/log.h"
#include "gateway/openai_dialect.h"
#include "gateway/openai_embeddings.h"
#include "http/client/cancel_token.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

namespace codecrew::gateway {

namespace {

const Dialect& openAi() {
  static const OpenAiDialect dialect;
  return dialect;
}

core::Error cannotEmbed(const std::string& model, const std::string& provider) {
  return badRequest("The model '" + model + "' is served by provider '" + provider +
                        "', which has no embeddings API; pick an embedding model of an OpenAI-compatible, Azure, "
                        "Ollama or Gemini provider",
                    "model");
}

}  // namespace

struct Gateway::EmbedState {
  Caller caller;
  ParsedEmbeddingCall parsed;
  std::shared_ptr<http::ResponseStream> out;
  std::shared_ptr<http::CancelToken> cancel = http::CancelToken::create();
};

void Gateway::serveEmbeddings(const Caller& caller, std::string_view body, std::shared_ptr<http::ResponseStream> out,
                              boost::asio::any_io_executor io) {
  auto parsed = parseEmbeddingRequest(body);
  if (!parsed.ok()) return respondWithFailure(openAi(), failureFromError(parsed.error()), *out);
  auto resolved = deps_.registry->resolve(parsed->request.model);
  if (!resolved.ok()) return respondWithFailure(openAi(), failureFromError(modelNotFound(parsed->request.model)), *out);
  auto provider = deps_.registry->provider(resolved->provider);
  if (!provider || !provider->embeds())
    return respondWithFailure(openAi(), failureFromError(cannotEmbed(parsed->request.model, resolved->provider)), *out);
  if (auto admitted = admit(caller); !admitted.ok())
    return respondWithFailure(openAi(), failureFromError(admitted.error()), *out);
  auto call = std::make_shared<EmbedState>();
  call->caller = caller;
  call->parsed = std::move(parsed.value());
  call->out = std::move(out);
  call->out->onDisconnect([cancel = call->cancel] { cancel->cancel(); });
  boost::asio::co_spawn(io ? io : deps_.io, runEmbed(call), boost::asio::detached);
}

boost::asio::awaitable<void> Gateway::runEmbed(std::shared_ptr<EmbedState> call) {
  try {
    llm::CallContext ctx;
    ctx.tenant_id = call->caller.tenant_id;
    ctx.api_key_id = call->caller.api_key_id;
    ctx.options.cancel = call->cancel;
    ctx.trace = call->caller.trace;
    ctx.request_id = call->caller.request_id;
    ctx.from_gateway = true;
    const std::string model = call->parsed.request.model;
    auto request = call->parsed.request;
    auto routed = co_await deps_.router->embed(config_.role, std::move(request), std::move(ctx));
    if (!routed.ok()) {
      respondWithFailure(openAi(), failureFromError(routed.error()), *call->out);
      co_return;
    }
    deps_.limiter->settle(call->caller, routed->response.usage.total_tokens, routed->cost);
    call->out->begin(200, "application/json");
    call->out->write(renderEmbeddingResponse(routed->response, model, call->parsed.base64));
    call->out->end();
  } catch (const std::exception& e) {
    core::log::error("gateway embeddings call failed unexpectedly", {{"error", e.what()}});
    if (!call->out->closed()) call->out->end();
  }
}

}  // namespace codecrew::gateway
