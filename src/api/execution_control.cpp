#include "api/execution_control.h"

namespace codecrew::api {

std::string_view decisionName(ApprovalDecision d) {
  switch (d) {
    case ApprovalDecision::kApprove: return "approve";
    case ApprovalDecision::kReject: return "reject";
    case ApprovalDecision::kRequestChanges: return "changes";
  }
  return "approve";
}

}  // namespace codecrew::api
