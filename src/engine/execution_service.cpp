#include "engine/execution_service.h"

namespace codecrew::engine {

std::string_view decisionName(ApprovalDecision d) {
  switch (d) {
    case ApprovalDecision::kApprove: return "approve";
    case ApprovalDecision::kReject: return "reject";
    case ApprovalDecision::kRequestChanges: return "changes";
  }
  return "reject";
}

std::optional<ApprovalDecision> parseDecision(std::string_view name) {
  if (name == "approve") return ApprovalDecision::kApprove;
  if (name == "reject") return ApprovalDecision::kReject;
  if (name == "changes") return ApprovalDecision::kRequestChanges;
  return std::nullopt;
}

std::string_view originName(StartOrigin origin) {
  switch (origin) {
    case StartOrigin::kApi: return "api";
    case StartOrigin::kCrewCode: return "crewcode";
    case StartOrigin::kCrewModel: return "crew_model";
    case StartOrigin::kCli: return "cli";
  }
  return "api";
}

}  // namespace codecrew::engine
