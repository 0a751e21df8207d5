// `codecrew config check`: the configuration read as `serve` reads it.
#include "app/commands.h"
#include "gateway/gateway_config.h"
#include "llm/llm_config.h"
#include "llm/router/role_policy.h"

#include <ostream>

namespace codecrew::app {

int runConfigCheck(const std::optional<std::string>& config_path, std::ostream& out, std::ostream& err) {
  const auto env = core::processEnv();
  auto config = core::loadConfig(config_path, env);
  auto problem = [&](const core::Error& e) {
    err << "codecrew config: " << e.message << "\n";
    return 2;
  };
  if (!config) return problem(config.error());
  auto llm = llm::loadLlmConfig(config->document, env);
  if (!llm) return problem(llm.error());
  if (auto roles = llm::rolePoliciesFromConfig(config->document); !roles) return problem(roles.error());
  if (auto gateway = gateway::gatewayConfigFromDocument(config->document); !gateway) return problem(gateway.error());
  out << "configuration is valid: "
      << (config->config_path.empty() ? std::string("no file, defaults and environment") : config->config_path)
      << "\n  database " << (config->usesPostgres() ? "PostgreSQL" : config->sqlitePath()) << "\n  listens on "
      << config->server.host << ":" << config->server.port << "\n";
  const auto providers = llm::describeProviders(*llm);
  if (providers.empty()) out << "  no model providers (set OPENAI_API_KEY or another provider's key)\n";
  for (const auto& p : providers) out << "  provider " << p << "\n";
  return 0;
}

}  // namespace codecrew::app
