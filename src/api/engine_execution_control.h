// EngineExecutionControl: ExecutionControl through the crew engine's
// ExecutionService, after checking that the approval or execution belongs
// to the named workflow of the tenant.
// Thread-safety: as ExecutionControl.
#pragma once

#include "api/execution_control.h"
#include "engine/execution_service.h"
#include "store/store.h"

#include <memory>

namespace codecrew::api {

class EngineExecutionControl final : public ExecutionControl {
 public:
  EngineExecutionControl(std::shared_ptr<store::Store> store, std::shared_ptr<engine::ExecutionService> executions);

  core::Result<store::Approval> decide(const DecisionRequest& request) override;
  core::Result<store::Execution> cancel(core::Id tenant_id, core::Id workflow_id, core::Id execution_id) override;

 private:
  std::shared_ptr<store::Store> store_;
  std::shared_ptr<engine::ExecutionService> executions_;
};

}  // namespace codecrew::api
