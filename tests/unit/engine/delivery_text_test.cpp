// The branch an execution delivers to (the same for every run of a
// workflow) and the pull request's title and body.
#include "engine/delivery.h"
#include "engine/pull_request_text.h"

#include <gtest/gtest.h>

namespace codecrew::engine {
namespace {

TEST(DeliveryBranch, NamedByStoryKeyOrWorkflowAndStable) {
  EXPECT_EQ(deliveryBranch(7, "", "Add a /health route!"), "codecrew/wf7-add-a-health-route");
  EXPECT_EQ(deliveryBranch(7, "SHOP-12", "SHOP-12: Pay by card"), "codecrew/shop-12-pay-by-card");
  EXPECT_EQ(deliveryBranch(7, "SHOP-12", "SHOP-12: Pay by card"), deliveryBranch(7, "SHOP-12", "SHOP-12: Pay by card"));
  EXPECT_EQ(deliveryBranch(3, "", ""), "codecrew/wf3");
  auto longName = deliveryBranch(3, "", std::string(200, 'a'));
  EXPECT_LE(longName.size(), std::string("codecrew/wf3-").size() + 40);
  EXPECT_EQ(deliveryBranch(3, "", "../../etc passwd"), "codecrew/wf3-etc-passwd") << "only safe characters";
}

TEST(PullRequestText, BodySummarisesGoalPlanTestsReviewCostAndLink) {
  PullRequestFacts f;
  f.goal = "Add a health route";
  Plan plan;
  plan.summary = "One route and its test.";
  plan.tasks.push_back({"t1", "Route", "", {}, {}});
  f.plan = plan;
  f.outputs["test"] = R"({"passed": 12, "failed": 0, "summary": "all green"})";
  f.outputs["review"] = R"({"verdict": "approve", "summary": "small and clear"})";
  f.tokens = 1234;
  f.cost = 0.0321;
  f.execution_link = "https://cc.example/workflows/1/executions/2";
  auto body = pullRequestBody(f);
  for (const char* part :
       {"## Goal\nAdd a health route", "**t1** Route", "- passed: 12", "- failed: 0", "- verdict: approve",
        "1234 tokens, $0.0321", "(https://cc.example/workflows/1/executions/2)"})
    EXPECT_NE(body.find(part), std::string::npos) << part << "\n" << body;
  EXPECT_EQ(pullRequestTitle("Pay by card", "SHOP-12"), "SHOP-12: Pay by card");
  EXPECT_EQ(pullRequestTitle("SHOP-12: Pay by card", "SHOP-12"), "SHOP-12: Pay by card");
}

TEST(PullRequestText, PlainTextOutputsAreKeptClipped) {
  PullRequestFacts f;
  f.goal = "g";
  f.outputs["review"] = std::string(5000, 'r');
  auto body = pullRequestBody(f);
  EXPECT_NE(body.find("## Review\nrrr"), std::string::npos);
  EXPECT_LT(body.size(), 2500u);
  EXPECT_EQ(body.find("execution in codecrew"), std::string::npos) << "no link without a public_url";
}

}  // namespace
}  // namespace codecrew::engine
