// ProviderRegistry: the providers an installation can call and the models
// behind the names that policies use. Built from LlmConfig (one HttpProvider
// per configured provider) or filled by hand in tests (any Provider).
//
// Model names resolve in this order: a [models.<name>] entry; "provider/model"
// where provider is a registered provider name; the first provider whose
// models list contains the name; the only provider, if there is just one.
// Thread-safety: fill before use; lookups are then read-only and safe from
// any thread.
#pragma once

#include "core/clock.h"
#include "core/result.h"
#include "http/client/http_client.h"
#include "llm/llm_config.h"
#include "llm/provider.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace codecrew::llm {

struct ResolvedModel {
  std::string name;      // as asked
  std::string provider;  // provider name
  std::string model;     // the provider's model id
  std::int64_t context_window = 0;
  std::string api_key_id;  // stable id of the provider's key (hash prefix), "" if none
};

class ProviderRegistry {
 public:
  // One HttpProvider per provider of the config, sharing client and clock.
  static std::shared_ptr<ProviderRegistry> fromConfig(const LlmConfig& config, std::shared_ptr<http::HttpClient> client,
                                                      std::shared_ptr<core::Clock> clock);

  void addProvider(std::shared_ptr<Provider> provider, std::vector<std::string> models = {},
                   std::string api_key_id = "");
  void addModel(ModelConfig model);

  std::shared_ptr<Provider> provider(const std::string& name) const;
  core::Result<ResolvedModel> resolve(const std::string& name) const;
  // Model names (from [models.*] and providers' lists), for larger-context fallback.
  std::vector<ResolvedModel> allModels() const;

 private:
  struct Entry {
    std::shared_ptr<Provider> provider;
    std::vector<std::string> models;
    std::string api_key_id;
  };
  std::vector<std::string> order_;
  std::map<std::string, Entry> providers_;
  std::map<std::string, ModelConfig> models_;
};

// A stable, non-secret id for an API key (a SHA-256 prefix), "" for no key.
// Limits per key are keyed by it, so providers sharing a key share its limit.
std::string apiKeyId(const std::string& api_key);
// The key id of a provider config: of its API key, or of its AWS access key id.
std::string providerKeyId(const ProviderConfig& config);

// The wire format for a provider config (exposed for tests). The clock dates
// Bedrock's request signatures (null: the system clock).
std::shared_ptr<const class WireFormat> makeWireFormat(const ProviderConfig& config,
                                                       std::shared_ptr<core::Clock> clock = nullptr);
// The embeddings wire of a provider config; null for a kind without
// embeddings (anthropic). Bedrock's (Titan through InvokeModel) signs with
// the clock's time (null: the system clock).
std::shared_ptr<const class EmbeddingWire> makeEmbeddingWire(const ProviderConfig& config,
                                                             std::shared_ptr<core::Clock> clock = nullptr);

// The provider of a config: an HttpProvider with its wire format, its
// embeddings wire, and OpenAI forwarding for the kinds that speak OpenAI's
// wire (all but anthropic, gemini, ollama, bedrock and azure).
std::shared_ptr<Provider> makeHttpProvider(const ProviderConfig& config, std::shared_ptr<http::HttpClient> client,
                                           std::shared_ptr<core::Clock> clock);

}  // namespace codecrew::llm
