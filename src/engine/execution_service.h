// ExecutionService: what the API (REST and WebSocket alike) asks of the crew
// engine: start a new execution in a workspace of its own, cancel, resume,
// and decide an approval gate, each followed by the queueing that makes the
// engine act on it. Handlers stay thin; the rules live here.
//
// Workspaces: an execution started through the API works in
// <workspaces_root>/t<tenant>/e<execution>, never in a directory the client
// names. When its workflow's repository_url is a local git repository (a
// path or a file:// URL) the workspace starts as a clone of it; when it is
// empty the engine starts an empty repository; other URLs (network remotes)
// are refused until the integrations work lands, with a message saying so.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include "engine/crew_catalog.h"
#include "engine/crew_engine.h"
#include "engine/execution_queue.h"
#include "store/store.h"

#include <filesystem>
#include <memory>
#include <string>

namespace codecrew::engine {

class ExecutionService {
 public:
  ExecutionService(std::shared_ptr<store::Store> store, std::shared_ptr<CrewEngine> engine,
                   std::shared_ptr<ExecutionQueue> queue, std::shared_ptr<const CrewCatalog> crews,
                   std::filesystem::path workspaces_root);

  const CrewCatalog& crews() const { return *crews_; }

  // Why no execution can run (e.g. no model provider configured): starts are
  // then refused with kFailedPrecondition and this message. Set before use.
  void setModelProblem(std::string problem) { model_problem_ = std::move(problem); }

  // kInvalidArgument when the workflow's crew is unknown or its repository
  // cannot be used, kFailedPrecondition when no model can be reached
  // (checked before anything is stored).
  core::Status checkStartable(const store::Workflow& workflow) const;

  // Gives a just-created execution its workspace and queues it. A failure to
  // prepare the workspace fails the execution (with the reason) and is
  // returned.
  core::Result<store::Execution> start(core::Id tenant_id, store::Execution execution);

  // Stops a running execution at its next step, or marks a waiting one
  // cancelled. kNotFound / kConflict (already ended).
  core::Status cancel(core::Id tenant_id, core::Id execution_id);

  // Continues an unfinished execution, or one that failed on its budget
  // (with the budget raised). kConflict for one that ended for good or waits
  // on an undecided approval.
  core::Status resume(core::Id tenant_id, core::Id execution_id);

  // Records decision ("approve", "reject" or "changes") on a pending approval
  // and queues its execution so the engine acts on it. kNotFound, kConflict
  // (already decided), kInvalidArgument (bad decision; "changes" without a
  // comment).
  core::Result<store::Approval> decide(core::Id tenant_id, core::Id approval_id, const std::string& decision,
                                       const std::string& reviewer, const std::string& comment);

  std::filesystem::path workspaceFor(core::Id tenant_id, core::Id execution_id) const;

 private:
  core::Status prepareWorkspace(const store::Workflow& workflow, const std::filesystem::path& dir) const;

  std::shared_ptr<store::Store> store_;
  std::shared_ptr<CrewEngine> engine_;
  std::shared_ptr<ExecutionQueue> queue_;
  std::shared_ptr<const CrewCatalog> crews_;
  std::filesystem::path workspaces_root_;
  std::string model_problem_;
};

// The local directory a repository_url names ("" for none, a path, or
// file://path); nullopt for a network URL.
std::optional<std::filesystem::path> localRepositoryPath(const std::string& repository_url);

}  // namespace codecrew::engine
