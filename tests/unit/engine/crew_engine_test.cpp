// The crew engine end to end on a scripted model: a full run with its
// records, guardrail retries, loop and stall detection, budgets, approval
// gates (approve, reject, request changes), cancel, TEST→BUILD loop-backs,
// and exact resume after simulated crashes.
#include "engine/execution_records.h"
#include "engine_fixture.h"

#include "tools/git/git_repository.h"

#include <set>

namespace codecrew::engine::test {
namespace {

class CrewEngineTest : public EngineFixture {};

TEST_F(CrewEngineTest, RunsEveryStageAndRecordsEverything) {
  auto engine = makeEngine();
  auto exec = newExecution();
  auto outcome = run(*engine, exec);
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  ASSERT_EQ(*outcome, RunOutcome::kCompleted) << execution(exec).error;
  auto e = execution(exec);
  EXPECT_EQ(e.status, store::RunStatus::kCompleted);
  EXPECT_EQ(e.stage, store::Stage::kDone);
  EXPECT_EQ(readRepo("alpha.txt"), "content of alpha\n");
  EXPECT_EQ(readRepo("beta.txt"), "content of beta\n");
  // planner 1 + dev 2x2 + tester 2 + reviewer 1
  EXPECT_EQ(provider_->calls.load(), 8);
  EXPECT_EQ(recorder_->calls().size(), 8u);
  auto artifacts = store_->listArtifacts(tenant_, workflow_, exec, std::nullopt, {1, 50}).value();
  EXPECT_EQ(artifacts.total, 3);  // plan, test_report, review
  auto diffs = store_->listDiffs(tenant_, workflow_, exec, std::nullopt, {1, 50}).value();
  EXPECT_EQ(diffs.total, 2);
  EXPECT_EQ(store_->listCodeFiles(tenant_, workflow_, exec).value().size(), 2u);
  auto convs = store_->listConversations(tenant_, workflow_).value();
  EXPECT_EQ(convs.size(), 5u);
  auto events = store_->listEvents(tenant_, workflow_, 0, 1000).value();
  int tool_events = 0;
  for (const auto& ev : events) tool_events += ev.type == "agent.tool_call";
  EXPECT_EQ(tool_events, 3);
  auto repo = tools::GitRepository::open((dir_.path() / "repo").string());
  ASSERT_TRUE(repo.ok());
  EXPECT_EQ(repo->currentBranch().value(), "codecrew/execution-" + std::to_string(exec));
  EXPECT_EQ(sandbox_->commands().size(), 1u);
  // A finished execution runs no more.
  ASSERT_EQ(*run(*engine, exec), RunOutcome::kCompleted);
  EXPECT_EQ(provider_->calls.load(), 8);
}

TEST_F(CrewEngineTest, ToolResultsComeOnlyFromTheProgramsOwnCalls) {
  auto engine = makeEngine();
  auto exec = newExecution();
  ASSERT_EQ(*run(*engine, exec), RunOutcome::kCompleted);
  // The last request of the run (the reviewer) is fresh; check a developer conversation instead.
  auto convs = store_->listConversations(tenant_, workflow_).value();
  for (const auto& c : convs) {
    auto msgs = store_->listMessages(tenant_, c.id).value();
    for (std::size_t i = 0; i < msgs.size(); ++i) {
      if (msgs[i].role != "tool") continue;
      ASSERT_GT(i, 0u);
      auto issued = msgs[i - 1].message_metadata.as_object().at("tool_calls").as_array();
      EXPECT_EQ(issued[0].as_object().at("id"), msgs[i].message_metadata.as_object().at("tool_call_id"));
    }
  }
}

TEST_F(CrewEngineTest, GuardrailViolationGoesBackToTheAgent) {
  script_ = [](const std::string& agent, const std::string& step, int index) -> Turn {
    if (agent == "planner" && index == 0) return {"Here is my plan: write some files"};
    return defaultTurn(agent, step, index);
  };
  auto engine = makeEngine();
  auto exec = newExecution();
  ASSERT_EQ(*run(*engine, exec), RunOutcome::kCompleted) << execution(exec).error;
  EXPECT_EQ(provider_->calls.load(), 9);
  auto convs = store_->listConversations(tenant_, workflow_).value();
  auto msgs = store_->listMessages(tenant_, convs[0].id).value();
  bool fed_back = false;
  for (const auto& m : msgs) fed_back |= m.role == "user" && m.content.find("rejected") != std::string::npos;
  EXPECT_TRUE(fed_back);
}

TEST_F(CrewEngineTest, GuardrailFailsAfterBoundedRetries) {
  script_ = [](const std::string& agent, const std::string& step, int index) -> Turn {
    if (agent == "planner") return {R"({"tasks": "not a list"})"};
    return defaultTurn(agent, step, index);
  };
  auto engine = makeEngine();
  auto exec = newExecution();
  ASSERT_EQ(*run(*engine, exec), RunOutcome::kFailed);
  EXPECT_EQ(provider_->calls.load(), 2);  // first answer + 1 retry
  EXPECT_NE(execution(exec).error.find("plan was still invalid"), std::string::npos);
}

TEST_F(CrewEngineTest, DetectedLoopEscalatesToApprovalThenContinues) {
  script_ = [](const std::string& agent, const std::string& step, int index) -> Turn {
    if (agent == "dev" && step.ends_with("/alpha") && index < 2)
      return {"", {{"read_file", {{"path", "missing.txt"}}}}};
    if (agent == "dev" && step.ends_with("/alpha")) return defaultTurn(agent, step, index - 2);
    return defaultTurn(agent, step, index);
  };
  auto engine = makeEngine();
  auto exec = newExecution();
  ASSERT_EQ(*run(*engine, exec), RunOutcome::kWaitingApproval);
  EXPECT_EQ(execution(exec).status, store::RunStatus::kWaitingApproval);
  auto pending = pendingApprovals(exec);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].gate, "escalation:loop");
  ASSERT_TRUE(store_->decideApproval(tenant_, pending[0].id, store::Decision::kApprove, "ann", "").ok());
  ASSERT_EQ(*run(*engine, exec), RunOutcome::kCompleted) << execution(exec).error;
  EXPECT_EQ(readRepo("alpha.txt"), "content of alpha\n");
}

TEST_F(CrewEngineTest, LoopWithFailPolicyFailsClearly) {
  crewYaml(std::string(kTestCrew) + "\n");
  auto crew = parseCrewYaml(
      std::string(kTestCrew).replace(std::string(kTestCrew).find("on_loop: approval"), 17, "on_loop: fail"));
  ASSERT_TRUE(crew.ok());
  auto catalog = CrewCatalog::builtIn().value();
  catalog.add(std::move(crew).value());
  crews_ = std::make_shared<CrewCatalog>(catalog);
  script_ = [](const std::string& agent, const std::string& step, int index) -> Turn {
    if (agent == "dev") return {"", {{"list_files", boost::json::object{}}}};
    return defaultTurn(agent, step, index);
  };
  auto engine = makeEngine();
  auto exec = newExecution();
  ASSERT_EQ(*run(*engine, exec), RunOutcome::kFailed);
  EXPECT_NE(execution(exec).error.find("repeated list_files"), std::string::npos) << execution(exec).error;
}

TEST_F(CrewEngineTest, StallIsDetectedWhenNothingChanges) {
  script_ = [](const std::string& agent, const std::string& step, int index) -> Turn {
    if (agent == "dev") return {"", {{"read_file", {{"path", "f" + std::to_string(index)}}}}};
    return defaultTurn(agent, step, index);
  };
  auto engine = makeEngine();
  auto exec = newExecution();
  ASSERT_EQ(*run(*engine, exec), RunOutcome::kWaitingApproval);
  auto pending = pendingApprovals(exec);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].gate, "escalation:stall");
  ASSERT_TRUE(store_->decideApproval(tenant_, pending[0].id, store::Decision::kReject, "ann", "stop it").ok());
  ASSERT_EQ(*run(*engine, exec), RunOutcome::kFailed);
  EXPECT_NE(execution(exec).error.find("stop it"), std::string::npos);
}

TEST_F(CrewEngineTest, BudgetOverrunFailsWithTokenMathAndResumeCommand) {
  auto yaml = std::string(kTestCrew) + "budgets: {execution: {tokens: 250}}\n";
  crewYaml(yaml);
  auto engine = makeEngine();
  auto exec = newExecution();
  ASSERT_EQ(*run(*engine, exec), RunOutcome::kFailed);
  auto e = execution(exec);
  EXPECT_NE(e.error.find("execution budget exceeded"), std::string::npos) << e.error;
  EXPECT_NE(e.error.find("tokens spent"), std::string::npos);
  EXPECT_NE(e.error.find("/resume"), std::string::npos);
  int before = provider_->calls.load();
  EXPECT_LE(before, 2);
  // Resuming raises the budget and continues without repeating paid calls.
  ASSERT_TRUE(engine->prepareResume(tenant_, exec).ok());
  auto again = run(*engine, exec);
  ASSERT_TRUE(again.ok());
  EXPECT_GT(provider_->calls.load(), before);
}

TEST_F(CrewEngineTest, GateAfterPlanningPausesThenApproves) {
  crewYaml(std::string(kTestCrew) + "gates: [after:PLANNING]\n");
  auto engine = makeEngine();
  auto exec = newExecution();
  ASSERT_EQ(*run(*engine, exec), RunOutcome::kWaitingApproval);
  EXPECT_EQ(execution(exec).stage, store::Stage::kWaitingApproval);
  EXPECT_EQ(provider_->calls.load(), 1);
  ASSERT_EQ(*run(*engine, exec), RunOutcome::kWaitingApproval);  // still pending: no calls
  EXPECT_EQ(provider_->calls.load(), 1);
  auto pending = pendingApprovals(exec);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].gate, "after:PLANNING");
  ASSERT_TRUE(store_->decideApproval(tenant_, pending[0].id, store::Decision::kApprove, "ann", "ok").ok());
  ASSERT_EQ(*run(*engine, exec), RunOutcome::kCompleted) << execution(exec).error;
  EXPECT_EQ(provider_->calls.load(), 8);
}

TEST_F(CrewEngineTest, GateRejectFailsTheExecution) {
  crewYaml(std::string(kTestCrew) + "gates: [before:BUILD]\n");
  auto engine = makeEngine();
  auto exec = newExecution();
  ASSERT_EQ(*run(*engine, exec), RunOutcome::kWaitingApproval);
  auto pending = pendingApprovals(exec);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].gate, "before:BUILD");
  ASSERT_TRUE(store_->decideApproval(tenant_, pending[0].id, store::Decision::kReject, "ann", "no").ok());
  ASSERT_EQ(*run(*engine, exec), RunOutcome::kFailed);
  EXPECT_EQ(execution(exec).status, store::RunStatus::kFailed);
  EXPECT_EQ(execution(exec).stage, store::Stage::kFailed);
}

TEST_F(CrewEngineTest, GateChangesLoopBackWithTheCommentInContext) {
  crewYaml(std::string(kTestCrew) + "gates: [after:PLANNING]\n");
  auto engine = makeEngine();
  auto exec = newExecution();
  ASSERT_EQ(*run(*engine, exec), RunOutcome::kWaitingApproval);
  auto pending = pendingApprovals(exec);
  ASSERT_TRUE(
      store_->decideApproval(tenant_, pending[0].id, store::Decision::kRequestChanges, "ann", "also add a README")
          .ok());
  ASSERT_EQ(*run(*engine, exec), RunOutcome::kWaitingApproval);  // planning again, then the gate again
  EXPECT_EQ(provider_->calls.load(), 2);
  bool saw_comment = false;
  for (const auto& m : provider_->last_request.messages)
    saw_comment |= m.content.find("also add a README") != std::string::npos;
  EXPECT_TRUE(saw_comment);
  pending = pendingApprovals(exec);
  ASSERT_EQ(pending.size(), 1u);
  ASSERT_TRUE(store_->decideApproval(tenant_, pending[0].id, store::Decision::kApprove, "ann", "").ok());
  ASSERT_EQ(*run(*engine, exec), RunOutcome::kCompleted) << execution(exec).error;
}

TEST_F(CrewEngineTest, FailingTestsLoopBackToBuildBounded) {
  script_ = [](const std::string& agent, const std::string& step, int index) -> Turn {
    if (agent == "tester" && index == 1) return {R"({"passed": false, "summary": "1 failed", "failures": ["t1"]})"};
    return defaultTurn(agent, step, index);
  };
  auto engine = makeEngine();
  auto exec = newExecution();
  ASSERT_EQ(*run(*engine, exec), RunOutcome::kFailed);
  auto e = execution(exec);
  EXPECT_NE(e.error.find("loop-back limit"), std::string::npos) << e.error;
  // plan 1 + (build 4 + test 2) x 2 visits
  EXPECT_EQ(provider_->calls.load(), 13);
}

TEST_F(CrewEngineTest, CancelBeforeAndDuringARun) {
  auto engine = makeEngine();
  auto exec = newExecution();
  // What ExecutionService::cancel does: stop a run in flight, then record it.
  auto cancel = [&](CrewEngine& e, core::Id id) {
    e.requestStop(id);
    return markCancelled(*store_, *clock_, tenant_, id);
  };
  ASSERT_TRUE(cancel(*engine, exec).ok());
  EXPECT_EQ(execution(exec).status, store::RunStatus::kCancelled);
  ASSERT_EQ(*run(*engine, exec), RunOutcome::kCancelled);
  EXPECT_EQ(provider_->calls.load(), 0);
  EXPECT_EQ(cancel(*engine, exec).error().code, core::ErrorCode::kConflict);

  auto exec2 = newExecution();
  std::shared_ptr<CrewEngine> live;
  script_ = [&](const std::string& agent, const std::string& step, int index) -> Turn {
    if (agent == "dev") (void)cancel(*live, exec2);
    return defaultTurn(agent, step, index);
  };
  live = makeEngine();
  ASSERT_EQ(*run(*live, exec2), RunOutcome::kCancelled);
  EXPECT_EQ(execution(exec2).status, store::RunStatus::kCancelled);
  EXPECT_EQ(provider_->calls.load(), 2);
}

// Crashes at the n-th occurrence of a point, then restarts with a fresh engine
// until the execution ends; the final tree and the paid calls match a clean run.
struct CrashCase {
  const char* point;
  int nth;
};

class CrewEngineResumeTest : public EngineFixture, public ::testing::WithParamInterface<CrashCase> {};

TEST_P(CrewEngineResumeTest, ResumesExactlyAfterACrash) {
  auto [point, nth] = GetParam();
  int seen = 0;
  auto crashing = makeEngine([&, p = std::string(point)](const std::string& at) { return at == p && ++seen == nth; });
  auto exec = newExecution();
  auto first = run(*crashing, exec);
  ASSERT_FALSE(first.ok()) << "the crash point was never reached";
  int paid = provider_->calls.load();
  auto restarted = makeEngine();
  auto second = run(*restarted, exec);
  ASSERT_TRUE(second.ok()) << second.error().message;
  ASSERT_EQ(*second, RunOutcome::kCompleted) << execution(exec).error;
  EXPECT_EQ(paid + provider_->calls.load(), 8);
  EXPECT_EQ(readRepo("alpha.txt"), "content of alpha\n");
  EXPECT_EQ(readRepo("beta.txt"), "content of beta\n");
  EXPECT_EQ(store_->listArtifacts(tenant_, workflow_, exec, std::nullopt, {1, 50}).value().total, 3);
  EXPECT_EQ(store_->listDiffs(tenant_, workflow_, exec, std::nullopt, {1, 50}).value().total, 2);
  // One conversation a step: a run that stopped before its checkpoint named
  // the step's conversation found it again instead of starting another.
  std::set<std::string> steps;
  for (const auto& c : store_->listConversations(tenant_, workflow_).value())
    EXPECT_TRUE(steps.insert(c.step).second) << "two conversations for " << c.step;
}

// A completed task's agent runs keep their outcome in the checkpoint, not
// their conversation (the store has the messages).
TEST_F(CrewEngineTest, ACompletedTasksConversationLeavesTheCheckpoint) {
  auto engine = makeEngine();
  auto exec = newExecution();
  auto done = run(*engine, exec);
  ASSERT_TRUE(done.ok()) << done.error().message;
  ASSERT_EQ(*done, RunOutcome::kCompleted);
  const auto e = execution(exec);
  const auto& agents = e.checkpoint.as_object().at("agents").as_object();
  ASSERT_FALSE(agents.empty());
  for (const auto& [step, state] : agents) {
    EXPECT_TRUE(state.at("finished").as_bool()) << step;
    EXPECT_TRUE(state.at("conversation").at("messages").as_array().empty()) << step;
    EXPECT_FALSE(state.at("output").as_string().empty()) << step;
  }
  EXPECT_FALSE(store_->listConversations(tenant_, workflow_).value().empty());
}

INSTANTIATE_TEST_SUITE_P(CrashPoints, CrewEngineResumeTest,
                         ::testing::Values(CrashCase{"after_llm_call", 1}, CrashCase{"after_llm_call", 3},
                                           CrashCase{"after_tools", 1}, CrashCase{"after_tools", 2},
                                           CrashCase{"after_stage", 1}, CrashCase{"after_stage", 2},
                                           CrashCase{"after_llm_call", 7}));

}  // namespace
}  // namespace codecrew::engine::test
