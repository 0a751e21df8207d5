// ModelReport: what `codecrew doctor` prints and `codecrew serve` logs at
// start: which provider and model each role of each crew will use (and where
// that choice came from), which provider keys were found where (an
// environment variable or the configuration file; never the key itself), and
// which are missing, with the variable to set.
// Thread-safety: plain values and pure functions (logModelReport writes the
// log).
#pragma once

#include "engine/crew_catalog.h"
#include "llm/llm_config.h"
#include "llm/provider_registry.h"
#include "llm/role_models.h"

#include <ostream>
#include <string>
#include <vector>

namespace codecrew::app {

struct RoleAssignment {
  std::string crew;
  std::string agent;
  std::string role;      // the agent's `model:` policy name (and its cheaper_model's)
  std::string provider;  // "" when there is none
  std::string model;     // the provider's model id; "" when there is none
  std::string source;    // llm::RoleModelChoice::source
  std::string problem;   // why there is no model
};

// Every agent role (and cheaper model) of every crew of the catalog, in crew
// and agent order.
std::vector<RoleAssignment> crewRoleModels(const engine::CrewCatalog& crews, const llm::RoleModels& roles,
                                           const llm::ProviderRegistry& registry);

struct ProviderKeyStatus {
  std::string provider;  // provider name
  std::string kind;
  bool found = false;  // usable: has its key (or needs none)
  std::string where;   // found: "key from OPENAI_API_KEY (environment)", "key from codecrew.toml (api_key)",
                       // "host from OLLAMA_HOST (environment)"
  std::string set;     // not found: what to set
  std::string base_url;
  std::vector<std::string> models;  // its models list (Azure's deployment, Ollama's discovered ones)
};

// The providers of the configuration, then every well-known provider that is
// not configured (missing, with what to set).
std::vector<ProviderKeyStatus> providerKeys(const llm::LlmConfig& config);

// The report as text: providers, then a table of crew, agent, role, provider,
// model and source. Returns the number of roles without a model.
int printModelReport(std::ostream& out, const std::vector<ProviderKeyStatus>& keys,
                     const std::vector<RoleAssignment>& roles);

// The same as log lines: one info line of providers found, one warn line of
// providers missing, one info line per crew ({role: "provider/model"}), and a
// warn line per role without a model.
void logModelReport(const std::vector<ProviderKeyStatus>& keys, const std::vector<RoleAssignment>& roles);

}  // namespace codecrew::app
