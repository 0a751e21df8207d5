#include "engine/engine_runtime.h"

#include "core/log.h"
#include "tools/sandbox/metered_sandbox.h"
#include "tools/sandbox/sandbox_owner.h"

#include "engine/engine_metrics.h"
#include "engine/journaled_model_client.h"

#include "llm/router/role_policy.h"
#include "tools/builtin/builtin_tools.h"
#include "tools/sandbox/bubblewrap_sandbox.h"

#include <unistd.h>
#include <csignal>

#include <atomic>

namespace codecrew::engine {
namespace json = boost::json;

namespace {

const json::object* engineSection(const json::object& document) {
  const auto* v = document.if_contains("engine");
  return v && v->is_object() ? &v->as_object() : nullptr;
}

core::Result<std::string> stringSetting(const json::object* section, const char* key, const core::EnvMap& env,
                                        const char* variable) {
  if (variable) {
    if (auto it = env.find(variable); it != env.end() && !it->second.empty()) return it->second;
  }
  const auto* v = section ? section->if_contains(key) : nullptr;
  if (!v) return std::string();
  if (!v->is_string()) return core::Error::invalidArgument(std::string("engine.") + key + " must be a string");
  return std::string(v->as_string());
}

}  // namespace

core::Result<EngineSettings> loadEngineSettings(const json::object& document, const core::EnvMap& env, bool replaying) {
  EngineSettings s;
  const auto* section = engineSection(document);
  auto model = stringSetting(section, "default_model", env, "CODECREW_MODEL");
  if (!model) return model.error();
  s.default_model = *model;
  if (s.default_model.empty() && replaying) s.default_model = "replay";
  auto crews = stringSetting(section, "crews_dir", env, "CODECREW_CREWS_DIR");
  if (!crews) return crews.error();
  s.crews_dir = *crews;
  if (const auto* v = section ? section->if_contains("max_running") : nullptr) {
    if (!v->is_int64() || v->as_int64() < 1 || v->as_int64() > 100000)
      return core::Error::invalidArgument("engine.max_running must be an integer from 1 to 100000");
    s.max_running = static_cast<int>(v->as_int64());
  }
  auto sandbox = stringSetting(section, "sandbox", env, nullptr);
  if (!sandbox) return sandbox.error();
  if (!sandbox->empty() && *sandbox != "bubblewrap" && *sandbox != "none")
    return core::Error::invalidArgument(R"(engine.sandbox must be "bubblewrap" or "none")");
  if (*sandbox == "none") {
    s.sandbox = false;
    s.sandbox_problem = "engine.sandbox is \"none\"";
  }
  return s;
}

namespace {

core::Result<std::shared_ptr<const CrewCatalog>> catalogFrom(const std::string& crews_dir) {
  auto crews = crews_dir.empty() ? CrewCatalog::builtIn() : CrewCatalog::withUserDirectory(crews_dir);
  if (!crews) return crews.error();
  return std::make_shared<const CrewCatalog>(std::move(crews).value());
}

}  // namespace

core::Result<std::shared_ptr<const llm::RoleModels>> loadRoleModels(const json::object& document,
                                                                    const llm::LlmRuntime& llm,
                                                                    const EngineSettings& settings) {
  auto policies = llm::rolePoliciesFromConfig(document);
  if (!policies) return policies.error();
  std::map<std::string, std::string> primaries;
  for (const auto& [role, p] : *policies) primaries[role] = p.primary;
  return std::make_shared<const llm::RoleModels>(llm.config, std::move(primaries), settings.default_model);
}

core::Result<std::shared_ptr<const CrewCatalog>> loadCrewCatalog(const json::object& document,
                                                                 const core::EnvMap& env) {
  auto dir = stringSetting(engineSection(document), "crews_dir", env, "CODECREW_CREWS_DIR");
  if (!dir) return dir.error();
  return catalogFrom(*dir);
}

core::Result<EngineParts> buildEngine(const json::object& document, const core::EnvMap& env, const llm::LlmRuntime& llm,
                                      bool replaying, std::shared_ptr<store::Store> store,
                                      std::shared_ptr<core::Clock> clock, std::filesystem::path workspaces_root,
                                      RepositoryPolicy repositories, ProgressSink progress, CrashHook crash,
                                      TokenSink tokens, DeliveryWiring delivery, EngineTelemetry telemetry,
                                      ArtifactWiring artifacts) {
  EngineParts parts;
  auto settings = loadEngineSettings(document, env, replaying);
  if (!settings) return settings.error();
  parts.settings = std::move(settings).value();
  auto crews = catalogFrom(parts.settings.crews_dir);
  if (!crews) return crews.error();
  parts.crews = std::move(crews).value();

  auto roles = loadRoleModels(document, llm, parts.settings);
  if (!roles) return roles.error();
  parts.roles = *roles;
  auto model = std::make_shared<JournaledModelClient>(
      std::make_shared<RouterModelClient>(llm.router, llm.registry, parts.roles, std::move(tokens)), store);

  auto registry = std::make_shared<tools::ToolRegistry>();
  tools::addBuiltinTools(*registry);
  std::shared_ptr<tools::Sandbox> sandbox;
  if (parts.settings.sandbox) {
    auto bwrap = std::make_shared<tools::BubblewrapSandbox>();
    if (auto ok = bwrap->probe(); ok) {
      sandbox = std::move(bwrap);
      // A data directory only root can enter (0700) leaves every sandboxed
      // command failing: say so at start rather than in each tool result.
      if (auto reach = tools::checkReachableBySandboxUser(workspaces_root); !reach)
        core::log::warn("the sandbox cannot reach the workspaces", {{"problem", reach.error().message}});
    } else {
      parts.settings.sandbox = false;
      parts.settings.sandbox_problem = ok.error().message;
    }
  }
  if (sandbox && telemetry.metrics) sandbox = std::make_shared<tools::MeteredSandbox>(sandbox, *telemetry.metrics);
  auto semantic = loadSemanticSettings(document);
  if (!semantic) return semantic.error();
  if (semantic->enabled) {
    auto index_root = indexRootFor(workspaces_root);
    parts.semantic = std::make_shared<SemanticContext>(index_root, *semantic, routerEmbedders(llm.router, *semantic));
  }
  EngineDeps deps{std::move(store),
                  std::move(model),
                  std::move(registry),
                  std::move(sandbox),
                  std::move(clock),
                  parts.crews,
                  std::move(progress),
                  std::move(crash),
                  std::move(workspaces_root),
                  std::move(repositories),
                  std::move(delivery.delivery),
                  std::move(delivery.stage),
                  std::move(delivery.public_url),
                  telemetry.tracer,
                  telemetry.metrics ? std::make_shared<EngineMetrics>(*telemetry.metrics) : nullptr,
                  std::move(artifacts.store),
                  artifacts.archive_workspaces};
  deps.semantic = parts.semantic;
  parts.engine = std::make_shared<CrewEngine>(std::move(deps));
  return parts;
}

core::Result<RepositoryPolicy> loadRepositoryPolicy(const json::object& document, const core::EnvMap& env,
                                                    const std::filesystem::path& data_dir,
                                                    std::vector<std::filesystem::path> roots,
                                                    const std::vector<std::filesystem::path>& trusted) {
  if (const auto* section = document.if_contains("repositories")) {
    const auto* table = section->if_object();
    const auto* list = table ? table->if_contains("local_roots") : nullptr;
    if (!table || (list && !list->is_array()))
      return core::Error::invalidArgument("[repositories] local_roots must be an array of directories");
    if (list) {
      for (const auto& v : list->as_array()) {
        if (!v.is_string() || v.as_string().empty())
          return core::Error::invalidArgument("[repositories] local_roots must be an array of directories");
        roots.emplace_back(std::string(v.as_string()));
      }
    }
  }
  if (auto it = env.find("CODECREW_REPOSITORY_ROOTS"); it != env.end()) {
    std::string all = it->second;
    for (std::size_t start = 0; start <= all.size();) {
      auto end = all.find(':', start);
      if (end == std::string::npos) end = all.size();
      if (end > start) roots.emplace_back(all.substr(start, end - start));
      start = end + 1;
    }
  }
  return RepositoryPolicy(roots, data_dir, trusted);
}

namespace {

// One fault of <point>:<n>: the signal sent to this process the n-th time
// the run passes point.
core::Result<CrashHook> faultFromEnv(const core::EnvMap& env, const std::string& name, int signal) {
  auto it = env.find(name);
  if (it == env.end() || it->second.empty()) return CrashHook();
  auto colon = it->second.rfind(':');
  int n = 0;
  if (colon != std::string::npos) {
    try {
      n = std::stoi(it->second.substr(colon + 1));
    } catch (const std::exception&) {
      n = 0;
    }
  }
  if (colon == std::string::npos || colon == 0 || n < 1)
    return core::Error::invalidArgument(name + " must be <point>:<n> with n >= 1, e.g. after_tools:3");
  auto point = it->second.substr(0, colon);
  auto seen = std::make_shared<std::atomic<int>>(0);
  return CrashHook([point, n, seen, signal](const std::string& at) {
    if (at == point && ++*seen == n) ::kill(::getpid(), signal);
    return false;
  });
}

}  // namespace

core::Result<CrashHook> killHookFromEnv(const core::EnvMap& env) {
  auto kill = faultFromEnv(env, "CODECREW_FAULT_KILL_AT", SIGKILL);
  if (!kill) return kill.error();
  // SIGSTOP: the process stalls where it is (a zombie worker, once resumed).
  auto stop = faultFromEnv(env, "CODECREW_FAULT_STOP_AT", SIGSTOP);
  if (!stop) return stop.error();
  if (!*stop) return kill;
  if (!*kill) return stop;
  return CrashHook([k = *kill, s = *stop](const std::string& at) { return k(at) || s(at); });
}

}  // namespace codecrew::engine
