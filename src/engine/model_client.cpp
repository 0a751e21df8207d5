#include "engine/model_client.h"

namespace codecrew::engine {

RouterModelClient::RouterModelClient(std::shared_ptr<llm::Router> router,
                                     std::shared_ptr<llm::ProviderRegistry> registry,
                                     std::map<std::string, std::string> primary_models, std::string default_model,
                                     TokenSink tokens)
    : router_(std::move(router)),
      registry_(std::move(registry)),
      primary_models_(std::move(primary_models)),
      default_model_(std::move(default_model)),
      tokens_(std::move(tokens)) {}

boost::asio::awaitable<core::Result<ModelReply>> RouterModelClient::call(const std::string& policy_role,
                                                                         llm::ChatRequest request,
                                                                         llm::CallContext context) {
  if (request.model.empty()) request.model = default_model_;
  core::Result<llm::RoutedResponse> routed = core::Error::internal("not called");
  if (tokens_) {
    llm::DeltaSink on_delta = [sink = tokens_, ctx = context](const llm::StreamDelta& d) {
      if (d.kind == llm::StreamDelta::Kind::kText && !d.text.empty()) sink(ctx, d.text);
    };
    auto streamed = co_await router_->stream(policy_role, std::move(request), std::move(context), std::move(on_delta));
    routed = std::move(streamed);
  } else {
    auto whole = co_await router_->chat(policy_role, std::move(request), std::move(context));
    routed = std::move(whole);
  }
  if (!routed) co_return routed.error();
  co_return ModelReply{std::move(routed->response), routed->provider, routed->model, routed->cost, routed->call_id};
}

std::int64_t RouterModelClient::contextWindow(const std::string& policy_role) const {
  auto it = primary_models_.find(policy_role);
  if (it == primary_models_.end() || !registry_) return 0;
  auto resolved = registry_->resolve(it->second);
  if (!resolved) return llm::knownContextWindow(it->second);
  return resolved->context_window ? resolved->context_window : llm::knownContextWindow(resolved->model);
}

}  // namespace codecrew::engine
