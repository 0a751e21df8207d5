// `codecrew serve`: the HTTP API on the configured address.
#include "api/gateway_routes.h"
#include "api/key_cache.h"
#include "api/readiness.h"
#include "api/rest_rate_limiter.h"
#include "api/routes.h"
#include "app/app_setup.h"
#include "app/commands.h"
#include "app/metrics_listener.h"
#include "app/model_report.h"
#include "app/observability.h"
#include "app/runtime.h"
#include "core/log.h"
#include "core/version.h"
#include "gateway/gateway.h"
#include "http/server.h"
#include "http/server_policy.h"
#include "integrations/github/webhook_config.h"
#include "integrations/jira/jira_client.h"
#include "llm/llm_config.h"
#include "llm/tokenizer/ranks_location.h"

#include <boost/asio/io_context.hpp>

#include <unistd.h>
#include <iostream>

namespace codecrew::app {
namespace {

int fail(const std::string& msg, int code) {
  std::cerr << "codecrew serve: " << msg << "\n";
  return code;
}

// The banner goes to a terminal only; the log line is for everyone.
void warnDevMode(const std::string& host, int port) {
  if (::isatty(STDERR_FILENO))
    std::cerr << "\n"
              << "  ************************************************************************\n"
              << "  *  DEV MODE: no API keys are checked. Every request acts as the        *\n"
              << "  *  built-in tenant 'default' with the admin role. Bound to loopback    *\n"
              << "  *  only. Do not expose this server; run without --dev and create keys  *\n"
              << "  *  with `codecrew keys create` for anything shared.                    *\n"
              << "  ************************************************************************\n\n";
  core::log::warn("dev mode: authentication is off", {{"host", host}, {"port", port}});
}

}  // namespace

int runServe(const ServeOptions& options) {
  auto config = loadAppConfig(options.common);
  if (!config) return fail(config.error().message, 2);
  if (options.host) config->server.host = *options.host;
  if (options.port) {
    if (*options.port < 0 || *options.port > 65535) return fail("--port must be 0 to 65535", 2);
    config->server.port = *options.port;
  }
  config->dev = options.dev;
  if (config->dev && !http::isLoopbackHost(config->server.host))
    return fail("--dev serves without authentication and binds loopback only; '" + config->server.host +
                    "' is not a loopback address",
                2);

  auto llm_config = llm::loadLlmConfig(config->document, core::processEnv());
  if (!llm_config) return fail(llm_config.error().message, 2);
  auto providers = llm::describeProviders(*llm_config);
  auto jira_config = integrations::jira::loadJiraConfig(config->document, core::processEnv());
  if (!jira_config) return fail(jira_config.error().message, 2);

  // The HTTP server's I/O threads, an io_context each. A gateway call runs on
  // its connection's, so it never changes threads; the records are written
  // from the runtime's blocking pool. Made before the runtime, so that they
  // outlive its client's pooled connections.
  auto ios = http::makeIoContexts(config->server.threads);
  auto io = ios.front();
  auto observed = buildObservability(*config, core::processEnv(), processName("serve"));
  if (!observed) return fail(observed.error().message, 2);
  RuntimeOptions ro;
  ro.config = *config;
  ro.env = core::processEnv();
  ro.metrics = observed->metrics;
  ro.tracer = observed->tracer;
  if (options.crews_dir) ro.env["CODECREW_CREWS_DIR"] = *options.crews_dir;
  ro.replay_cassette = options.replay.value_or("");
  ro.engine = !options.no_engine;
  if (options.no_worker && !config->usesPostgres()) {
    return fail(
        "--no-worker is for a PostgreSQL deployment (DATABASE_URL=postgresql://...), whose workers run the "
        "executions; with SQLite use --no-engine",
        2);
  }
  ro.shared_queue = config->usesPostgres();
  if (options.no_worker) ro.worker_slots = 0;
  ro.worker_name = processName("serve");
  // In --dev, repositories under the directory the server was started in
  // may be worked on (besides [repositories] local_roots).
  if (config->dev) ro.repository_roots.push_back(std::filesystem::current_path());
  auto built = Runtime::build(ro);
  if (!built) return fail(built.error().message, setupExitCode(built.error()));
  auto runtime = std::move(built).value();
  auto clock = runtime->clock;
  gateway::GatewayOptions gateway_options{io->get_executor(), runtime->store, clock};
  if (auto ranks = llm::tokenizer::resolveRanksDir(&config->document, runtime->env); std::filesystem::exists(ranks))
    gateway_options.tiktoken_dir = ranks;
  gateway_options.metrics = observed->metrics;
  gateway_options.tracer = observed->tracer;
  auto gateway = gateway::buildGateway(config->document, runtime->llm, gateway_options);
  if (!gateway) return fail(gateway.error().message, 2);
  addBreakerGauges(*observed->metrics, (*gateway)->router());

  auto webhook = integrations::github::loadWebhookConfig(config->document, runtime->env);
  if (!webhook) return fail(webhook.error().message, 2);

  auto ctx = std::make_shared<api::ApiContext>();
  ctx->store = runtime->store;
  ctx->events = runtime->events;
  ctx->config = runtime->config;
  ctx->clock = clock;
  ctx->dev = config->dev;
  ctx->started_at = clock->nowMillis();
  ctx->executions = runtime->executions;
  ctx->crewcode = runtime->crewcode;
  ctx->crews = runtime->crews;
  ctx->semantic = runtime->semantic;
  ctx->workspaces_root = runtime->workspaces_root;
  ctx->artifacts = runtime->artifacts;
  ctx->github_webhook = *webhook;
  ctx->delivery = runtime->delivery_loop;
  ctx->host_events = runtime->delivery_loop;
  ctx->metrics = observed->metrics;
  ctx->metrics_public = config->metrics.public_endpoint;
  const bool runs_executions = !options.no_engine && !options.no_worker;
  ctx->readiness = std::make_shared<api::Readiness>(
      std::make_shared<api::WriteProbe>(runtime->store, clock, api::probeDirectory(runtime->config.get())),
      runtime->executions, runs_executions, modelsDown(runtime->llm.router, runtime->llm.config));
  addReadyGauge(*observed->metrics, [readiness = ctx->readiness] { return readiness->check().ready; });
  // Jira's calls run on the server's I/O threads with the runtime's HTTP
  // client, waiting out Jira's rate limits as the router waits out providers'.
  ctx->stories = std::make_shared<integrations::jira::JiraClient>(*jira_config, runtime->llm.client,
                                                                  std::make_shared<llm::AsioSleeper>(), clock);
  if (jira_config->configured())
    core::log::info("jira configured", {{"base_url", jira_config->base_url},
                                        {"api_version", jira_config->api_version},
                                        {"criteria_field", jira_config->criteria_field}});
  // A key revoked by `codecrew keys revoke` keeps working here for up to auth_cache_seconds.
  if (!ctx->dev && config->server.rest_rate_per_minute > 0)
    ctx->rest_limiter = std::make_shared<api::RestRateLimiter>(clock, config->server.rest_rate_per_minute);
  if (!ctx->dev && config->server.auth_cache_seconds > 0)
    ctx->key_cache = std::make_shared<api::KeyCache>(clock, std::chrono::seconds(config->server.auth_cache_seconds));
  if (ctx->dev) {
    auto tenant = runtime->devTenant();
    if (!tenant) return fail(tenant.error().message, 1);
    ctx->dev_tenant_id = *tenant;
  } else {
    auto keys = runtime->store->listApiKeys(std::nullopt);
    if (keys && keys->empty())
      core::log::warn(
          "no API keys exist yet: every request will be refused; create one with "
          "`codecrew keys create --tenant NAME --role admin`");
  }
  if (runtime->engine_settings) {
    const auto& settings = *runtime->engine_settings;
    if (!settings.sandbox)
      core::log::warn("the sandbox is off: agents' commands (tests, builds) are refused",
                      {{"why", settings.sandbox_problem}});
    core::log::info("crew engine attached", {{"default_model", settings.default_model},
                                             {"max_running", settings.max_running},
                                             {"replay", options.replay.value_or("")}});
  }
  if (runtime->roles && runtime->crews)
    logModelReport(providerKeys(runtime->llm.config),
                   crewRoleModels(*runtime->crews, *runtime->roles, *runtime->llm.registry));

  auto router = std::make_shared<http::Router>();
  api::registerRoutes(*router, ctx, [&](http::Router& r) { api::registerGatewayRoutes(r, ctx, *gateway); });

  http::ServerOptions so;
  so.host = config->server.host;
  so.port = config->server.port;
  so.max_body_bytes = config->server.max_body_bytes;
  so.blocking_threads = config->server.blocking_threads;
  so.shutdown_grace = std::chrono::seconds(config->server.shutdown_grace_seconds);
  so.cors_origins = config->server.cors_origins;
  const std::uint64_t descriptors = http::openFileLimit();
  so.max_connections = config->server.max_connections > 0 ? std::size_t(config->server.max_connections)
                                                          : http::defaultMaxConnections(descriptors);
  if (so.max_connections + 64 > descriptors)
    core::log::warn("server.max_connections leaves fewer than 64 of the open-file limit for the store and workspaces",
                    {{"max_connections", so.max_connections}, {"open_file_limit", descriptors}});
  so.handle_signals = true;
  so.io_contexts = ios;
  so.metrics = observed->metrics;
  so.tracer = observed->tracer;
  http::Server server(so, router);
  if (auto st = server.start(); !st) return fail(st.error().message, 1);
  std::unique_ptr<http::Server> operator_listener;
  if (!config->metrics.listen.empty()) {
    auto started = startMetricsListener(config->metrics.listen, ctx);
    if (!started) return fail(started.error().message, setupExitCode(started.error()));
    operator_listener = std::move(started).value();
    core::log::info("metrics listener started", {{"address", config->metrics.listen}});
  }

  std::string address = config->server.host.find(':') != std::string::npos ? "[" + config->server.host + "]"
                                                                           : config->server.host;
  std::cout << "codecrew listening on http://" << address << ":" << server.port() << std::endl;
  if (ctx->dev) warnDevMode(config->server.host, server.port());
  boost::json::array found;
  for (const auto& p : providers) found.push_back(boost::json::value(p));
  if (providers.empty()) {
    core::log::warn(
        "no model providers found: set OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY, "
        "GROQ_API_KEY, OPENROUTER_API_KEY, AZURE_OPENAI_*, OLLAMA_HOST or [providers.*] in codecrew.toml");
  } else {
    core::log::info("model providers found", {{"providers", found}});
  }
  core::log::info("server started", {{"version", core::kVersion},
                                     {"address", address + ":" + std::to_string(server.port())},
                                     {"max_connections", so.max_connections},
                                     {"open_file_limit", descriptors},
                                     {"database", config->usesPostgres() ? "postgresql" : config->sqlitePath()},
                                     {"runs_executions", !options.no_engine && !options.no_worker},
                                     {"dev", ctx->dev},
                                     {"github_webhook", ctx->github_webhook.configured()}});
  if (ctx->crewcode) {
    if (auto swept = ctx->crewcode->sweepExpired(); !swept)
      core::log::error("could not delete expired CrewCode sessions", {{"error", swept.error().message}});
  }
  if (runtime->sweeper) runtime->sweeper->start();
  auto recovered = runtime->recover();
  if (!recovered) core::log::error("could not resume unfinished executions", {{"error", recovered.error().message}});
  else if (*recovered > 0) core::log::info("resuming unfinished executions", {{"count", *recovered}});
  server.wait();
  if (operator_listener) operator_listener->stop();
  (*gateway)->flushRecords();
  // Executions still running stop where they are: their checkpoints are
  // durable and the next start resumes them (as after a crash).
  runtime->stop();
  if (observed->flush) observed->flush();
  core::log::info("server stopped");
  core::log::flush();
  return 0;
}

}  // namespace codecrew::app
