#include "app/runtime.h"

#include "app/app_setup.h"
#include "app/cloud_report.h"
#include "app/observability.h"
#include "cloud/cloud_detection.h"
#include "delivery/github_delivery.h"
#include "engine/crew_execution_service.h"
#include "engine/detached_execution_service.h"
#include "events/local_event_hub.h"
#include "events/pg_event_signals.h"
#include "llm/tokenizer/ranks_location.h"
#include "tools/sandbox/bubblewrap_sandbox.h"

#include <filesystem>
#include <mutex>
#include <unordered_map>

namespace codecrew::app {
namespace {

constexpr const char* kNoProvider =
    "no model provider is configured: set OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY, GROQ_API_KEY, "
    "OPENROUTER_API_KEY, AZURE_OPENAI_*, OLLAMA_HOST or [providers.*] in codecrew.toml, or replay a cassette";

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

// A model call's start goes live (not stored) on the workflow's
// conversation stream; its end is stored with the step's records.
engine::ProgressSink liveProgress(std::shared_ptr<events::EventLog> event_log, std::shared_ptr<core::Clock> clock,
                                  const engine::ProgressSink& also) {
  return [event_log, clock, also](core::Id execution_id, const std::string& kind, const boost::json::object& data) {
    if (also) also(execution_id, kind, data);
    if (kind != "llm_call.start") return;
    store::Event e;
    e.tenant_id = data.at("tenant_id").to_number<core::Id>();
    e.workflow_id = data.at("workflow_id").to_number<core::Id>();
    e.execution_id = execution_id;
    e.type = kind;
    e.data = data;
    e.created_at = clock->nowMillis();
    event_log->publishLive(std::move(e));
  };
}

// The address people reach the web UI at, for links in pull requests:
// [server] public_url (CODECREW_PUBLIC_URL), else none.
std::string publicUrl(const core::Config& config, const core::EnvMap& env) {
  std::string url;
  if (const auto* s = config.document.if_contains("server"); s && s->is_object())
    if (const auto* u = s->get_object().if_contains("public_url"); u && u->is_string()) url = u->get_string();
  if (auto it = env.find("CODECREW_PUBLIC_URL"); it != env.end() && !it->second.empty()) url = it->second;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

}  // namespace

core::Result<std::unique_ptr<Runtime>> Runtime::build(const RuntimeOptions& options) {
  std::unique_ptr<Runtime> rt(new Runtime());
  rt->clock = core::SystemClock::instance();
  rt->config = std::make_shared<const core::Config>(options.config);
  rt->env = options.env;
  // A malformed cloud variable, or a service of the chosen cloud missing one,
  // stops the start naming it (exit 2), before anything is opened.
  auto cloud = cloud::detectCloud(rt->env);
  if (auto ok = cloud.status(); !ok) return ok.error();
  logCloudDetection(cloud);
  if (options.engine) {
    // The engine probes bubblewrap (a sandbox started and waited for): let
    // that run while the store opens and the model runtime is built.
    auto settings = engine::loadEngineSettings(rt->config->document, rt->env, !options.replay_cassette.empty());
    if (settings && settings->sandbox) tools::BubblewrapSandbox::probeAhead();
  }
  // The artifact store's configuration is checked before anything opens:
  // a store that lacks what it needs stops the start, naming the variable.
  auto artifact_settings = storage::loadArtifactSettings(rt->config->document, rt->env, rt->config->storage.data_dir);
  if (!artifact_settings) return artifact_settings.error();
  rt->artifact_settings = std::move(artifact_settings).value();
  store::TransactionObserver observer;
  if (options.metrics) {
    auto& family = options.metrics->histogram("codecrew_store_operation_duration_seconds",
                                              "Length of the store's transactions (waiting for a connection "
                                              "included), by operation: read or write.",
                                              {"operation"}, telemetry::requestSecondsBuckets());
    observer = [&read = family.with({"read"}), &write = family.with({"write"})](bool is_write, double seconds) {
      (is_write ? write : read).observe(seconds);
    };
  }
  auto store = openAppStore(*rt->config, rt->clock, std::move(observer));
  if (!store) return store.error();
  // Every event appended through the store (the engine's, the API's) is
  // fanned out to live subscribers once committed. On PostgreSQL other
  // processes append too: every process announces its commits (NOTIFY) and
  // an API node relays every process's stored events from the table.
  events::EventLogOptions log_options;
  events::PgEventSignalOptions signal_options;
  const bool shared_db = rt->config->usesPostgres();
  if (shared_db) {
    signal_options.url = rt->config->storage.database_url;
    // PGAPPNAME names this process's connections; its signal connections
    // take it as their prefix ("<name>-listener", "<name>-notifier").
    if (auto it = rt->env.find("PGAPPNAME"); it != rt->env.end() && !it->second.empty())
      signal_options.application_name_prefix = it->second;
    log_options.signal = events::makePgEventSignal(signal_options);
  }
  rt->events = std::make_shared<events::EventLog>(*store, std::make_shared<events::LocalEventHub>(), log_options);
  rt->store = rt->events->store();
  if (shared_db && options.relay_events) {
    rt->event_listener = events::listenPgEventSignals(signal_options, rt->events->relay());
  }

  rt->llm_blocking = std::make_unique<boost::asio::thread_pool>(2);
  llm::LlmRuntimeOptions lo;
  lo.blocking = rt->llm_blocking->get_executor();
  lo.clock = rt->clock;
  lo.store = rt->store;
  lo.env = rt->env;
  lo.replay_cassette = options.replay_cassette;
  lo.record_cassette = options.record_cassette;
  lo.metrics = options.metrics;
  lo.tracer = options.tracer;
  auto ranks = llm::tokenizer::resolveRanksDir(&rt->config->document, rt->env);
  if (std::filesystem::exists(ranks)) lo.tiktoken_dir = ranks;
  auto llm = llm::buildLlmRuntime(rt->config->document, lo);
  if (!llm) return llm.error();
  rt->llm = std::move(llm).value();
  auto artifacts = storage::makeArtifactStore(rt->artifact_settings,
                                              storage::BlobHttpDeps{rt->llm.client, rt->clock, nullptr, {}});
  if (!artifacts) return artifacts.error();
  rt->artifacts = std::move(artifacts).value();
  if (options.metrics) {
    addStoreGauges(*options.metrics, rt->store, rt->clock);
    addBreakerGauges(*options.metrics, rt->llm.router);
  }

  if (options.engine) {
    if (auto ok = rt->buildEngine(options); !ok) return ok.error();
  } else {
    auto crews = engine::loadCrewCatalog(rt->config->document, rt->env);
    if (!crews) return crews.error();
    rt->crews = std::move(crews).value();
    rt->executions = std::make_shared<engine::DetachedExecutionService>(rt->store, rt->clock, rt->crews);
  }
  return rt;
}

core::Status Runtime::buildEngine(const RuntimeOptions& options) {
  const bool replaying = !options.replay_cassette.empty();
  auto kill_hook = engine::killHookFromEnv(env);
  if (!kill_hook) return kill_hook.error();
  auto crewcode_settings = engine::loadCrewCodeSettings(config->document, env);
  if (!crewcode_settings) return crewcode_settings.error();
  progress = std::make_shared<engine::ProgressRelay>();
  progress->tapAll(liveProgress(events, clock, options.progress_tap));
  watch = std::make_shared<engine::ExecutionWatch>();
  auto workspaces = std::filesystem::absolute(config->storage.data_dir) / "workspaces";
  auto repositories = engine::loadRepositoryPolicy(config->document, env, config->storage.data_dir,
                                                   options.repository_roots, options.trusted_repositories);
  if (!repositories) return repositories.error();
  auto github_config = integrations::github::loadGitHubConfig(config->document, env);
  if (!github_config) return github_config.error();
  github = std::move(github_config).value();
  std::vector<engine::RemoteHost> remotes{{github.web_url, github.token, true, github.owners, github.tenant_owners}};
  for (const auto& h : github.remote_hosts) remotes.push_back({h, "", false});
  repositories->setRemoteHosts(std::move(remotes));
  integrations::RestClientOptions rest;
  rest.name = "github";
  if (!github.token.empty()) rest.authorization = "Bearer " + github.token;
  rest.default_headers = {{"Accept", "application/vnd.github+json"}, {"X-GitHub-Api-Version", "2022-11-28"}};
  github_client = std::make_shared<integrations::github::GitHubClient>(
      std::make_shared<integrations::RestClient>(llm.client, std::make_shared<llm::AsioSleeper>(), clock, rest),
      github.api_url);
  engine::DeliveryWiring wiring{std::make_shared<delivery::GitHubDelivery>(store, github_client, github),
                                github.deliver_stage, publicUrl(*config, env)};
  auto parts = engine::buildEngine(config->document, env, llm, replaying, store, clock, workspaces, *repositories,
                                   progress->sink(), *kill_hook, liveTokens(events, store, clock), std::move(wiring),
                                   engine::EngineTelemetry{options.metrics, options.tracer},
                                   engine::ArtifactWiring{artifacts, artifact_settings.archive_workspaces});
  if (!parts) return parts.error();
  engine_settings = parts->settings;
  semantic = parts->semantic;
  workspaces_root = workspaces;
  roles = parts->roles;
  crews = parts->crews;
  engine = parts->engine;
  // The crew engine runs executions as coroutines on its own pool (its
  // store writes are synchronous).
  engine_io = std::make_unique<boost::asio::thread_pool>(2);
  auto finished = [w = watch](core::Id id, const core::Result<engine::RunOutcome>& outcome) {
    w->finished(id, outcome);
  };
  std::shared_ptr<engine::ExecutionQueue> any_queue;
  if (config->usesPostgres() && !options.shared_queue) {
    return core::Error::invalidArgument(
        "with PostgreSQL, executions run from the shared queue: start them through `codecrew serve` and run them "
        "with its embedded worker or `codecrew worker`");
  }
  if (options.shared_queue) {
    engine::LeaseSettings lease;
    lease.worker = options.worker_name;
    lease.max_running = options.worker_slots < 0 ? parts->settings.max_running : options.worker_slots;
    lease.heartbeat = std::chrono::seconds(config->queue.heartbeat_interval_seconds);
    lease.timeout = std::chrono::seconds(config->queue.heartbeat_timeout_seconds);
    lease.fault = *kill_hook;
    shared_queue = std::make_shared<engine::LeasedExecutionQueue>(engine_io->get_executor(), engine, store, clock,
                                                                  lease, finished);
    any_queue = shared_queue;
  } else {
    queue = std::make_shared<engine::InProcessExecutionQueue>(engine_io->get_executor(), engine, store, clock,
                                                              options.worker_name, parts->settings.max_running,
                                                              finished);
    any_queue = queue;
  }
  auto service = std::make_shared<engine::CrewExecutionService>(store, clock, engine, any_queue, crews, *repositories);
  if (!replaying && llm.config.providers.empty()) service->setModelProblem(kNoProvider);
  executions = service;
  crewcode = std::make_shared<engine::CrewCodeService>(store, executions, crews, workspaces, watch, progress, clock,
                                                       *crewcode_settings);
  sweeper = std::make_shared<engine::SessionSweeper>(engine_io->get_executor(), crewcode, std::chrono::seconds(60));
  delivery_loop = std::make_shared<delivery::DeliveryLoop>(engine_io->get_executor(), store, github_client, executions,
                                                           delivery::LoopSettings{github.max_fix_attempts,
                                                                                  github.mention},
                                                           clock);
  return core::okStatus();
}

core::Result<core::Id> Runtime::devTenant() {
  auto tenant = store->ensureTenant(kDevTenantName);
  if (!tenant) return tenant.error();
  return tenant->id;
}

core::Result<int> Runtime::recover() {
  if (shared_queue) {
    // Nothing to re-enqueue: unfinished jobs are runnable in the database,
    // and expired leases are taken over by the next claim. Claiming starts.
    shared_queue->start();
    return 0;
  }
  if (!queue) return 0;
  return queue->recover();
}

void Runtime::stop() {
  if (stopped_) return;
  stopped_ = true;
  if (event_listener) event_listener->stop();
  if (sweeper) sweeper->stop();
  if (shared_queue) shared_queue->stop();
  if (engine_io) {
    engine_io->stop();
    engine_io->join();
  }
  if (llm_blocking) llm_blocking->join();
}

Runtime::~Runtime() { stop(); }

}  // namespace codecrew::app
