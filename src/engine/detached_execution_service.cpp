#include "engine/detached_execution_service.h"

#include "engine/execution_records.h"

namespace codecrew::engine {

DetachedExecutionService::DetachedExecutionService(std::shared_ptr<store::Store> store,
                                                   std::shared_ptr<core::Clock> clock,
                                                   std::shared_ptr<const CrewCatalog> crews)
    : store_(std::move(store)), clock_(std::move(clock)), crews_(std::move(crews)) {}

core::Status DetachedExecutionService::checkStartable(const store::Workflow& workflow) const {
  if (!crews_) return core::okStatus();
  if (auto crew = crews_->find(workflow.crew); !crew)
    return core::Error::invalidArgument("workflow " + std::to_string(workflow.id) + ": " + crew.error().message);
  return core::okStatus();
}

core::Result<StartResult> DetachedExecutionService::start(StartRequest request) {
  auto workflow = store_->getWorkflow(request.tenant_id, request.workflow_id);
  if (!workflow) return workflow.error();
  if (auto ok = checkStartable(*workflow); !ok) return ok.error();
  if (crews_)
    if (auto ok = checkStartInputs(*crews_, *workflow, request.inputs); !ok) return ok.error();
  return storeStart(*store_, request);
}

core::Result<store::Execution> DetachedExecutionService::cancel(core::Id tenant_id, core::Id execution_id,
                                                                std::optional<core::Id> workflow_id) {
  auto exec = executionOf(*store_, tenant_id, execution_id, workflow_id);
  if (!exec) return exec.error();
  return markCancelled(*store_, *clock_, tenant_id, execution_id);
}

core::Result<store::Execution> DetachedExecutionService::resume(core::Id tenant_id, core::Id execution_id) {
  auto exec = store_->getExecutionById(tenant_id, execution_id);
  if (!exec) return exec.error();
  return core::Error{core::ErrorCode::kFailedPrecondition,
                     "the crew engine is not attached to this server: nothing can resume", nullptr};
}

core::Result<store::Approval> DetachedExecutionService::decide(const DecideRequest& request) {
  return recordDecision(*store_, request);
}

}  // namespace codecrew::engine
