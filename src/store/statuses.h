// The closed vocabularies of the data model as enums: the status of a
// workflow or an execution (RunStatus), of a job and its attempts, of an
// approval and the decision on it, of a recorded model call, and the stage
// of an execution's lifecycle. Each has its name (as stored, rendered and
// sent in events: "waiting_approval", "PLANNING") and a parse function;
// nothing else compares or spells these strings.
// Thread-safety: pure functions.
#pragma once

#include <optional>
#include <string_view>

namespace codecrew::store {

enum class RunStatus { kPending, kRunning, kWaitingApproval, kCompleted, kFailed, kCancelled };
std::string_view runStatusName(RunStatus s);
std::optional<RunStatus> parseRunStatus(std::string_view name);
// completed, failed or cancelled.
bool hasEnded(RunStatus s);

// kPaused: waiting for a decision (an approval); not runnable until then.
enum class JobStatus { kQueued, kRunning, kSucceeded, kFailed, kCancelled, kPaused };
std::string_view jobStatusName(JobStatus s);
std::optional<JobStatus> parseJobStatus(std::string_view name);

enum class AttemptStatus { kRunning, kSucceeded, kFailed };
std::string_view attemptStatusName(AttemptStatus s);
std::optional<AttemptStatus> parseAttemptStatus(std::string_view name);

enum class ApprovalStatus { kPending, kApproved, kRejected, kChangesRequested };
std::string_view approvalStatusName(ApprovalStatus s);
std::optional<ApprovalStatus> parseApprovalStatus(std::string_view name);

// A decision on an approval gate: "approve", "reject", "changes".
enum class Decision { kApprove, kReject, kRequestChanges };
std::string_view decisionName(Decision d);
std::optional<Decision> parseDecision(std::string_view name);
// The status an approval takes with the decision.
ApprovalStatus statusAfter(Decision d);

enum class CallStatus { kSuccess, kFailed, kTruncated, kSkipped };
std::string_view callStatusName(CallStatus s);
std::optional<CallStatus> parseCallStatus(std::string_view name);

// An execution's lifecycle stage ("NEW", "PLANNING", ... "WAITING_APPROVAL").
enum class Stage {
  kNew,
  kPlanning,
  kDesign,
  kBuild,
  kTest,
  kReview,
  kDeploy,
  kMonitor,
  kDone,
  kFailed,
  kCancelled,
  kWaitingApproval,
};
std::string_view stageName(Stage stage);
std::optional<Stage> parseStage(std::string_view name);

}  // namespace codecrew::store
