// CrewExecutionService: the ExecutionService of a server (or `codecrew run`)
// with the crew engine attached: starts are queued on an ExecutionQueue and
// run by the CrewEngine; cancel stops a run in flight and frees its slot.
// An execution's workspace is the one its start named or, by default,
// <workspaces_root>/t<tenant>/e<execution> (see CrewEngine).
// Thread-safety: every method may be called from any thread.
#pragma once

#include "engine/crew_catalog.h"
#include "engine/crew_engine.h"
#include "engine/execution_queue.h"
#include "engine/execution_service.h"
#include "engine/repository_location.h"

#include <filesystem>
#include <memory>
#include <string>

namespace codecrew::engine {

class CrewExecutionService final : public ExecutionService {
 public:
  CrewExecutionService(std::shared_ptr<store::Store> store, std::shared_ptr<core::Clock> clock,
                       std::shared_ptr<CrewEngine> engine, std::shared_ptr<ExecutionQueue> queue,
                       std::shared_ptr<const CrewCatalog> crews, RepositoryPolicy repositories = {});

  // Why no execution can run (e.g. no model provider configured): starts are
  // then refused with kFailedPrecondition and this message. Set before use.
  void setModelProblem(std::string problem) { model_problem_ = std::move(problem); }

  bool attached() const override { return true; }
  core::Status checkStartable(const store::Workflow& workflow) const override;
  core::Result<StartResult> start(StartRequest request) override;
  core::Result<store::Execution> cancel(core::Id tenant_id, core::Id execution_id,
                                        std::optional<core::Id> workflow_id) override;
  core::Result<store::Execution> resume(core::Id tenant_id, core::Id execution_id) override;
  core::Result<store::Approval> decide(const DecideRequest& request) override;

 private:
  std::shared_ptr<store::Store> store_;
  std::shared_ptr<core::Clock> clock_;
  std::shared_ptr<CrewEngine> engine_;
  std::shared_ptr<ExecutionQueue> queue_;
  std::shared_ptr<const CrewCatalog> crews_;
  RepositoryPolicy repositories_;
  std::string model_problem_;
};

}  // namespace codecrew::engine
