// CrewCodeService: CrewCode (seed 000) and crews answering as models
// (seed 004) over the crew engine. A run is a workflow of its own with one
// execution, started through the ExecutionService in a workspace seeded with
// the caller's files and committed once, so that what the crew changed is
// exactly the diff against that commit. The caller waits for the end (at
// most settings.run_timeout: then kDeadlineExceeded naming the execution,
// which keeps running and is cleaned up when it ends); the answer is the
// changed files (fenced markdown too), the unified diff and the usage of
// every model call. Workspaces are removed when their execution ends, unless
// it paused for an approval.
//
// Sessions hold a user's files between diff-mode updates. Each write and
// each update pushes the expiry settings.session_ttl ahead on the clock; an
// expired session reads as not found and is deleted (its files, its
// workflow with its executions, their workspaces) by sweepExpired(), which
// the session calls themselves run at most once a minute.
//
// Thread-safety: every method may be called from any thread. run(),
// generate() and update() block their caller up to run_timeout: call them
// from the blocking pool, never an I/O thread; start() returns at once.
#pragma once

#include "core/clock.h"
#include "engine/crew_catalog.h"
#include "engine/crewcode_settings.h"
#include "engine/execution_service.h"
#include "engine/execution_watch.h"
#include "engine/fenced_files.h"
#include "engine/progress_relay.h"
#include "store/store.h"

#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace codecrew::engine {

struct CrewUsage {
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t total_tokens = 0;
  std::int64_t calls = 0;
  double cost = 0;
};

// The answer of a run that completed.
struct CrewRun {
  core::Id workflow_id = 0;
  core::Id execution_id = 0;
  std::string crew;
  std::vector<FileChange> files;  // what the crew added, modified and deleted
  std::string diff;               // unified diff of those files
  std::string markdown;           // the changed files as fenced code blocks
  CrewUsage usage;
  std::vector<std::string> models;
};

struct CrewRequest {
  std::string crew;    // a name of the catalog
  std::string goal;    // the request, the workflow's description
  std::string origin;  // "generate", "session" or "chat": recorded in the execution's meta
  std::vector<std::pair<std::string, std::string>> files;  // seed the workspace (checked like session files)
  std::optional<core::Id> workflow_id;                     // run under this workflow instead of a new one
  std::optional<core::Id> api_key_id;                      // the caller's key: the run's model calls are its
  ProgressRelay::Listener progress;                        // optional: the run's progress as it happens
  // Optional: called with the outcome once the run ended, before the caller
  // gets it (even when the caller stopped waiting); an error it returns
  // replaces a successful answer.
  std::function<core::Status(const core::Result<CrewRun>&)> on_ended;
};

class CrewCodeService {
 public:
  CrewCodeService(std::shared_ptr<store::Store> store, std::shared_ptr<ExecutionService> executions,
                  std::shared_ptr<const CrewCatalog> crews, std::filesystem::path workspaces_root,
                  std::shared_ptr<ExecutionWatch> watch, std::shared_ptr<ProgressRelay> progress,
                  std::shared_ptr<core::Clock> clock, CrewCodeSettings settings);

  const CrewCodeSettings& settings() const { return settings_; }
  std::vector<std::string> crewNames() const;

  // Runs a crew to its end. kNotFound for an unknown crew; the refusals of
  // ExecutionService::checkStartable; kDeadlineExceeded (details:
  // workflow_id, execution_id) past run_timeout; kFailedPrecondition (same
  // details plus status and error) when the crew failed, was cancelled or
  // paused for an approval.
  core::Result<CrewRun> run(core::Id tenant_id, CrewRequest request);

  // The same without waiting: queues the run and returns its ids; done gets
  // the answer (or the error run() would give) once, on the engine's thread,
  // when the execution ends. Errors before the start are returned, and done
  // is then never called.
  using CrewDone = std::function<void(core::Result<CrewRun>)>;
  struct Started {
    core::Id workflow_id = 0;
    core::Id execution_id = 0;
  };
  core::Result<Started> start(core::Id tenant_id, CrewRequest request, CrewDone done);

  // Stops a started run at its next step (a caller that went away).
  core::Status cancel(core::Id tenant_id, core::Id execution_id);

  // POST /generate: the codegen crew on an empty workspace.
  core::Result<CrewRun> generate(core::Id tenant_id, const std::string& request, const std::string& language);

  // --- sessions -------------------------------------------------------------
  // kInvalidArgument for a bad path or content, kPayloadTooLarge past a limit.
  core::Result<store::CrewSession> createSession(core::Id tenant_id, const std::string& name,
                                                 const std::vector<std::pair<std::string, std::string>>& files);
  // kNotFound for an unknown, expired or another tenant's session.
  core::Result<store::CrewSession> getSession(core::Id tenant_id, core::Id session_id);
  core::Result<std::vector<store::SessionFile>> listFiles(core::Id tenant_id, core::Id session_id);
  core::Result<store::SessionFile> getFile(core::Id tenant_id, core::Id session_id, const std::string& path);
  core::Result<store::CrewSession> putFile(core::Id tenant_id, core::Id session_id, const std::string& path,
                                           const std::string& content);
  // Runs the update crew on the session's files for the requirement and
  // stores what it changed back into the session. kConflict while another
  // update of the session runs; kFailedPrecondition for a session without files.
  core::Result<CrewRun> update(core::Id tenant_id, core::Id session_id, const std::string& requirement);

  // Deletes every expired session (files, workflow, workspaces); returns how many.
  core::Result<int> sweepExpired();

 private:
  struct Pending;
  core::Result<CrewRun> finish(core::Id tenant_id, core::Id execution_id, const std::string& crew,
                               const std::string& base_commit, const core::Result<RunOutcome>& outcome);
  core::Result<CrewUsage> usageOf(core::Id tenant_id, core::Id execution_id);
  core::Status checkFile(const std::string& path, const std::string& content) const;
  core::Status checkFiles(const std::vector<std::pair<std::string, std::string>>& files) const;
  core::Result<store::CrewSession> liveSession(core::Id tenant_id, core::Id session_id);
  core::Result<core::Id> sessionWorkflow(core::Id tenant_id, store::CrewSession& session);
  core::Status deleteSessionEverywhere(const store::CrewSession& session);
  void sweepNowAndThen();
  core::Millis expiry() const;

  std::shared_ptr<store::Store> store_;
  std::shared_ptr<ExecutionService> executions_;
  std::shared_ptr<const CrewCatalog> crews_;
  std::filesystem::path workspaces_root_;
  std::shared_ptr<ExecutionWatch> watch_;
  std::shared_ptr<ProgressRelay> progress_;
  std::shared_ptr<core::Clock> clock_;
  CrewCodeSettings settings_;

  std::mutex mu_;
  std::set<core::Id> updating_;  // sessions with an update running; guarded by mu_
  core::Millis last_sweep_ = 0;  // guarded by mu_
};

}  // namespace codecrew::engine
