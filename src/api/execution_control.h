// ExecutionControl: the actions a person takes on a running workflow —
// decide an approval (approve, reject, request changes) and cancel an
// execution — shared by every front door that offers them (the WebSocket
// commands of /ws/workflows/{id}; the REST approval and cancel routes may
// call it too). The caller has authenticated the principal and checked the
// write permission; implementations check that the objects belong to the
// tenant and to the named workflow (kNotFound otherwise) and that the
// action is still possible (kConflict).
// EngineExecutionControl implements it on the crew engine's
// ExecutionService (the same calls the REST routes make); tests and other
// deployments may set their own in ApiContext::execution_control.
// Thread-safety: implementations are safe to call from any thread; calls
// block on the store (run them on the blocking pool).
#pragma once

#include "core/result.h"
#include "store/models.h"

#include <string>

namespace codecrew::api {

enum class ApprovalDecision { kApprove, kReject, kRequestChanges };

// The decision as ExecutionService and Approval::decision spell it:
// "approve", "reject", "changes".
std::string_view decisionName(ApprovalDecision d);

struct DecisionRequest {
  core::Id tenant_id = 0;
  core::Id workflow_id = 0;
  core::Id approval_id = 0;
  ApprovalDecision decision = ApprovalDecision::kApprove;
  std::string reviewer;  // who decided (the API key's label, or "dev")
  std::string comment;
};

class ExecutionControl {
 public:
  virtual ~ExecutionControl() = default;
  // Records the decision on a pending approval of the workflow.
  virtual core::Result<store::Approval> decide(const DecisionRequest& request) = 0;
  // Cancels an execution of the workflow that has not ended.
  virtual core::Result<store::Execution> cancel(core::Id tenant_id, core::Id workflow_id, core::Id execution_id) = 0;
};

}  // namespace codecrew::api
