// `codecrew serve`: the HTTP API on the configured address.
#include "api/gateway_routes.h"
#include "api/key_cache.h"
#include "api/routes.h"
#include "app/app_setup.h"
#include "app/commands.h"
#include "core/log.h"
#include "core/version.h"
#include "engine/crewcode_service.h"
#include "engine/engine_runtime.h"
#include "engine/execution_queue.h"
#include "engine/execution_service.h"
#include "engine/session_sweeper.h"
#include "events/event_log.h"
#include "events/local_event_hub.h"
#include "http/server.h"
#include "gateway/gateway.h"
#include "llm/llm_config.h"
#include "llm/llm_runtime.h"
#include "llm/tokenizer/ranks_location.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>

#include <iostream>
#include <mutex>
#include <unordered_map>
#include <unistd.h>

namespace codecrew::app {
namespace {

bool isLoopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

int fail(const std::string& msg, int code) {
  std::cerr << "codecrew serve: " << msg << "\n";
  return code;
}

void warnDevMode(const std::string& host, int port) {
  std::cerr << "\n"
            << "  ************************************************************************\n"
            << "  *  DEV MODE: no API keys are checked. Every request acts as the        *\n"
            << "  *  built-in tenant 'default' with the admin role. Bound to loopback    *\n"
            << "  *  only. Do not expose this server; run without --dev and create keys  *\n"
            << "  *  with `codecrew keys create` for anything shared.                    *\n"
            << "  ************************************************************************\n\n";
  core::log::warn("dev mode: authentication is off", {{"host", host}, {"port", port}});
}

// Agents' streamed text goes live (never stored) on the workflow's
// conversation stream as "token" events.
engine::TokenSink liveTokens(std::shared_ptr<events::EventLog> event_log,
                             std::shared_ptr<store::ExecutionStore> executions, std::shared_ptr<core::Clock> clock) {
  struct Cache {
    std::mutex mu;
    std::unordered_map<core::Id, core::Id> workflow_of;  // execution -> workflow; guarded by mu
  };
  auto cache = std::make_shared<Cache>();
  return [event_log, executions, cache, clock](const llm::CallContext& ctx, const std::string& text) {
    if (!ctx.execution_id) return;
    core::Id workflow = 0;
    {
      std::lock_guard lock(cache->mu);
      if (auto it = cache->workflow_of.find(*ctx.execution_id); it != cache->workflow_of.end()) workflow = it->second;
    }
    if (!workflow) {
      auto e = executions->getExecutionById(ctx.tenant_id, *ctx.execution_id);
      if (!e) return;
      workflow = e->workflow_id;
      std::lock_guard lock(cache->mu);
      if (cache->workflow_of.size() >= 100000) cache->workflow_of.clear();  // bounded: it is only a cache
      cache->workflow_of[*ctx.execution_id] = workflow;
    }
    store::Event e;
    e.tenant_id = ctx.tenant_id;
    e.workflow_id = workflow;
    e.execution_id = ctx.execution_id;
    e.type = "token";
    e.created_at = clock->nowMillis();
    boost::json::object data{{"text", text}, {"agent", ctx.options.agent}, {"step", ctx.options.step}};
    if (ctx.conversation_id) data["conversation_id"] = *ctx.conversation_id;
    e.data = std::move(data);
    event_log->publishLive(std::move(e));
  };
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
  if (config->dev && !isLoopback(config->server.host))
    return fail("--dev serves without authentication and binds loopback only; '" +
                    config->server.host + "' is not a loopback address",
                2);

  auto llm_config = llm::loadLlmConfig(config->document, core::processEnv());
  if (!llm_config) return fail(llm_config.error().message, 2);
  auto providers = llm::describeProviders(*llm_config);

  auto clock = core::SystemClock::instance();
  auto store = openAppStore(*config, clock);
  if (!store) return fail(store.error().message, 1);
  // Every event appended through the store (the engine's, the API's) is
  // fanned out to live subscribers once committed.
  auto event_log = std::make_shared<events::EventLog>(*store, std::make_shared<events::LocalEventHub>());
  *store = event_log->store();

  auto ctx = std::make_shared<api::ApiContext>();
  ctx->store = *store;
  ctx->events = event_log;
  ctx->config = std::make_shared<const core::Config>(*config);
  ctx->clock = clock;
  ctx->dev = config->dev;
  ctx->started_at = clock->nowMillis();
  // A key revoked by `codecrew keys revoke` keeps working here for up to auth_cache_seconds.
  if (!ctx->dev && config->server.auth_cache_seconds > 0)
    ctx->key_cache = std::make_shared<api::KeyCache>(clock, std::chrono::seconds(config->server.auth_cache_seconds));
  if (ctx->dev) {
    auto tenant = (*store)->ensureTenant("default");
    if (!tenant) return fail(tenant.error().message, 1);
    ctx->dev_tenant_id = tenant->id;
  } else {
    auto keys = (*store)->listApiKeys(std::nullopt);
    if (keys && keys->empty())
      core::log::warn("no API keys exist yet: every request will be refused; create one with "
                      "`codecrew keys create --tenant NAME --role admin`");
  }

  // The HTTP server's I/O threads, an io_context each. A gateway call runs on
  // its connection's, so it never changes threads; the records are written
  // from a blocking pool. Made before the LLM runtime, so that they outlive
  // its client's pooled connections.
  auto ios = http::makeIoContexts(config->server.threads);
  auto io = ios.front();
  boost::asio::thread_pool llm_blocking(2);
  auto env = core::processEnv();
  llm::LlmRuntimeOptions lo;
  lo.blocking = llm_blocking.get_executor();
  lo.clock = clock;
  lo.store = *store;
  lo.env = env;
  if (options.replay) lo.replay_cassette = *options.replay;
  auto ranks = llm::tokenizer::resolveRanksDir(&config->document, env);
  if (std::filesystem::exists(ranks)) lo.tiktoken_dir = ranks;
  auto runtime = llm::buildLlmRuntime(config->document, lo);
  if (!runtime) return fail(runtime.error().message, 2);
  auto gateway = gateway::buildGateway(config->document, *runtime, {io->get_executor(), *store, clock});
  if (!gateway) return fail(gateway.error().message, 2);

  // The crew engine runs executions as coroutines on its own pool (its store
  // writes are synchronous); the queue resumes what an earlier process left.
  auto engine_io = std::make_unique<boost::asio::thread_pool>(2);
  std::shared_ptr<engine::InProcessExecutionQueue> queue;
  std::shared_ptr<engine::SessionSweeper> sweeper;  // expired CrewCode sessions, every minute
  if (!options.no_engine) {
    auto kill_hook = engine::killHookFromEnv(env);
    if (!kill_hook) return fail(kill_hook.error().message, 2);
    auto crewcode_settings = engine::loadCrewCodeSettings(config->document, env);
    if (!crewcode_settings) return fail(crewcode_settings.error().message, 2);
    auto progress = std::make_shared<engine::ProgressRelay>();
    // A model call's start goes live (not stored) on the workflow's
    // conversation stream; its end is stored with the step's records.
    progress->tapAll([event_log, clock](core::Id execution_id, const std::string& kind, const boost::json::object& data) {
      if (kind != "llm_call.start") return;
      store::Event e;
      e.tenant_id = data.at("tenant_id").to_number<core::Id>();
      e.workflow_id = data.at("workflow_id").to_number<core::Id>();
      e.execution_id = execution_id;
      e.type = kind;
      e.data = data;
      e.created_at = clock->nowMillis();
      event_log->publishLive(std::move(e));
    });
    auto watch = std::make_shared<engine::ExecutionWatch>();
    auto parts = engine::buildEngine(config->document, env, *runtime, options.replay.has_value(), *store, clock,
                                     progress->sink(), *kill_hook, liveTokens(event_log, *store, clock));
    if (!parts) return fail(parts.error().message, 2);
    queue = std::make_shared<engine::InProcessExecutionQueue>(
        engine_io->get_executor(), parts->engine, *store, clock, "serve-" + std::to_string(::getpid()),
        parts->settings.max_running,
        [watch](core::Id id, const core::Result<engine::RunOutcome>& outcome) { watch->finished(id, outcome); });
    auto service = std::make_shared<engine::ExecutionService>(*store, parts->engine, queue, parts->crews,
                                                              std::filesystem::absolute(config->storage.data_dir) / "workspaces");
    if (!options.replay && runtime->config.providers.empty())
      service->setModelProblem("no model provider is configured: set OPENAI_API_KEY, ANTHROPIC_API_KEY, "
                               "GEMINI_API_KEY, GROQ_API_KEY, OPENROUTER_API_KEY, AZURE_OPENAI_*, OLLAMA_HOST or "
                               "[providers.*] in codecrew.toml, or serve --replay CASSETTE");
    ctx->crewcode = std::make_shared<engine::CrewCodeService>(*store, service, watch, progress, clock, *crewcode_settings);
    sweeper = std::make_shared<engine::SessionSweeper>(engine_io->get_executor(), ctx->crewcode, std::chrono::seconds(60));
    ctx->executions = std::move(service);
    ctx->crews = parts->crews;
    ctx->engine_attached = true;
    if (!parts->settings.sandbox)
      core::log::warn("the sandbox is off: agents' commands (tests, builds) are refused",
                      {{"why", parts->settings.sandbox_problem}});
    core::log::info("crew engine attached", {{"default_model", parts->settings.default_model},
                                             {"max_running", parts->settings.max_running},
                                             {"replay", options.replay.value_or("")}});
  }

  if (!ctx->crews) {
    auto crews = engine::loadCrewCatalog(config->document, env);
    if (!crews) return fail(crews.error().message, 2);
    ctx->crews = std::move(crews).value();
  }

  auto router = std::make_shared<http::Router>();
  api::registerRoutes(*router, ctx, [&](http::Router& r) { api::registerGatewayRoutes(r, ctx, *gateway); });

  http::ServerOptions so;
  so.host = config->server.host;
  so.port = config->server.port;
  so.max_body_bytes = config->server.max_body_bytes;
  so.blocking_threads = config->server.blocking_threads;
  so.shutdown_grace = std::chrono::seconds(config->server.shutdown_grace_seconds);
  so.cors_origins = config->server.cors_origins;
  so.handle_signals = true;
  so.io_contexts = ios;
  http::Server server(so, router);
  if (auto st = server.start(); !st) return fail(st.error().message, 1);

  std::string address = config->server.host.find(':') != std::string::npos
                            ? "[" + config->server.host + "]"
                            : config->server.host;
  std::cout << "codecrew listening on http://" << address << ":" << server.port() << std::endl;
  if (ctx->dev) warnDevMode(config->server.host, server.port());
  boost::json::array found;
  for (const auto& p : providers) found.push_back(boost::json::value(p));
  if (providers.empty()) {
    core::log::warn("no model providers found: set OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY, "
                    "GROQ_API_KEY, OPENROUTER_API_KEY, AZURE_OPENAI_*, OLLAMA_HOST or [providers.*] in codecrew.toml");
  } else {
    core::log::info("model providers found", {{"providers", found}});
  }
  core::log::info("server started", {{"version", core::kVersion},
                                     {"address", address + ":" + std::to_string(server.port())},
                                     {"database", config->sqlitePath()},
                                     {"dev", ctx->dev}});
  if (ctx->crewcode) {
    if (auto swept = ctx->crewcode->sweepExpired(); !swept)
      core::log::error("could not delete expired CrewCode sessions", {{"error", swept.error().message}});
  }
  if (sweeper) sweeper->start();
  if (queue) {
    auto recovered = queue->recover();
    if (!recovered) core::log::error("could not resume unfinished executions", {{"error", recovered.error().message}});
    else if (*recovered > 0) core::log::info("resuming unfinished executions", {{"count", *recovered}});
  }
  server.wait();
  // Executions still running stop where they are: their checkpoints are
  // durable and the next start resumes them (as after a crash).
  if (sweeper) sweeper->stop();
  engine_io->stop();
  engine_io->join();
  engine_io.reset();
  (*gateway)->flushRecords();
  llm_blocking.join();
  core::log::info("server stopped");
  core::log::flush();
  return 0;
}

}  // namespace codecrew::app
