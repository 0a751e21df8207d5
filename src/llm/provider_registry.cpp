#include "llm/provider_registry.h"

#include "core/crypto.h"
#include "llm/providers/anthropic_wire.h"
#include "llm/providers/bedrock_embedding_wire.h"
#include "llm/providers/bedrock_wire.h"
#include "llm/providers/embedding_wire.h"
#include "llm/providers/gemini_embedding_wire.h"
#include "llm/providers/gemini_wire.h"
#include "llm/providers/http_provider.h"
#include "llm/providers/ollama_embedding_wire.h"
#include "llm/providers/ollama_wire.h"
#include "llm/providers/openai_embedding_wire.h"
#include "llm/providers/openai_forwarding_wire.h"
#include "llm/providers/openai_wire.h"

#include <algorithm>

namespace codecrew::llm {

using core::Error;
using core::Result;

std::string apiKeyId(const std::string& api_key) {
  return api_key.empty() ? "" : core::sha256Hex(api_key).substr(0, 12);
}

namespace {

Endpoint endpointOf(const ProviderConfig& c) {
  Endpoint endpoint{c.base_url, c.api_key, c.api_version, c.deployment, {}};
  if (c.kind == "openrouter") endpoint.extra_headers.emplace_back("X-Title", "codecrew");
  return endpoint;
}

bool speaksOpenAi(const std::string& kind) {
  return kind != "anthropic" && kind != "gemini" && kind != "ollama" && kind != "bedrock";
}

}  // namespace

std::string providerKeyId(const ProviderConfig& c) {
  return apiKeyId(c.kind == "bedrock" ? c.aws.access_key_id : c.api_key);
}

std::shared_ptr<const WireFormat> makeWireFormat(const ProviderConfig& c, std::shared_ptr<core::Clock> clock) {
  Endpoint endpoint = endpointOf(c);
  if (c.kind == "bedrock")
    return std::make_shared<BedrockWire>(endpoint, BedrockAuth{c.aws, c.region},
                                         clock ? std::move(clock) : core::SystemClock::instance());
  if (c.kind == "anthropic") return std::make_shared<AnthropicWire>(endpoint);
  if (c.kind == "gemini") return std::make_shared<GeminiWire>(endpoint);
  if (c.kind == "ollama") return std::make_shared<OllamaWire>(endpoint);
  if (c.kind == "azure") return std::make_shared<OpenAiWire>(endpoint, OpenAiWire::Flavor::kAzure);
  return std::make_shared<OpenAiWire>(endpoint);
}

std::shared_ptr<const EmbeddingWire> makeEmbeddingWire(const ProviderConfig& c, std::shared_ptr<core::Clock> clock) {
  Endpoint endpoint = endpointOf(c);
  if (c.kind == "anthropic") return nullptr;
  if (c.kind == "bedrock")
    return std::make_shared<BedrockEmbeddingWire>(endpoint, BedrockAuth{c.aws, c.region},
                                                  clock ? std::move(clock) : core::SystemClock::instance());
  if (c.kind == "gemini") return std::make_shared<GeminiEmbeddingWire>(endpoint);
  if (c.kind == "ollama") return std::make_shared<OllamaEmbeddingWire>(endpoint);
  return std::make_shared<OpenAiEmbeddingWire>(endpoint, c.kind == "azure");
}

std::shared_ptr<Provider> makeHttpProvider(const ProviderConfig& c, std::shared_ptr<http::HttpClient> client,
                                           std::shared_ptr<core::Clock> clock) {
  std::shared_ptr<const OpenAiForwardingWire> forwarding;
  if (speaksOpenAi(c.kind) && c.kind != "azure") forwarding = std::make_shared<OpenAiForwardingWire>(endpointOf(c));
  auto wire = makeWireFormat(c, clock);
  auto embeddings = makeEmbeddingWire(c, clock);
  return std::make_shared<HttpProvider>(c.name, c.kind, std::move(wire), std::move(client), std::move(clock),
                                        std::move(embeddings), std::move(forwarding));
}

std::shared_ptr<ProviderRegistry> ProviderRegistry::fromConfig(const LlmConfig& config,
                                                               std::shared_ptr<http::HttpClient> client,
                                                               std::shared_ptr<core::Clock> clock) {
  auto registry = std::make_shared<ProviderRegistry>();
  for (const auto& p : config.providers)
    registry->addProvider(makeHttpProvider(p, client, clock), p.models, providerKeyId(p));
  for (const auto& [name, m] : config.models) registry->addModel(m);
  return registry;
}

void ProviderRegistry::addProvider(std::shared_ptr<Provider> provider, std::vector<std::string> models,
                                   std::string api_key_id) {
  auto name = provider->name();
  if (!providers_.count(name)) order_.push_back(name);
  providers_[name] = Entry{std::move(provider), std::move(models), std::move(api_key_id)};
}

void ProviderRegistry::addModel(ModelConfig model) { models_[model.name] = std::move(model); }

std::shared_ptr<Provider> ProviderRegistry::provider(const std::string& name) const {
  auto it = providers_.find(name);
  return it == providers_.end() ? nullptr : it->second.provider;
}

Result<ResolvedModel> ProviderRegistry::resolve(const std::string& name) const {
  auto make = [&](const std::string& provider, const std::string& model, std::int64_t window) {
    std::int64_t w = window ? window : knownContextWindow(model);
    return ResolvedModel{name, provider, model, w, providers_.at(provider).api_key_id};
  };
  if (auto it = models_.find(name); it != models_.end() && providers_.count(it->second.provider))
    return make(it->second.provider, it->second.model, it->second.context_window);
  if (auto slash = name.find('/'); slash != std::string::npos) {
    auto provider = name.substr(0, slash);
    if (providers_.count(provider)) return make(provider, name.substr(slash + 1), 0);
  }
  for (const auto& provider : order_) {
    const auto& models = providers_.at(provider).models;
    if (std::find(models.begin(), models.end(), name) != models.end()) return make(provider, name, 0);
  }
  if (providers_.size() == 1) return make(order_.front(), name, 0);
  return Error::notFound("no configured provider serves model '" + name + "'");
}

std::vector<ResolvedModel> ProviderRegistry::allModels() const {
  std::vector<ResolvedModel> out;
  for (const auto& [name, m] : models_) {
    auto r = resolve(name);
    if (r.ok()) out.push_back(r.value());
  }
  for (const auto& provider : order_) {
    for (const auto& model : providers_.at(provider).models) {
      auto r = resolve(provider + "/" + model);
      if (r.ok()) out.push_back(r.value());
    }
  }
  return out;
}

}  // namespace codecrew::llm
