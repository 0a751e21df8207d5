// Runtime: the product wired once from configuration, for every verb that
// runs crews or serves them (`serve`, `run`, and the coming `worker`), in
// one order: configuration → store (with the event log's fan-out) → LLM
// runtime → crew engine, queue and execution service → CrewCode. What is
// verb-specific (the HTTP server and gateway for `serve`, the terminal for
// `run`) is added by the verb on top.
//
// Without the engine (RuntimeOptions::engine false) the execution service
// is a DetachedExecutionService and no queue or CrewCode exists.
// Thread-safety: build and stop from one thread; the parts are thread-safe.
#pragma once

#include "core/clock.h"
#include "core/config.h"
#include "delivery/delivery_loop.h"
#include "engine/crew_catalog.h"
#include "engine/crew_engine.h"
#include "engine/crewcode_service.h"
#include "engine/engine_runtime.h"
#include "engine/execution_queue.h"
#include "engine/execution_service.h"
#include "engine/execution_watch.h"
#include "engine/leased_execution_queue.h"
#include "engine/progress_relay.h"
#include "engine/session_sweeper.h"
#include "events/event_log.h"
#include "integrations/github/github_config.h"
#include "llm/llm_runtime.h"
#include "storage/artifact_settings.h"
#include "storage/blob_store.h"
#include "store/postgres/pg_listener.h"
#include "store/store.h"

#include <boost/asio/thread_pool.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace codecrew::app {

// The tenant of a server in --dev and of `codecrew run`: one, so a run shows
// in the dev server's UI and its gates can be decided from either.
inline constexpr const char* kDevTenantName = "default";

struct RuntimeOptions {
  core::Config config;
  core::EnvMap env;
  std::string replay_cassette;  // non-empty: every model call from this cassette
  std::string record_cassette;  // non-empty: every model call recorded here
  bool engine = true;           // false: executions are stored, none is run here
  std::string worker_name;      // the queue's lease owner, e.g. "serve-<host>-<pid>"
  // The shared queue of a database several processes use (claims under
  // leases, LeasedExecutionQueue), which PostgreSQL requires (`serve` and
  // `worker` ask for it; build refuses PostgreSQL without it). Otherwise
  // (SQLite) this process queues and runs in memory.
  bool shared_queue = false;
  // Whether live subscribers here see the stored events other processes
  // append (LISTEN and relay; PostgreSQL): API nodes yes, workers no.
  bool relay_events = true;
  // How many executions this process runs at once on the shared queue:
  // -1 the engine's max_running, 0 none (an API node).
  int worker_slots = -1;
  // Sees the progress of every execution (besides the live events the
  // runtime publishes), e.g. `run`'s terminal lines.
  engine::ProgressSink progress_tap;
  // Directories local repositories may also come from, besides [repositories]
  // local_roots (`serve --dev`'s working directory), and repositories the
  // user named on the command line (`run --repo`), allowed as they are.
  std::vector<std::filesystem::path> repository_roots;
  std::vector<std::filesystem::path> trusted_repositories;
  // What the process reports of itself (app/observability.h): the store's,
  // router's, engine's and sandbox's metrics go to `metrics` (null: none)
  // and the spans of executions and model calls to `tracer`.
  std::shared_ptr<telemetry::Registry> metrics;
  std::shared_ptr<const telemetry::Tracer> tracer = telemetry::Tracer::off();
};

class Runtime {
 public:
  // kInvalidArgument for bad configuration (naming the setting), or the
  // store's error when it cannot be opened.
  static core::Result<std::unique_ptr<Runtime>> build(const RuntimeOptions& options);
  ~Runtime();

  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  // The dev tenant's id (created on first use).
  core::Result<core::Id> devTenant();

  // Queues what an earlier process left unfinished; returns how many. On the
  // shared queue: starts claiming (nothing to re-enqueue).
  core::Result<int> recover();

  // Stops the engine where it is (checkpoints are durable: the next start
  // resumes as after a crash) and the LLM runtime's blocking work.
  void stop();

  std::shared_ptr<core::Clock> clock;
  std::shared_ptr<const core::Config> config;
  core::EnvMap env;
  std::shared_ptr<store::Store> store;  // publishes committed events to live subscribers
  std::shared_ptr<events::EventLog> events;
  std::unique_ptr<store::postgres::PgListener> event_listener;  // PostgreSQL API nodes
  std::unique_ptr<boost::asio::thread_pool> llm_blocking;
  llm::LlmRuntime llm;
  std::shared_ptr<const engine::CrewCatalog> crews;
  std::shared_ptr<engine::ExecutionService> executions;  // never null
  // Where artifacts are stored ([artifacts]; the local disk by default),
  // for the engine's writes and the API's reads. Never null.
  storage::ArtifactSettings artifact_settings;
  std::shared_ptr<storage::BlobStore> artifacts;
  // The rest only with the engine.
  std::optional<engine::EngineSettings> engine_settings;
  std::shared_ptr<const llm::RoleModels> roles;  // which model each crew role asks for
  std::unique_ptr<boost::asio::thread_pool> engine_io;
  std::shared_ptr<engine::CrewEngine> engine;
  std::shared_ptr<engine::SemanticContext> semantic;           // null when [semantic] is off
  std::filesystem::path workspaces_root;                       // <data_dir>/workspaces
  std::shared_ptr<engine::InProcessExecutionQueue> queue;      // one process (SQLite)
  std::shared_ptr<engine::LeasedExecutionQueue> shared_queue;  // many processes (PostgreSQL)
  std::shared_ptr<engine::ExecutionWatch> watch;
  std::shared_ptr<engine::ProgressRelay> progress;
  std::shared_ptr<engine::CrewCodeService> crewcode;
  std::shared_ptr<engine::SessionSweeper> sweeper;
  // Delivery to GitHub ([github]): the client, and the loop that handles
  // its webhooks and pull request refreshes (null without the engine).
  integrations::github::GitHubConfig github;
  std::shared_ptr<integrations::github::GitHubClient> github_client;
  std::shared_ptr<delivery::DeliveryLoop> delivery_loop;

 private:
  Runtime() = default;
  core::Status buildEngine(const RuntimeOptions& options);
  bool stopped_ = false;
};

}  // namespace codecrew::app
