// The lifecycle state machine: the full path, skipped stages, bounded
// loop-backs, pauses, ends, refused transitions and the checkpoint form.
#include "engine/lifecycle.h"

#include <gtest/gtest.h>

namespace codecrew::engine {
namespace {

Lifecycle full(int test_loops = 2, int review_loops = 1) {
  auto l = Lifecycle::create({allWorkStages(), test_loops, review_loops});
  EXPECT_TRUE(l.ok());
  return std::move(l).value();
}

TEST(LifecycleTest, WalksEveryStageInOrder) {
  Lifecycle l = full();
  std::vector<std::string> seen;
  while (l.current() != Stage::kDone) {
    ASSERT_TRUE(l.advance().ok());
    seen.emplace_back(stageName(l.current()));
  }
  EXPECT_EQ(seen,
            (std::vector<std::string>{"PLANNING", "DESIGN", "BUILD", "TEST", "REVIEW", "DEPLOY", "MONITOR", "DONE"}));
  EXPECT_FALSE(l.advance().ok());
}

TEST(LifecycleTest, CrewSkipsStages) {
  auto l = Lifecycle::create({{Stage::kBuild, Stage::kPlanning}});
  ASSERT_TRUE(l.ok());
  ASSERT_TRUE(l->advance().ok());
  EXPECT_EQ(l->current(), Stage::kPlanning);
  auto design = l->transition(Stage::kDesign);
  ASSERT_FALSE(design.ok());
  EXPECT_NE(design.error().message.find("skips"), std::string::npos);
  EXPECT_EQ(l->current(), Stage::kPlanning);
  ASSERT_TRUE(l->advance().ok());
  EXPECT_EQ(l->current(), Stage::kBuild);
  ASSERT_TRUE(l->advance().ok());
  EXPECT_EQ(l->current(), Stage::kDone);
}

TEST(LifecycleTest, InvalidTransitionsAreRefusedAndStateKept) {
  Lifecycle l = full();
  ASSERT_TRUE(l.advance().ok());  // PLANNING
  auto jump = l.transition(Stage::kDeploy);
  ASSERT_FALSE(jump.ok());
  EXPECT_EQ(jump.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_EQ(l.current(), Stage::kPlanning);
  EXPECT_FALSE(l.transition(Stage::kNew).ok());
  EXPECT_FALSE(l.transition(Stage::kPlanning).ok());
}

TEST(LifecycleTest, TestToBuildLoopIsBounded) {
  Lifecycle l = full(2, 1);
  for (Stage s : {Stage::kPlanning, Stage::kDesign, Stage::kBuild, Stage::kTest}) ASSERT_TRUE(l.transition(s).ok());
  ASSERT_TRUE(l.transition(Stage::kBuild).ok());
  ASSERT_TRUE(l.transition(Stage::kTest).ok());
  ASSERT_TRUE(l.transition(Stage::kBuild).ok());
  ASSERT_TRUE(l.transition(Stage::kTest).ok());
  auto third = l.transition(Stage::kBuild);
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error().code, core::ErrorCode::kResourceExhausted);
  EXPECT_EQ(l.testLoops(), 2);
  ASSERT_TRUE(l.transition(Stage::kReview).ok());
  ASSERT_TRUE(l.transition(Stage::kBuild).ok());
  EXPECT_EQ(l.reviewLoops(), 1);
  EXPECT_FALSE(l.transition(Stage::kReview).ok());  // BUILD goes to TEST, not REVIEW
}

TEST(LifecycleTest, PauseReturnsToPausedStageOrOnward) {
  Lifecycle l = full();
  ASSERT_TRUE(l.advance().ok());
  ASSERT_TRUE(l.transition(Stage::kWaitingApproval).ok());
  EXPECT_EQ(l.pausedAt(), Stage::kPlanning);
  EXPECT_FALSE(l.advance().ok());
  EXPECT_FALSE(l.transition(Stage::kWaitingApproval).ok());
  EXPECT_FALSE(l.transition(Stage::kTest).ok());
  ASSERT_TRUE(l.transition(Stage::kDesign).ok());
  EXPECT_EQ(l.current(), Stage::kDesign);
}

TEST(LifecycleTest, CancelFromAnyLiveStateAndEndsAreFinal) {
  Lifecycle l = full();
  ASSERT_TRUE(l.advance().ok());
  ASSERT_TRUE(l.transition(Stage::kWaitingApproval).ok());
  ASSERT_TRUE(l.transition(Stage::kCancelled).ok());
  EXPECT_TRUE(isTerminal(l.current()));
  EXPECT_FALSE(l.transition(Stage::kPlanning).ok());
  EXPECT_FALSE(l.transition(Stage::kFailed).ok());
}

TEST(LifecycleTest, RoundTripsThroughJson) {
  Lifecycle l = full();
  for (Stage s : {Stage::kPlanning, Stage::kDesign, Stage::kBuild, Stage::kTest, Stage::kBuild})
    ASSERT_TRUE(l.transition(s).ok());
  ASSERT_TRUE(l.transition(Stage::kWaitingApproval).ok());
  auto back = Lifecycle::fromJson({allWorkStages(), 2, 1}, l.toJson());
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->current(), Stage::kWaitingApproval);
  EXPECT_EQ(back->pausedAt(), Stage::kBuild);
  EXPECT_EQ(back->testLoops(), 1);
  EXPECT_FALSE(Lifecycle::fromJson({allWorkStages()}, boost::json::object{{"current", "NOPE"}}).ok());
}

TEST(LifecycleTest, RejectsBadOptions) {
  EXPECT_FALSE(Lifecycle::create({{}}).ok());
  EXPECT_FALSE(Lifecycle::create({{Stage::kDone}}).ok());
}

}  // namespace
}  // namespace codecrew::engine
