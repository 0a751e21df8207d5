// CrewEngine: runs executions of workflows with their crews, from NEW to an
// end, and resumes them. One run() drives one execution until it completes,
// fails, is cancelled or pauses for an approval; calling run() again (after a
// crash, a restart, an approval decision, or POST .../resume) continues from
// the last checkpoint: no completed step runs again, no completed LLM call is
// paid twice, and side effects are idempotent (files are rewritten with the
// same content; a stage's commit is skipped when its tree is already
// committed).
//
// The execution's workspace is the directory its start named (Execution::
// workspace) or, by default, <workspaces_root>/t<tenant>/e<execution>; each
// run prepares it first (workspace_preparation.h); the engine works on the branch
// codecrew/execution-<id> with a commit per stage, stores artifacts, code
// files and diffs, and writes every step as Messages and Events.
//
// Thread-safety: run() may be called concurrently for different executions;
// each run must be awaited on its own strand (see ExecutionQueue). cancel()
// is safe from any thread. The store is called inline (SQLite in WAL mode is
// fast enough for the engine's small writes); a PostgreSQL store should be
// wrapped to post to a blocking pool.
#pragma once

#include "core/clock.h"
#include "core/result.h"
#include "engine/crew_catalog.h"
#include "engine/delivery.h"
#include "engine/model_client.h"
#include "engine/repository_location.h"
#include "storage/blob_store.h"
#include "store/store.h"
#include "telemetry/tracer.h"
#include "tools/sandbox/sandbox.h"
#include "tools/tool_registry.h"

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include <atomic>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace codecrew::engine {

class EngineMetrics;
class SemanticContext;

enum class RunOutcome { kCompleted, kFailed, kCancelled, kWaitingApproval };
std::string_view runOutcomeName(RunOutcome outcome);

// A live progress line: kind ("stage", "llm_call", "tool_call", ...) and data.
using ProgressSink =
    std::function<void(core::Id execution_id, const std::string& kind, const boost::json::object& data)>;

// Test hook: called at named points of a run ("after_llm_answer": a model
// answered, nothing of it checkpointed; "after_llm_call", "after_tools",
// "after_stage": after their checkpoints); returning true simulates a crash there (the
// run stops as if the process died, leaving the store as it was).
using CrashHook = std::function<bool(const std::string& point)>;

struct EngineDeps {
  std::shared_ptr<store::Store> store;
  std::shared_ptr<ModelClient> model;
  std::shared_ptr<const tools::ToolRegistry> tools;
  std::shared_ptr<tools::Sandbox> sandbox;  // may be null: run_command is then refused
  std::shared_ptr<core::Clock> clock;
  std::shared_ptr<const CrewCatalog> crews;
  ProgressSink progress;
  CrashHook crash;
  // Where executions get workspaces of their own; directories under it are
  // the server's (cloned into, handed to the sandbox's user).
  std::filesystem::path workspaces_root;
  // Which local repositories executions may be cloned from.
  RepositoryPolicy repositories;
  // Where executions on a network repository deliver their work (null:
  // nowhere), at the start of which stage (else at the end), and the web
  // UI's address for the links in pull requests ("" for none).
  std::shared_ptr<Delivery> delivery;
  std::string deliver_stage = "DEPLOY";
  std::string public_url;
  // Spans of each run (a child of the request that started the execution),
  // stage, agent and tool call; the model calls' spans are the router's,
  // children of their agent's. Off unless set.
  std::shared_ptr<const telemetry::Tracer> tracer = telemetry::Tracer::off();
  std::shared_ptr<EngineMetrics> metrics;  // null: nothing counted
  // Where artifacts' bytes are stored before their rows are committed (the
  // rows' uri then names the object); null: rows only, their uri the file
  // on the branch ("git:<branch>:<path>"). With archive_workspaces, a
  // finished execution's branch is stored too, as workspace.tar.gz.
  std::shared_ptr<storage::BlobStore> artifacts;
  bool archive_workspaces = false;
  // Repositories' semantic indexes (semantic_search, retrieved context in
  // agents' prompts); null: off.
  std::shared_ptr<SemanticContext> semantic;
};

// An execution's workspace: the one it names, else its own under root.
std::filesystem::path workspaceOf(const store::Execution& execution, const std::filesystem::path& root);

class CrewEngine {
 public:
  explicit CrewEngine(EngineDeps deps);

  // Runs (or resumes) the execution. An execution that cannot be run at all
  // (unknown crew, a checkpoint that does not load, an unusable workspace)
  // is failed with the reason and ends with RunOutcome::kFailed, as does a
  // run that fails. Errors are left for what may pass on a later attempt
  // (kUnavailable: the store, a simulated crash) and unknown executions.
  // run_store, when given, is the store this run writes through instead of
  // the engine's (a FencedStore under a worker's lease).
  boost::asio::awaitable<core::Result<RunOutcome>> run(core::Id tenant_id, core::Id execution_id,
                                                       std::shared_ptr<store::Store> run_store = nullptr);

  // Asks the run of the execution in flight, if any, to stop at its next
  // step; from now on it writes nothing more (ExecutionService::cancel
  // records the cancellation).
  void requestStop(core::Id execution_id);

  // Makes a failed-on-budget execution runnable again with its budget raised
  // once more; kConflict for executions that cannot resume.
  core::Status prepareResume(core::Id tenant_id, core::Id execution_id);

  // The message a terminal failure shows: what failed, the token math and the
  // commands that resume.
  static std::string resumeHint(core::Id workflow_id, core::Id execution_id);
  // The engine's metrics (null: none), for the queues that feed it.
  EngineMetrics* metrics() const { return deps_.metrics.get(); }

 private:
  class Run;
  std::shared_ptr<std::atomic<bool>> cancelFlag(core::Id execution_id);
  void forget(core::Id execution_id);

  EngineDeps deps_;
  std::mutex mu_;
  std::map<core::Id, std::shared_ptr<std::atomic<bool>>> cancel_flags_;  // guarded by mu_
};

}  // namespace codecrew::engine
