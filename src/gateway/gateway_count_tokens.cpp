// Gateway::serveCountTokens: POST /v1/messages/count_tokens (see gateway.h).
#include "gateway/gateway.h"

#include "core/log.h"
#include "gateway/anthropic_dialect.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json.hpp>

namespace codecrew::gateway {

namespace bj = boost::json;

namespace {

const Dialect& anthropic() {
  static const AnthropicDialect dialect;
  return dialect;
}

void respondJson(http::ResponseStream& out, int status, std::string body) {
  out.begin(status, "application/json");
  out.write(std::move(body));
  out.end();
}

// The provider's count_tokens URL: Anthropic's path under its base URL
// (which may or may not end in /v1, as for messages).
std::string countTokensUrl(std::string base) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (base.ends_with("/v1")) base.resize(base.size() - 3);
  return base + "/v1/messages/count_tokens";
}

}  // namespace

void Gateway::serveCountTokens(const Caller& caller, std::string_view body, std::shared_ptr<http::ResponseStream> out,
                               boost::asio::any_io_executor io) {
  (void)caller;  // authenticated by the route; counting is free, so no limits apply
  auto request = parseCountTokensRequest(body);
  if (!request.ok()) return respondWithFailure(anthropic(), failureFromError(request.error()), *out);
  auto resolved = deps_.registry->resolve(request->model);
  if (!resolved.ok()) return respondWithFailure(anthropic(), failureFromError(modelNotFound(request->model)), *out);
  auto provider = deps_.registry->provider(resolved->provider);
  if (deps_.client && provider && provider->kind() == "anthropic") {
    // The provider's own count, for its own model id.
    boost::system::error_code ec;
    auto forwarded = bj::parse(body, ec);
    forwarded.as_object()["model"] = resolved->model;
    boost::asio::co_spawn(io ? io : deps_.io,
                          forwardCountTokens(std::move(resolved).value(), bj::serialize(forwarded), std::move(out)),
                          boost::asio::detached);
    return;
  }
  auto counted = request.value();
  counted.model = resolved->model;
  respondJson(*out, 200, bj::serialize(bj::object{{"input_tokens", deps_.estimator(counted)}}));
}

boost::asio::awaitable<void> Gateway::forwardCountTokens(llm::ResolvedModel model, std::string body,
                                                         std::shared_ptr<http::ResponseStream> out) {
  const llm::ProviderConfig* config = nullptr;
  for (const auto& p : deps_.providers) {
    if (p.name == model.provider) config = &p;
  }
  if (!config) {
    respondWithFailure(anthropic(), failureFromError(modelNotFound(model.name)), *out);
    co_return;
  }
  http::ClientRequest req;
  req.method = "POST";
  req.url = countTokensUrl(config->base_url);
  if (!config->api_key.empty()) req.headers.emplace_back("x-api-key", config->api_key);
  req.headers.emplace_back("anthropic-version", config->api_version.empty() ? "2023-06-01" : config->api_version);
  req.headers.emplace_back("Content-Type", "application/json");
  req.body = std::move(body);
  req.timeouts.first_byte = std::chrono::seconds(60);
  req.timeouts.total = std::chrono::seconds(60);
  auto sent = co_await deps_.client->send(std::move(req));
  if (!sent.ok()) {
    core::log::warn("count_tokens upstream failed",
                    {{"provider", model.provider}, {"model", model.model}, {"error", sent.error().message}});
    respondWithFailure(anthropic(),
                       GatewayFailure{502,
                                      FailureCategory::kUpstream,
                                      "upstream_error",
                                      "provider " + model.provider + " could not count tokens: " + sent.error().message,
                                      {},
                                      ""},
                       *out);
    co_return;
  }
  // Anthropic's answer (or its error, already in Anthropic's shape) as it is.
  boost::system::error_code ec;
  auto answer = bj::parse(sent->body, ec);
  if (ec || !answer.is_object()) {
    respondWithFailure(anthropic(),
                       GatewayFailure{502,
                                      FailureCategory::kUpstream,
                                      "upstream_error",
                                      "provider " + model.provider + " answered count_tokens with no JSON object",
                                      {},
                                      ""},
                       *out);
    co_return;
  }
  if (sent->status >= 400)
    core::log::warn("count_tokens upstream refused",
                    {{"provider", model.provider}, {"model", model.model}, {"status", sent->status}});
  respondJson(*out, sent->status, std::move(sent->body));
}

}  // namespace codecrew::gateway
