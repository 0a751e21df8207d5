#include "llm/role_models.h"

#include <algorithm>

namespace codecrew::llm {

namespace {

struct KindDefaults {
  std::string_view kind;
  std::string_view strong;
  std::string_view light;
};

// Current general-purpose models of each kind; every one is in the built-in
// price table (pricing/price_table.cpp).
constexpr KindDefaults kDefaults[] = {
    {"openai", "gpt-4.1", "gpt-4.1-mini"},
    {"anthropic", "claude-sonnet-4-5", "claude-haiku-4-5"},
    {"gemini", "gemini-2.5-pro", "gemini-2.5-flash"},
    {"groq", "llama-3.3-70b-versatile", "llama-3.1-8b-instant"},
    {"openrouter", "openai/gpt-4.1", "openai/gpt-4.1-mini"},
    {"bedrock", "amazon.nova-pro-v1:0", "amazon.nova-lite-v1:0"},
};

bool lightRole(std::string_view role) { return role == "coder_cheap" || role == "tester" || role == "deployer"; }

}  // namespace

std::string builtInRoleModel(std::string_view kind, std::string_view role) {
  for (const auto& d : kDefaults) {
    if (d.kind == kind) return std::string(lightRole(role) ? d.light : d.strong);
  }
  return "";
}

bool providerUsable(const ProviderConfig& p) {
  if (p.kind == "ollama" || p.kind == "openai_compatible") return true;
  if (p.kind == "bedrock") return !p.aws.access_key_id.empty();
  return !p.api_key.empty();
}

std::string providerSetupHint(std::string_view kind) {
  if (kind == "openai") return "OPENAI_API_KEY (and OPENAI_BASE_URL for another endpoint)";
  if (kind == "anthropic") return "ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL for another endpoint)";
  if (kind == "gemini") return "GEMINI_API_KEY";
  if (kind == "groq") return "GROQ_API_KEY";
  if (kind == "openrouter") return "OPENROUTER_API_KEY";
  if (kind == "azure") return "AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_API_KEY and AZURE_OPENAI_DEPLOYMENT";
  if (kind == "ollama") return "OLLAMA_HOST (e.g. 127.0.0.1:11434)";
  if (kind == "bedrock")
    return "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) and AWS_REGION "
           "(AWS_ENDPOINT_URL_BEDROCK_RUNTIME for another endpoint)";
  return "[providers.<name>] with kind, base_url and models in codecrew.toml";
}

RoleModels::RoleModels(LlmConfig config, std::map<std::string, std::string> primaries, std::string default_model)
    : config_(std::move(config)), primaries_(std::move(primaries)), default_model_(std::move(default_model)) {}

RoleModelChoice RoleModels::choose(const std::string& role) const {
  RoleModelChoice c{role, "", "", ""};
  if (auto it = primaries_.find(role); it != primaries_.end() && !it->second.empty()) {
    c.model = it->second;
    c.source = "roles." + role + ".primary";
    return c;
  }
  if (config_.models.count(role)) {
    c.model = role;
    c.source = "models." + role;
    return c;
  }
  if (!default_model_.empty()) {
    c.model = default_model_;
    c.source = "engine.default_model";
    return c;
  }
  for (const auto& p : config_.providers) {
    if (!providerUsable(p)) continue;
    const auto built_in = builtInRoleModel(p.kind, role);
    auto models = p.models;
    if (models.empty() && p.kind == "azure" && !p.deployment.empty()) models.push_back(p.deployment);
    if (!models.empty()) {
      const bool listed = std::find(models.begin(), models.end(), built_in) != models.end();
      c.model = p.name + "/" + (listed ? built_in : models.front());
      c.source = listed ? "default of " + p.kind : "first model of " + p.name;
      return c;
    }
    if (!built_in.empty()) {
      c.model = p.name + "/" + built_in;
      c.source = "default of " + p.kind;
      return c;
    }
  }
  c.problem = config_.providers.empty()
                  ? "no model provider is configured: set OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY, "
                    "GROQ_API_KEY, OPENROUTER_API_KEY, AZURE_OPENAI_*, OLLAMA_HOST or [providers.*]"
                  : "no configured provider has a model for role '" + role + "': set [roles." + role +
                        "] primary, [engine] default_model (CODECREW_MODEL) or a provider's models";
  return c;
}

}  // namespace codecrew::llm
