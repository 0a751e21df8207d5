#include "api/engine_execution_control.h"

namespace codecrew::api {

EngineExecutionControl::EngineExecutionControl(std::shared_ptr<store::Store> store,
                                               std::shared_ptr<engine::ExecutionService> executions)
    : store_(std::move(store)), executions_(std::move(executions)) {}

core::Result<store::Approval> EngineExecutionControl::decide(const DecisionRequest& r) {
  auto approval = store_->getApproval(r.tenant_id, r.approval_id);
  if (!approval) return approval.error();
  if (approval->workflow_id != r.workflow_id)
    return core::Error::notFound("approval " + std::to_string(r.approval_id) + " not found in workflow " +
                                 std::to_string(r.workflow_id));
  return executions_->decide(r.tenant_id, r.approval_id, std::string(decisionName(r.decision)), r.reviewer,
                             r.comment);
}

core::Result<store::Execution> EngineExecutionControl::cancel(core::Id tenant_id, core::Id workflow_id,
                                                              core::Id execution_id) {
  auto execution = store_->getExecution(tenant_id, workflow_id, execution_id);
  if (!execution) return execution.error();
  if (auto st = executions_->cancel(tenant_id, execution_id); !st) return st.error();
  return store_->getExecution(tenant_id, workflow_id, execution_id);
}

}  // namespace codecrew::api
