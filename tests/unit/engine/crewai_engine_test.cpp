// CrewAI projects run by the engine on a scripted model: the tasks in the
// order written, inputs in every text, context outputs in the prompts, async
// tasks side by side until a task waits for them, the model an agent names,
// task tools, output_file written in the workspace, and the human_input gate
// (changes go back to the agent, approval accepts the answer).
#include "engine/crew_inputs.h"
#include "engine_fixture.h"

namespace codecrew::engine::test {
namespace {

const std::filesystem::path kProjects = std::filesystem::path(__FILE__).parent_path() / "../../data/crewai";

class CrewAiEngineTest : public EngineFixture {
 protected:
  void SetUp() override {
    EngineFixture::SetUp();
    auto catalog = CrewCatalog::withUserDirectory(kProjects.string());
    ASSERT_TRUE(catalog.ok()) << catalog.error().message;
    crews_ = std::make_shared<CrewCatalog>(std::move(catalog).value());
  }

  // A workflow of `crew` with the workflow's and the start's inputs, as the API stores them.
  core::Id newCrewAiExecution(const std::string& crew, const std::string& description, const CrewInputs& workflow,
                              const CrewInputs& start) {
    store::Workflow w;
    w.tenant_id = tenant_;
    w.name = crew;
    w.description = description;
    w.crew = crew;
    w.inputs = crewInputsToJson(workflow);
    workflow_ = store_->createWorkflow(w).value().value.id;
    auto exec = store_->createExecution(tenant_, workflow_, std::nullopt, boost::json::object()).value().value;
    exec.workspace = (dir_.path() / "repo").string();
    exec.inputs = crewInputsToJson(start);
    EXPECT_TRUE(store_->updateExecution(exec).ok());
    return exec.id;
  }

  // The calls of a task, in order.
  std::vector<KeyedProvider::SeenCall> callsOf(const std::string& task) const {
    std::vector<KeyedProvider::SeenCall> out;
    for (const auto& c : provider_->seen)
      if (c.step == "BUILD#0/" + task) out.push_back(c);
    return out;
  }

  // The first call's index of each task, in the order the calls came.
  std::vector<std::string> taskOrder() const {
    std::vector<std::string> out;
    for (const auto& c : provider_->seen) {
      auto task = c.step.substr(c.step.find('/') + 1);
      if (std::find(out.begin(), out.end(), task) == out.end()) out.push_back(task);
    }
    return out;
  }

  static bool mentions(const llm::ChatRequest& r, const std::string& text) {
    for (const auto& m : r.messages)
      if (m.content.find(text) != std::string::npos) return true;
    return false;
  }

  static std::vector<std::string> toolNames(const llm::ChatRequest& r) {
    std::vector<std::string> out;
    for (const auto& t : r.tools) out.push_back(t.name);
    return out;
  }
};

TEST_F(CrewAiEngineTest, TemplateCrewRunsInOrderWithItsInputsAndWritesItsReport) {
  script_ = [](const std::string& agent, const std::string&, int) -> Turn {
    if (agent == "researcher") return {"- agents plan\n- agents use tools"};
    return {"# AI agents in 2026\n\nAgents plan and use tools."};
  };
  auto engine = makeEngine();
  auto exec = newCrewAiExecution("latest_ai_development", "A briefing for the board", {{"topic", "AI agents"}},
                                 {{"current_year", "2026"}});
  auto outcome = run(*engine, exec);
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  ASSERT_EQ(*outcome, RunOutcome::kCompleted) << execution(exec).error;
  EXPECT_EQ(taskOrder(), (std::vector<std::string>{"research_task", "reporting_task"}));
  auto research = callsOf("research_task").at(0).request;
  EXPECT_EQ(research.messages[0].content.rfind("You are AI agents Senior Data Researcher. You're a seasoned", 0), 0u)
      << research.messages[0].content;
  EXPECT_TRUE(mentions(research, "The goal of this work: A briefing for the board"));
  EXPECT_TRUE(mentions(research, "Conduct a thorough research about AI agents"));
  EXPECT_TRUE(mentions(research, "the current year is 2026."));
  EXPECT_FALSE(mentions(research, "{topic}"));
  EXPECT_TRUE(research.tools.empty());  // agents.yaml gives the researcher no tools
  auto report = callsOf("reporting_task").at(0).request;
  EXPECT_TRUE(mentions(report, "## Output of research_task\n- agents plan\n- agents use tools"));
  EXPECT_TRUE(mentions(report, "Your final answer MUST be formatted in Markdown syntax."));
  EXPECT_FALSE(mentions(report, "The goal of this work"));  // the first task's only
  EXPECT_EQ(readRepo("report.md"), "# AI agents in 2026\n\nAgents plan and use tools.");
}

TEST_F(CrewAiEngineTest, AsyncTasksRunSideBySideAndTheWriterReadsBoth) {
  script_ = [](const std::string& agent, const std::string&, int) -> Turn {
    if (agent == "market_researcher") return {"MARKET: banks buy it"};
    if (agent == "tech_researcher") return {"TECH: a rules engine"};
    if (agent == "writer") return {"BRIEF: banks buy a rules engine"};
    return {"CHECKED: no corrections"};
  };
  auto engine = makeEngine();
  provider_->yield_before_answer = true;
  auto exec = newCrewAiExecution("market_brief", "",
                                 {{"company", "Acme"}, {"industry", "fintech"}, {"audience", "investors"}}, {});
  auto outcome = run(*engine, exec);
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  ASSERT_EQ(*outcome, RunOutcome::kCompleted) << execution(exec).error;
  EXPECT_EQ(taskOrder(), (std::vector<std::string>{"market_research", "tech_research", "write_brief", "check_brief"}));
  // The second research call came while the first was in flight; the writer waited for both.
  EXPECT_EQ(callsOf("market_research").at(0).in_flight, 1);
  EXPECT_EQ(callsOf("tech_research").at(0).in_flight, 2);
  auto brief = callsOf("write_brief").at(0);
  EXPECT_EQ(brief.in_flight, 1);
  EXPECT_TRUE(mentions(brief.request, "## Output of market_research\nMARKET: banks buy it"));
  EXPECT_TRUE(mentions(brief.request, "## Output of tech_research\nTECH: a rules engine"));
  EXPECT_TRUE(mentions(brief.request, "Write a brief about Acme for investors"));
  auto check = callsOf("check_brief").at(0).request;
  EXPECT_TRUE(mentions(check, "## Output of write_brief\nBRIEF: banks buy a rules engine"));
  EXPECT_FALSE(mentions(check, "MARKET:"));  // only the output before it, as CrewAI passes it
  EXPECT_TRUE(mentions(check, "Check every figure about Acme against its source"));
}

TEST_F(CrewAiEngineTest, HumanInputGateSendsChangesBackThenWritesTheApprovedFile) {
  script_ = [](const std::string& agent, const std::string&, int index) -> Turn {
    if (agent == "repo_reader") {
      if (index == 0) return {"", {{"list_files", {}}}};
      return {"CHANGES: a --input flag"};
    }
    if (index == 0) return {"NOTES v1"};
    return {"NOTES v2 with the --input flag"};
  };
  auto engine = makeEngine();
  auto exec = newCrewAiExecution("release_notes", "", {}, {{"version", "2.1"}});
  ASSERT_EQ(*run(*engine, exec), RunOutcome::kWaitingApproval) << execution(exec).error;
  auto survey = callsOf("survey_changes");
  ASSERT_EQ(survey.size(), 2u);
  EXPECT_EQ(survey[0].request.model, "careful-model");  // llm: scripted/careful-model
  EXPECT_EQ(toolNames(survey[0].request), (std::vector<std::string>{"list_files", "read_file"}));
  auto notes = callsOf("write_notes");
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(toolNames(notes[0].request), (std::vector<std::string>{"write_file", "read_file"}));  // the task's
  EXPECT_TRUE(mentions(notes[0].request, "## Output of survey_changes\nCHANGES: a --input flag"));
  auto pending = pendingApprovals(exec);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].gate, "human_input:write_notes");
  EXPECT_TRUE(readRepo("docs/releases/notes-2.1.md").empty());  // not before the human has seen it

  ASSERT_TRUE(
      store_->decideApproval(tenant_, pending[0].id, store::Decision::kRequestChanges, "ann", "Mention the flag").ok());
  ASSERT_EQ(*run(*engine, exec), RunOutcome::kWaitingApproval) << execution(exec).error;
  notes = callsOf("write_notes");
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_TRUE(mentions(notes[1].request, "Feedback on your answer: Mention the flag"));
  EXPECT_EQ(callsOf("survey_changes").size(), 2u);  // nothing before the gate runs again
  pending = pendingApprovals(exec);
  ASSERT_EQ(pending.size(), 1u);  // asked again about the revised answer
  ASSERT_TRUE(store_->decideApproval(tenant_, pending[0].id, store::Decision::kApprove, "ann", "").ok());
  ASSERT_EQ(*run(*engine, exec), RunOutcome::kCompleted) << execution(exec).error;
  EXPECT_EQ(provider_->seen.size(), 4u);
  EXPECT_EQ(readRepo("docs/releases/notes-2.1.md"), "NOTES v2 with the --input flag");
}

TEST_F(CrewAiEngineTest, HumanInputRejectedFailsTheExecution) {
  script_ = [](const std::string& agent, const std::string&, int) -> Turn {
    return {agent == "repo_reader" ? "CHANGES" : "NOTES"};
  };
  auto engine = makeEngine();
  auto exec = newCrewAiExecution("release_notes", "", {{"version", "3"}}, {});
  ASSERT_EQ(*run(*engine, exec), RunOutcome::kWaitingApproval);
  auto pending = pendingApprovals(exec);
  ASSERT_EQ(pending.size(), 1u);
  ASSERT_TRUE(store_->decideApproval(tenant_, pending[0].id, store::Decision::kReject, "ann", "wrong").ok());
  ASSERT_EQ(*run(*engine, exec), RunOutcome::kFailed);
  EXPECT_NE(execution(exec).error.find("rejected at human_input:write_notes"), std::string::npos);
}

TEST_F(CrewAiEngineTest, AnExecutionWithoutItsInputsFailsNamingThem) {
  auto engine = makeEngine();
  auto exec = newCrewAiExecution("latest_ai_development", "", {{"topic", "x"}}, {});
  auto outcome = run(*engine, exec);
  std::string message = outcome.ok() ? execution(exec).error : outcome.error().message;
  EXPECT_NE(message.find("{current_year}"), std::string::npos) << message;
  EXPECT_EQ(provider_->calls.load(), 0);
}

}  // namespace
}  // namespace codecrew::engine::test

namespace codecrew::engine::test {
namespace {

class CrewAiDelegationTest : public EngineFixture {};

TEST_F(CrewAiDelegationTest, AnAgentThatMayDelegateAsksACoworker) {
  auto crew = importCrewAi("schema_crew", R"(
lead:
  role: Lead engineer
  goal: Ship the schema
  allow_delegation: true
expert:
  role: Database expert
  goal: Answer database questions
  tools: [FileReadTool]
)",
                           R"(
design:
  description: Decide the schema of the users table.
  expected_output: The schema.
  agent: lead
)");
  ASSERT_TRUE(crew.ok()) << crew.error().message;
  auto catalog = CrewCatalog::builtIn();
  catalog->add(std::move(crew).value());
  crews_ = std::make_shared<CrewCatalog>(std::move(catalog).value());
  script_ = [](const std::string& agent, const std::string&, int index) -> Turn {
    if (agent == "expert") return {"Index the email column."};
    if (index == 0)
      return {
          "",
          {{"ask_question",
            {{"coworker", " database EXPERT "}, {"question", "Which index?"}, {"context", "users log in by email"}}}}};
    return {"users(id, email) with an index on email"};
  };
  auto engine = makeEngine();
  auto exec = newExecution("schema_crew", "");
  ASSERT_EQ(*run(*engine, exec), RunOutcome::kCompleted) << execution(exec).error;
  ASSERT_EQ(provider_->seen.size(), 3u);
  const auto& asked = provider_->seen[0];
  EXPECT_EQ(asked.agent, "lead");
  std::vector<std::string> offered;
  for (const auto& t : asked.request.tools) offered.push_back(t.name);
  EXPECT_EQ(offered, (std::vector<std::string>{"delegate_work", "ask_question"}));
  EXPECT_NE(asked.request.tools[1].description.find("Database expert (expert)"), std::string::npos);
  const auto& answered = provider_->seen[1];
  EXPECT_EQ(answered.agent, "expert");
  EXPECT_EQ(answered.step.rfind("BUILD#0/design/delegated-", 0), 0u) << answered.step;
  EXPECT_EQ(answered.request.messages[1].content.rfind("Which index?\n\nThis is the context you're working with:\n"
                                                       "users log in by email",
                                                       0),
            0u)
      << answered.request.messages[1].content;
  ASSERT_EQ(answered.request.tools.size(), 1u);  // its own read_file, no further delegation
  EXPECT_EQ(answered.request.tools[0].name, "read_file");
  bool told = false;
  for (const auto& m : provider_->seen[2].request.messages)
    told |= m.role == llm::Role::kTool && m.content.find("Index the email column.") != std::string::npos;
  EXPECT_TRUE(told);
}

}  // namespace
}  // namespace codecrew::engine::test
