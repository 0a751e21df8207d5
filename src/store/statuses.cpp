#include "store/statuses.h"

#include <array>
#include <utility>

namespace codecrew::store {
namespace {

template <typename E, std::size_t N>
std::string_view nameIn(const std::array<std::pair<E, std::string_view>, N>& names, E value) {
  for (const auto& [e, n] : names)
    if (e == value) return n;
  return "unknown";
}

template <typename E, std::size_t N>
std::optional<E> parseIn(const std::array<std::pair<E, std::string_view>, N>& names, std::string_view name) {
  for (const auto& [e, n] : names)
    if (n == name) return e;
  return std::nullopt;
}

constexpr std::array<std::pair<RunStatus, std::string_view>, 6> kRunStatuses{{
    {RunStatus::kPending, "pending"},
    {RunStatus::kRunning, "running"},
    {RunStatus::kWaitingApproval, "waiting_approval"},
    {RunStatus::kCompleted, "completed"},
    {RunStatus::kFailed, "failed"},
    {RunStatus::kCancelled, "cancelled"},
}};

constexpr std::array<std::pair<JobStatus, std::string_view>, 6> kJobStatuses{{
    {JobStatus::kQueued, "queued"},
    {JobStatus::kRunning, "running"},
    {JobStatus::kSucceeded, "succeeded"},
    {JobStatus::kFailed, "failed"},
    {JobStatus::kCancelled, "cancelled"},
    {JobStatus::kPaused, "paused"},
}};

constexpr std::array<std::pair<AttemptStatus, std::string_view>, 3> kAttemptStatuses{{
    {AttemptStatus::kRunning, "running"},
    {AttemptStatus::kSucceeded, "succeeded"},
    {AttemptStatus::kFailed, "failed"},
}};

constexpr std::array<std::pair<ApprovalStatus, std::string_view>, 4> kApprovalStatuses{{
    {ApprovalStatus::kPending, "pending"},
    {ApprovalStatus::kApproved, "approved"},
    {ApprovalStatus::kRejected, "rejected"},
    {ApprovalStatus::kChangesRequested, "changes_requested"},
}};

constexpr std::array<std::pair<Decision, std::string_view>, 3> kDecisions{{
    {Decision::kApprove, "approve"},
    {Decision::kReject, "reject"},
    {Decision::kRequestChanges, "changes"},
}};

constexpr std::array<std::pair<CallStatus, std::string_view>, 4> kCallStatuses{{
    {CallStatus::kSuccess, "success"},
    {CallStatus::kFailed, "failed"},
    {CallStatus::kTruncated, "truncated"},
    {CallStatus::kSkipped, "skipped"},
}};

constexpr std::array<std::pair<Stage, std::string_view>, 12> kStages{{
    {Stage::kNew, "NEW"},
    {Stage::kPlanning, "PLANNING"},
    {Stage::kDesign, "DESIGN"},
    {Stage::kBuild, "BUILD"},
    {Stage::kTest, "TEST"},
    {Stage::kReview, "REVIEW"},
    {Stage::kDeploy, "DEPLOY"},
    {Stage::kMonitor, "MONITOR"},
    {Stage::kDone, "DONE"},
    {Stage::kFailed, "FAILED"},
    {Stage::kCancelled, "CANCELLED"},
    {Stage::kWaitingApproval, "WAITING_APPROVAL"},
}};

}  // namespace

std::string_view runStatusName(RunStatus s) { return nameIn(kRunStatuses, s); }
std::optional<RunStatus> parseRunStatus(std::string_view name) { return parseIn(kRunStatuses, name); }
bool hasEnded(RunStatus s) {
  return s == RunStatus::kCompleted || s == RunStatus::kFailed || s == RunStatus::kCancelled;
}

std::string_view jobStatusName(JobStatus s) { return nameIn(kJobStatuses, s); }
std::optional<JobStatus> parseJobStatus(std::string_view name) { return parseIn(kJobStatuses, name); }

std::string_view attemptStatusName(AttemptStatus s) { return nameIn(kAttemptStatuses, s); }
std::optional<AttemptStatus> parseAttemptStatus(std::string_view name) { return parseIn(kAttemptStatuses, name); }

std::string_view approvalStatusName(ApprovalStatus s) { return nameIn(kApprovalStatuses, s); }
std::optional<ApprovalStatus> parseApprovalStatus(std::string_view name) { return parseIn(kApprovalStatuses, name); }

std::string_view decisionName(Decision d) { return nameIn(kDecisions, d); }
std::optional<Decision> parseDecision(std::string_view name) { return parseIn(kDecisions, name); }
ApprovalStatus statusAfter(Decision d) {
  switch (d) {
    case Decision::kApprove: return ApprovalStatus::kApproved;
    case Decision::kReject: return ApprovalStatus::kRejected;
    case Decision::kRequestChanges: return ApprovalStatus::kChangesRequested;
  }
  return ApprovalStatus::kRejected;
}

std::string_view callStatusName(CallStatus s) { return nameIn(kCallStatuses, s); }
std::optional<CallStatus> parseCallStatus(std::string_view name) { return parseIn(kCallStatuses, name); }

std::string_view stageName(Stage stage) { return nameIn(kStages, stage); }
std::optional<Stage> parseStage(std::string_view name) { return parseIn(kStages, name); }

}  // namespace codecrew::store
