#include "app/model_report.h"

#include "core/log.h"

#include <fmt/format.h>

#include <boost/json.hpp>

#include <set>

namespace codecrew::app {

namespace {

// The providers found from the environment alone, in LlmConfig's order.
constexpr std::pair<const char*, const char*> kWellKnown[] = {
    {"openai", "openai"},         {"anthropic", "anthropic"}, {"gemini", "gemini"}, {"groq", "groq"},
    {"openrouter", "openrouter"}, {"azure", "azure"},         {"ollama", "ollama"}, {"bedrock", "bedrock"},
};

RoleAssignment assign(const std::string& crew, const std::string& agent, const std::string& role,
                      const llm::RoleModels& roles, const llm::ProviderRegistry& registry) {
  RoleAssignment a{crew, agent, role, "", "", "", ""};
  auto choice = roles.choose(role);
  a.source = choice.source;
  if (choice.model.empty()) {
    a.problem = choice.problem;
    return a;
  }
  auto resolved = registry.resolve(choice.model);
  if (!resolved) {
    a.problem = resolved.error().message;
    return a;
  }
  a.provider = resolved->provider;
  a.model = resolved->model;
  return a;
}

}  // namespace

std::vector<RoleAssignment> crewRoleModels(const engine::CrewCatalog& crews, const llm::RoleModels& roles,
                                           const llm::ProviderRegistry& registry) {
  std::vector<RoleAssignment> out;
  for (const auto& name : crews.names()) {
    auto crew = crews.find(name);
    if (!crew) continue;
    for (const auto& [agent_name, agent] : crew->agents) {
      out.push_back(assign(name, agent_name, agent.model, roles, registry));
      if (!agent.cheaper_model.empty())
        out.push_back(assign(name, agent_name + " (cheaper)", agent.cheaper_model, roles, registry));
    }
  }
  return out;
}

std::vector<ProviderKeyStatus> providerKeys(const llm::LlmConfig& config) {
  std::vector<ProviderKeyStatus> out;
  std::set<std::string> kinds_seen;
  for (const auto& p : config.providers) {
    ProviderKeyStatus s{p.name, p.kind, llm::providerUsable(p), "", "", p.base_url, p.models};
    kinds_seen.insert(p.kind);
    if (p.kind == "bedrock" && s.found) {
      s.where = "AWS credentials from AWS_ACCESS_KEY_ID" +
                std::string(p.aws.session_token.empty() ? "" : " with AWS_SESSION_TOKEN") + " (environment), region " +
                p.region + " (from " + p.region_source + ")";
    } else if (!s.found) {
      s.set = p.source == "config" && !p.api_key_source.empty()
                  ? p.api_key_source + " (named by [providers." + p.name + "] api_key_env) is empty"
                  : llm::providerSetupHint(p.kind) + " or [providers." + p.name + "] api_key";
    } else if (p.api_key.empty()) {  // a kind that needs no key
      s.where = p.source == "env" ? "host from OLLAMA_HOST (environment)" : "no key needed, from codecrew.toml";
    } else if (p.api_key_source == "config") {
      s.where = "key from codecrew.toml (api_key)";
    } else {
      s.where = "key from " + p.api_key_source + " (environment" +
                (p.source == "config" ? ", named by codecrew.toml)" : ")");
    }
    out.push_back(std::move(s));
  }
  for (const auto& [name, kind] : kWellKnown) {
    if (kinds_seen.count(kind)) continue;
    out.push_back(ProviderKeyStatus{name, kind, false, "", llm::providerSetupHint(kind), "", {}});
  }
  return out;
}

int printModelReport(std::ostream& out, const std::vector<ProviderKeyStatus>& keys,
                     const std::vector<RoleAssignment>& roles) {
  out << "Model providers\n";
  for (const auto& k : keys) {
    if (k.found) {
      out << fmt::format("  {:<12} found    {}, {}", k.provider, k.where, k.base_url);
      if (!k.models.empty()) {
        out << ", models:";
        for (const auto& m : k.models) out << " " << m;
      }
      out << "\n";
    } else {
      out << fmt::format("  {:<12} missing  set {}\n", k.provider, k.set);
    }
  }
  out << "\nModels of each crew's roles\n";
  out << fmt::format("  {:<10} {:<20} {:<12} {:<12} {:<28} {}\n", "crew", "agent", "role", "provider", "model", "from");
  int missing = 0;
  for (const auto& r : roles) {
    if (r.model.empty()) {
      ++missing;
      out << fmt::format("  {:<10} {:<20} {:<12} {:<12} {:<28} {}\n", r.crew, r.agent, r.role, "-", "NONE", r.problem);
    } else {
      out << fmt::format("  {:<10} {:<20} {:<12} {:<12} {:<28} {}\n", r.crew, r.agent, r.role, r.provider, r.model,
                         r.source);
    }
  }
  if (missing > 0) {
    out << "\n" << missing << " role(s) have no model: crews that use them cannot run.\n";
  } else {
    out << "\nEvery role has a model. Override one with [roles.<role>] primary = \"provider/model\" in "
           "codecrew.toml.\n";
  }
  return missing;
}

void logModelReport(const std::vector<ProviderKeyStatus>& keys, const std::vector<RoleAssignment>& roles) {
  boost::json::array found, missing;
  for (const auto& k : keys) {
    if (k.found) {
      found.push_back(boost::json::object{{"provider", k.provider}, {"kind", k.kind}, {"key_from", k.where}});
    } else {
      missing.push_back(boost::json::object{{"provider", k.provider}, {"set", k.set}});
    }
  }
  core::log::info("model provider keys", {{"found", found}, {"missing", missing}});
  std::string crew;
  boost::json::object models;
  auto flush = [&] {
    if (!crew.empty()) core::log::info("crew models", {{"crew", crew}, {"roles", models}});
    models = {};
  };
  for (const auto& r : roles) {
    if (r.crew != crew) {
      flush();
      crew = r.crew;
    }
    models[r.agent] = r.model.empty() ? "none" : r.provider + "/" + r.model + " (" + r.source + ")";
    if (r.model.empty())
      core::log::warn("a crew role has no model",
                      {{"crew", r.crew}, {"agent", r.agent}, {"role", r.role}, {"problem", r.problem}});
  }
  flush();
}

}  // namespace codecrew::app
