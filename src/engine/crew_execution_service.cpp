#include "engine/crew_execution_service.h"

#include "core/log.h"
#include "engine/execution_records.h"

namespace codecrew::engine {

CrewExecutionService::CrewExecutionService(std::shared_ptr<store::Store> store, std::shared_ptr<core::Clock> clock,
                                           std::shared_ptr<CrewEngine> engine, std::shared_ptr<ExecutionQueue> queue,
                                           std::shared_ptr<const CrewCatalog> crews, RepositoryPolicy repositories)
    : store_(std::move(store)),
      clock_(std::move(clock)),
      engine_(std::move(engine)),
      queue_(std::move(queue)),
      crews_(std::move(crews)),
      repositories_(std::move(repositories)) {}

core::Status CrewExecutionService::checkStartable(const store::Workflow& workflow) const {
  if (!model_problem_.empty())
    return core::Error{core::ErrorCode::kFailedPrecondition, "cannot start an execution: " + model_problem_, nullptr};
  if (auto crew = crews_->find(workflow.crew); !crew)
    return core::Error::invalidArgument("workflow " + std::to_string(workflow.id) + ": " + crew.error().message);
  auto tenant = store_->getTenant(workflow.tenant_id);
  if (!tenant) return tenant.error();
  return repositories_.check(workflow.repository_url, tenant->name);
}

core::Result<StartResult> CrewExecutionService::start(StartRequest request) {
  auto workflow = store_->getWorkflow(request.tenant_id, request.workflow_id);
  if (!workflow) return workflow.error();
  if (auto ok = checkStartable(*workflow); !ok) return ok.error();
  if (auto ok = checkStartInputs(*crews_, *workflow, request.inputs); !ok) return ok.error();
  auto started = storeStart(*store_, request);
  if (!started) return started.error();
  const auto& e = started->execution;
  if (started->created) {
    core::log::info("execution started", {{"tenant_id", e.tenant_id},
                                          {"workflow_id", e.workflow_id},
                                          {"execution_id", e.id},
                                          {"origin", std::string(originName(request.origin))}});
    if (request.before_queue) request.before_queue(e);
  } else if (started->job.status != store::JobStatus::kQueued) {
    return started;  // a repeat of a start that has run, runs or ended
  }
  // A stored start is acknowledged: should queueing fail here, the job is
  // still queued in the store and recovery runs it.
  if (auto ok = queue_->enqueue(e.tenant_id, e.id); !ok)
    core::log::error("could not queue an execution", {{"execution_id", e.id}, {"error", ok.error().message}});
  return started;
}

core::Result<store::Execution> CrewExecutionService::cancel(core::Id tenant_id, core::Id execution_id,
                                                            std::optional<core::Id> workflow_id) {
  auto exec = executionOf(*store_, tenant_id, execution_id, workflow_id);
  if (!exec) return exec.error();
  // Stop first: a run in flight then writes nothing more, so the
  // cancellation below is the execution's last word.
  engine_->requestStop(execution_id);
  auto cancelled = markCancelled(*store_, *clock_, tenant_id, execution_id);
  if (!cancelled) return cancelled.error();
  queue_->release(execution_id);
  return cancelled;
}

core::Result<store::Execution> CrewExecutionService::resume(core::Id tenant_id, core::Id execution_id) {
  auto exec = store_->getExecutionById(tenant_id, execution_id);
  if (!exec) return exec.error();
  if (exec->status == store::RunStatus::kWaitingApproval) {
    auto pending = store_->listApprovals(tenant_id, store::ApprovalStatus::kPending, execution_id, {1, 1});
    if (!pending) return pending.error();
    if (pending->total > 0)
      return core::Error::conflict("execution " + std::to_string(execution_id) + " waits on approval " +
                                   std::to_string(pending->items.front().id) + ": decide it instead");
  }
  if (auto ok = engine_->prepareResume(tenant_id, execution_id); !ok) return ok.error();
  if (auto ok = queue_->enqueue(tenant_id, execution_id); !ok) return ok.error();
  return store_->getExecutionById(tenant_id, execution_id);
}

core::Result<store::Approval> CrewExecutionService::decide(const DecideRequest& request) {
  auto decided = recordDecision(*store_, request);
  if (!decided) return decided.error();
  auto exec = store_->getExecutionById(request.tenant_id, decided->execution_id);
  if (exec && exec->status == store::RunStatus::kWaitingApproval) {
    if (auto ok = queue_->enqueue(request.tenant_id, decided->execution_id); !ok) return ok.error();
  }
  return decided;
}

}  // namespace codecrew::engine
