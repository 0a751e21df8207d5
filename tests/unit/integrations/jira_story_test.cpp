// The workflow made of a story: its name and goal.
#include "integrations/jira/jira_story.h"

#include <gtest/gtest.h>

namespace codecrew::integrations::jira {
namespace {

TEST(JiraStoryTest, NameIsKeyAndSummary) {
  EXPECT_EQ(workflowName({"PAY-12", "Pay with a saved card", "", ""}), "PAY-12: Pay with a saved card");
  EXPECT_EQ(workflowName({"PAY-12", "", "", ""}), "PAY-12");
}

TEST(JiraStoryTest, LongNamesAreCutOnACharacterBoundary) {
  std::string summary;
  for (int i = 0; i < 100; ++i) summary += "é";  // two bytes each
  auto name = workflowName({"K-1", summary, "", ""});
  EXPECT_LE(name.size(), 200u);
  EXPECT_EQ(name.size(), 199u);  // "K-1: " is 5 bytes; 97 whole é
  EXPECT_NE(static_cast<unsigned char>(name.back()), 0xC3);
}

TEST(JiraStoryTest, GoalIsTheDescriptionThenTheCriteria) {
  EXPECT_EQ(workflowGoal({"K-1", "s", "Do it.", "- fast\n- right"}),
            "Do it.\n\n## Acceptance criteria\n\n- fast\n- right");
  EXPECT_EQ(workflowGoal({"K-1", "s", "Do it.", ""}), "Do it.");
  EXPECT_EQ(workflowGoal({"K-1", "s", "", "- fast"}), "## Acceptance criteria\n\n- fast");
  EXPECT_EQ(workflowGoal({"K-1", "s", std::string(200'000, 'x'), "c"}).size(), 100'000u);
}

}  // namespace
}  // namespace codecrew::integrations::jira
