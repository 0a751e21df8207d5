// ModelClient: how the engine reaches a model. The real one (RouterModelClient)
// goes through llm::Router, which picks the model for the agent's policy
// role, retries, falls back, prices the call and records every attempt as an
// LlmCall. The interface exists so the engine can be driven by anything that
// answers a ChatRequest (e.g. a gateway-side crew, or a benchmark stub).
// Thread-safety: implementations are safe to call from concurrent coroutines.
#pragma once

#include "core/result.h"
#include "llm/role_models.h"
#include "llm/router/router.h"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <map>
#include <memory>
#include <string>

namespace codecrew::engine {

struct ModelReply {
  llm::ChatResponse response;
  std::string provider;
  std::string model;
  double cost = 0;
  core::Id call_id = 0;
};

class ModelClient {
 public:
  virtual ~ModelClient() = default;
  // policy_role names the llm RolePolicy to call through.
  virtual boost::asio::awaitable<core::Result<ModelReply>> call(const std::string& policy_role,
                                                                llm::ChatRequest request, llm::CallContext context) = 0;
  // The context window of the policy's primary model (0 when unknown).
  virtual std::int64_t contextWindow(const std::string& policy_role) const = 0;
};

// Receives the text of a model's answer as it streams, with the call's
// context (tenant, execution, conversation); called on the model call's
// thread, must not block.
using TokenSink = std::function<void(const llm::CallContext& context, const std::string& text)>;

class RouterModelClient final : public ModelClient {
 public:
  // registry resolves roles' models to context windows; roles says which
  // model a role's call asks for when its request names none (a role with
  // none fails the call with kInvalidArgument before anything is sent).
  // With a token sink, calls stream and their text goes to it as it comes;
  // the reply is the same whole answer either way.
  RouterModelClient(std::shared_ptr<llm::Router> router, std::shared_ptr<llm::ProviderRegistry> registry,
                    std::shared_ptr<const llm::RoleModels> roles, TokenSink tokens = {});
  // The same with roles from [roles.*] primaries and one default model only.
  RouterModelClient(std::shared_ptr<llm::Router> router, std::shared_ptr<llm::ProviderRegistry> registry,
                    std::map<std::string, std::string> primary_models = {}, std::string default_model = "",
                    TokenSink tokens = {});

  boost::asio::awaitable<core::Result<ModelReply>> call(const std::string& policy_role, llm::ChatRequest request,
                                                        llm::CallContext context) override;
  std::int64_t contextWindow(const std::string& policy_role) const override;

 private:
  std::shared_ptr<llm::Router> router_;
  std::shared_ptr<llm::ProviderRegistry> registry_;
  std::shared_ptr<const llm::RoleModels> roles_;
  TokenSink tokens_;
};

}  // namespace codecrew::engine
