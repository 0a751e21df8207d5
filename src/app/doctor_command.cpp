#include "app/doctor_command.h"

#include "app/artifacts_report.h"
#include "app/cloud_report.h"
#include "app/integrations_report.h"
#include "app/metrics_listener.h"
#include "app/model_report.h"
#include "app/observability_report.h"
#include "core/version.h"
#include "engine/engine_runtime.h"

namespace codecrew::app {

int runDoctorCommand(const std::optional<std::string>& config_path, const core::EnvMap& env, std::ostream& out,
                     std::ostream& err) {
  auto fail = [&](const core::Error& e) {
    err << "codecrew doctor: " << e.message << "\n";
    return 2;
  };
  auto config = core::loadConfig(config_path, env);
  if (!config) return fail(config.error());
  llm::LlmRuntimeOptions options;
  options.env = env;
  auto llm = llm::buildLlmRuntime(config->document, options);
  if (!llm) return fail(llm.error());
  auto settings = engine::loadEngineSettings(config->document, env, false);
  if (!settings) return fail(settings.error());
  auto roles = engine::loadRoleModels(config->document, *llm, *settings);
  if (!roles) return fail(roles.error());
  auto crews = engine::loadCrewCatalog(config->document, env);
  if (!crews) return fail(crews.error());

  auto github = integrations::github::loadGitHubConfig(config->document, env);
  if (!github) return fail(github.error());
  auto webhook = integrations::github::loadWebhookConfig(config->document, env);
  if (!webhook) return fail(webhook.error());
  auto jira = integrations::jira::loadJiraConfig(config->document, env);
  if (!jira) return fail(jira.error());
  if (!config->metrics.listen.empty())
    if (auto listen = parseListenAddress(config->metrics.listen); !listen) return fail(listen.error());
  auto tracing = telemetry::loadOtlpConfig(env, core::kVersion, "doctor");
  if (!tracing) return fail(tracing.error());
  auto artifacts = storage::loadArtifactSettings(config->document, env, config->storage.data_dir);
  if (!artifacts) return fail(artifacts.error());

  out << "codecrew " << core::kVersion << " doctor\n";
  out << "configuration: " << (config->config_path.empty() ? "none (defaults and environment)" : config->config_path)
      << "\n\n";
  auto missing = printModelReport(out, providerKeys(llm->config), crewRoleModels(**crews, **roles, *llm->registry));
  printIntegrationsReport(out, *github, *webhook, *jira);
  printObservabilityReport(out, config->metrics, *tracing);
  printArtifactsReport(out, *artifacts);
  auto cloud = cloud::detectCloud(env);
  printCloudReport(out, cloud, *artifacts);
  if (auto ok = cloud.status(); !ok) {
    err << "codecrew doctor: " << ok.error().message << "\n";
    return 2;
  }
  return missing > 0 ? 1 : 0;
}

}  // namespace codecrew::app
