#include "engine/model_client.h"

namespace codecrew::engine {

RouterModelClient::RouterModelClient(std::shared_ptr<llm::Router> router,
                                     std::shared_ptr<llm::ProviderRegistry> registry,
                                     std::shared_ptr<const llm::RoleModels> roles, TokenSink tokens)
    : router_(std::move(router)),
      registry_(std::move(registry)),
      roles_(std::move(roles)),
      tokens_(std::move(tokens)) {}

RouterModelClient::RouterModelClient(std::shared_ptr<llm::Router> router,
                                     std::shared_ptr<llm::ProviderRegistry> registry,
                                     std::map<std::string, std::string> primary_models, std::string default_model,
                                     TokenSink tokens)
    : RouterModelClient(std::move(router), std::move(registry),
                        std::make_shared<const llm::RoleModels>(llm::LlmConfig{}, std::move(primary_models),
                                                                std::move(default_model)),
                        std::move(tokens)) {}

boost::asio::awaitable<core::Result<ModelReply>> RouterModelClient::call(const std::string& policy_role,
                                                                         llm::ChatRequest request,
                                                                         llm::CallContext context) {
  if (request.model.empty()) {
    auto choice = roles_->choose(policy_role);
    if (choice.model.empty())
      co_return core::Error::invalidArgument("no model for role '" + policy_role + "': " + choice.problem);
    request.model = std::move(choice.model);
  }
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
  auto choice = roles_->choose(policy_role);
  if (choice.model.empty() || !registry_) return 0;
  auto resolved = registry_->resolve(choice.model);
  if (!resolved) return llm::knownContextWindow(choice.model);
  return resolved->context_window ? resolved->context_window : llm::knownContextWindow(resolved->model);
}

}  // namespace codecrew::engine
