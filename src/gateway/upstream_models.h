// UpstreamModels: the models each configured provider says it serves, from
// its own list endpoint, for GET /v1/models: OpenAI-compatible kinds (openai,
// groq, openrouter, openai_compatible) GET {base}/models, Anthropic
// GET /v1/models, Gemini GET {base}/models (those that generateContent,
// without the "models/" prefix), Ollama GET /api/tags. Azure is not asked
// (its models are its deployments). Each provider's list is kept for `ttl`;
// a provider that fails (unreachable, an error status, an answer of the
// wrong shape) is logged at warn, contributes nothing, and is asked again
// after `retry_after`. Asking is bounded by `timeout` per provider, and the
// providers are asked one after another.
// Thread-safety: list() may run from any number of coroutines at once (two
// at the same moment may both ask a provider whose list has expired).
#pragma once

#include "core/clock.h"
#include "http/client/http_client.h"
#include "llm/llm_config.h"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace codecrew::gateway {

struct UpstreamModel {
  std::string provider;  // the configured provider's name
  std::string model;     // the provider's model id
};

struct UpstreamModelsOptions {
  std::chrono::milliseconds ttl{300'000};
  std::chrono::milliseconds retry_after{60'000};
  std::chrono::milliseconds timeout{5'000};
};

class UpstreamModels {
 public:
  UpstreamModels(std::shared_ptr<http::HttpClient> client, std::vector<llm::ProviderConfig> providers,
                 std::shared_ptr<core::Clock> clock, UpstreamModelsOptions options = {});

  // Every provider's models, in the order of the configuration.
  boost::asio::awaitable<std::vector<UpstreamModel>> list();

 private:
  struct Cached {
    std::vector<std::string> models;
    core::Millis until = 0;
  };
  boost::asio::awaitable<std::vector<std::string>> ask(const llm::ProviderConfig& provider);

  std::shared_ptr<http::HttpClient> client_;
  std::vector<llm::ProviderConfig> providers_;
  std::shared_ptr<core::Clock> clock_;
  UpstreamModelsOptions options_;
  std::mutex mu_;
  std::map<std::string, Cached> cache_;  // by provider name; guarded by mu_
};

// The list request for a provider's models, or nothing for a kind that has
// no list to ask (exposed for tests).
std::optional<http::ClientRequest> modelListRequest(const llm::ProviderConfig& provider);
// The model ids in a provider's list answer; kInvalidArgument when it is not
// of the kind's shape (exposed for tests).
core::Result<std::vector<std::string>> parseModelList(const std::string& kind, std::string_view body);

}  // namespace codecrew::gateway
