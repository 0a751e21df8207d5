// The closed vocabularies: every value's name parses back to it, the names
// are the ones stored, rendered and sent in events, and anything else is
// refused.
#include "store/statuses.h"

#include <gtest/gtest.h>

#include <string>

namespace codecrew::store {
namespace {

template <typename E, typename Name, typename Parse>
void roundTrips(std::initializer_list<E> values, Name name, Parse parse) {
  for (E v : values) {
    auto n = name(v);
    EXPECT_NE(n, "unknown");
    EXPECT_EQ(parse(n), std::optional<E>(v)) << n;
  }
  EXPECT_FALSE(parse("").has_value());
  EXPECT_FALSE(parse("Pending").has_value()) << "names are exact";
}

TEST(StatusesTest, EveryNameParsesBackAndNothingElseDoes) {
  roundTrips({RunStatus::kPending, RunStatus::kRunning, RunStatus::kWaitingApproval, RunStatus::kCompleted,
              RunStatus::kFailed, RunStatus::kCancelled},
             runStatusName, parseRunStatus);
  roundTrips({JobStatus::kQueued, JobStatus::kRunning, JobStatus::kSucceeded, JobStatus::kFailed,
              JobStatus::kCancelled},
             jobStatusName, parseJobStatus);
  roundTrips({AttemptStatus::kRunning, AttemptStatus::kSucceeded, AttemptStatus::kFailed}, attemptStatusName,
             parseAttemptStatus);
  roundTrips({ApprovalStatus::kPending, ApprovalStatus::kApproved, ApprovalStatus::kRejected,
              ApprovalStatus::kChangesRequested},
             approvalStatusName, parseApprovalStatus);
  roundTrips({Decision::kApprove, Decision::kReject, Decision::kRequestChanges}, decisionName, parseDecision);
  roundTrips({CallStatus::kSuccess, CallStatus::kFailed, CallStatus::kTruncated, CallStatus::kSkipped}, callStatusName,
             parseCallStatus);
  roundTrips({Stage::kNew, Stage::kPlanning, Stage::kDesign, Stage::kBuild, Stage::kTest, Stage::kReview,
              Stage::kDeploy, Stage::kMonitor, Stage::kDone, Stage::kFailed, Stage::kCancelled,
              Stage::kWaitingApproval},
             stageName, parseStage);
}

TEST(StatusesTest, TheNamesAreTheWireNames) {
  EXPECT_EQ(runStatusName(RunStatus::kWaitingApproval), "waiting_approval");
  EXPECT_EQ(approvalStatusName(ApprovalStatus::kChangesRequested), "changes_requested");
  EXPECT_EQ(decisionName(Decision::kRequestChanges), "changes");
  EXPECT_EQ(stageName(Stage::kWaitingApproval), "WAITING_APPROVAL");
  EXPECT_EQ(statusAfter(Decision::kRequestChanges), ApprovalStatus::kChangesRequested);
  EXPECT_TRUE(hasEnded(RunStatus::kCancelled));
  EXPECT_FALSE(hasEnded(RunStatus::kWaitingApproval));
}

}  // namespace
}  // namespace codecrew::store
