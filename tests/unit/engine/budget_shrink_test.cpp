// Budget escalation by shrinking the prompt: a step whose next call would
// breach the step budget because of a large tool result goes on with that
// result cut (recorded in the call's truncated_sections) instead of failing.
#include "engine_fixture.h"

namespace codecrew::engine::test {
namespace {

std::string readerCrew(int step_tokens) {
  return std::string(R"(
name: reader
agents:
  reader: {role: developer, model: coder, tools: [read_file], max_iterations: 4, max_output_tokens: 50}
stages:
  - stage: BUILD
    tasks: [{name: read, agent: reader, description: "Summarise big.txt"}]
limits: {stall_turns: 0, on_budget: fail}
budgets: {step: {tokens: )") +
         std::to_string(step_tokens) + "}}\n";
}

class BudgetShrinkTest : public EngineFixture {
 protected:
  // A reader with the given step budget, a ~10k-token file, and a script
  // that reads it, then answers.
  core::Id readerExecution(int step_tokens) {
    crewYaml(readerCrew(step_tokens));
    std::filesystem::create_directories(dir_.path() / "repo");
    std::ofstream(dir_.path() / "repo" / "big.txt") << std::string(40000, 'x') << "\n";
    script_ = [](const std::string&, const std::string&, int index) -> Turn {
      if (index == 0) return {"", {{"read_file", {{"path", "big.txt"}}}}};
      return {"a file of x"};
    };
    return newExecution("reader", "summarise");
  }
};

TEST_F(BudgetShrinkTest, ALargeToolResultIsCutToFitTheStepBudgetInsteadOfFailing) {
  auto exec = readerExecution(2500);
  auto engine = makeEngine();
  auto outcome = run(*engine, exec);
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(*outcome, RunOutcome::kCompleted) << execution(exec).error;
  EXPECT_EQ(provider_->calls.load(), 2);
  // The second request carried the tool result cut down, and its call
  // record says what was cut.
  std::size_t longest = 0;
  for (const auto& m : provider_->last_request.messages) longest = std::max(longest, m.content.size());
  EXPECT_LT(longest, 10000u);
  auto calls = recorder_->calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_TRUE(calls[0].truncated_sections.as_array().empty());
  EXPECT_FALSE(calls[1].truncated_sections.as_array().empty());
}

TEST_F(BudgetShrinkTest, WhenEvenTheShrunkPromptDoesNotFitTheBudgetStillFailsWithItsMath) {
  auto exec = readerExecution(120);
  auto engine = makeEngine();
  auto outcome = run(*engine, exec);
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(*outcome, RunOutcome::kFailed);
  EXPECT_NE(execution(exec).error.find("step budget exceeded"), std::string::npos) << execution(exec).error;
}

}  // namespace
}  // namespace codecrew::engine::test
