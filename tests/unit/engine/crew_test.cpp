// Crew YAML: the built-in templates, validation errors, CrewAI import, a
// user directory, and prompt templates.
#include "engine/crew_catalog.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

namespace codecrew::engine {
namespace {

TEST(CrewTest, BuiltInTemplatesParse) {
  auto catalog = CrewCatalog::builtIn();
  ASSERT_TRUE(catalog.ok()) << catalog.error().message;
  EXPECT_EQ(catalog->names(), (std::vector<std::string>{"codegen", "fix", "review", "sdlc", "update"}));
  auto sdlc = catalog->find("sdlc");
  ASSERT_TRUE(sdlc.ok());
  EXPECT_EQ(sdlc->stages.size(), 7u);
  EXPECT_TRUE(sdlc->hasGate("after:PLANNING"));
  EXPECT_EQ(sdlc->agent("developer")->cheaper_model, "coder_cheap");
  EXPECT_EQ(sdlc->stage(Stage::kPlanning)->tasks[1].output, OutputKind::kPlan);
  auto codegen = catalog->find("codegen");
  ASSERT_TRUE(codegen.ok());
  EXPECT_EQ(codegen->lifecycleOptions().stages, (std::vector<Stage>{Stage::kPlanning, Stage::kBuild}));
  auto missing = catalog->find("nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("sdlc"), std::string::npos);
}

TEST(CrewTest, RejectsUnknownAgentsGatesAndStages) {
  const char* base = R"(
name: t
agents: {dev: {role: developer}}
stages:
  - stage: BUILD
    tasks: [{name: b, agent: %s}]
gates: [%s]
)";
  auto make = [&](const char* agent, const char* gate) {
    char buf[512];
    std::snprintf(buf, sizeof buf, base, agent, gate);
    return parseCrewYaml(buf);
  };
  EXPECT_TRUE(make("dev", "after:BUILD").ok());
  auto unknown = make("ghost", "after:BUILD");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("ghost"), std::string::npos);
  EXPECT_FALSE(make("dev", "after:TEST").ok());
  EXPECT_FALSE(make("dev", "sometime:BUILD").ok());
  EXPECT_FALSE(parseCrewYaml("name: t\nstages: [{stage: DONE, tasks: []}]").ok());
  EXPECT_FALSE(parseCrewYaml("name: [unclosed").ok());
}

TEST(CrewTest, ReadsLimitsBudgetsAndAgentFields) {
  auto crew = parseCrewYaml(R"(
name: t
agents:
  dev: {role: developer, model: coder, tools: [write_file], max_iterations: 3, context_window: 9000}
stages: [{stage: BUILD, tasks: [{name: b, agent: dev, output: review, artifact: review}]}]
budgets: {step: {tokens: 10}, agent: {tokens: 20, cost: 0.5}, execution: {tokens: 30, cost: 1}}
limits: {max_parallel: 3, stall_turns: 2, on_loop: fail, on_budget: approval, test_command: "make test"}
)");
  ASSERT_TRUE(crew.ok()) << crew.error().message;
  EXPECT_EQ(crew->agent("dev")->max_iterations, 3);
  EXPECT_EQ(crew->agent("dev")->tools, std::vector<std::string>{"write_file"});
  EXPECT_EQ(crew->budgets.agent.cost, 0.5);
  EXPECT_EQ(crew->budgets.execution.tokens, 30);
  EXPECT_EQ(crew->limits.on_loop, Escalation::kFail);
  EXPECT_EQ(crew->limits.on_budget, Escalation::kApproval);
  EXPECT_EQ(crew->limits.test_command, "make test");
  EXPECT_FALSE(parseCrewYaml("name: t\nagents: {d: {}}\nstages: [{stage: BUILD, tasks: [{name: b, agent: d}]}]\n"
                             "limits: {on_loop: maybe}")
                   .ok());
}

TEST(CrewTest, ImportsCrewAiAgentsAndTasks) {
  auto crew = importCrewAi("blog", R"(
researcher:
  role: Senior requirements analyst
  goal: Find what users need
  backstory: Ten years of interviews
coder:
  role: Python developer
  goal: Write it
reviewer:
  role: Code reviewer
  goal: Check it
)",
                           R"(
research_task:
  description: Research the topic
  expected_output: A list of needs
  agent: researcher
code_task:
  description: Implement the needs
  expected_output: Code
  agent: coder
  context: [research_task]
review_task:
  description: Review the code
  expected_output: Verdict
  agent: reviewer
)");
  ASSERT_TRUE(crew.ok()) << crew.error().message;
  // As written (CrewAI's sequential process), not sorted by a stage guessed from the roles.
  ASSERT_EQ(crew->stages.size(), 1u);
  ASSERT_EQ(crew->stages[0].tasks.size(), 3u);
  EXPECT_EQ(crew->stages[0].tasks[0].name, "research_task");
  EXPECT_EQ(crew->stages[0].tasks[1].context, std::vector<std::string>{"research_task"});
  EXPECT_EQ(crew->stages[0].tasks[2].name, "review_task");
  EXPECT_NE(crew->agent("researcher")->system_prompt.find("Ten years"), std::string::npos);
  EXPECT_FALSE(importCrewAi("x", "a: {role: r}", "t: {description: d, agent: nobody}").ok());
}

TEST(CrewTest, UserDirectoryAddsAndOverridesCrews) {
  testing::TempDir dir;
  dir.write("mine.yaml",
            "name: mine\nagents: {d: {role: developer}}\nstages: [{stage: BUILD, tasks: [{name: b, agent: d}]}]\n");
  dir.write("sdlc.yml",
            "name: sdlc\nagents: {d: {role: developer}}\nstages: [{stage: BUILD, tasks: [{name: b, agent: d}]}]\n");
  dir.write("imported/agents.yaml", "dev: {role: developer, goal: g}\n");
  dir.write("imported/tasks.yaml", "t: {description: d, agent: dev}\n");
  auto catalog = CrewCatalog::withUserDirectory(dir.str());
  ASSERT_TRUE(catalog.ok()) << catalog.error().message;
  EXPECT_TRUE(catalog->find("mine").ok());
  EXPECT_TRUE(catalog->find("imported").ok());
  EXPECT_EQ(catalog->find("sdlc")->stages.size(), 1u);
  dir.write("broken.yaml", "name: broken\nstages: 3\n");
  auto bad = CrewCatalog::withUserDirectory(dir.str());
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("broken.yaml"), std::string::npos);
}

TEST(CrewTest, RendersTemplates) {
  EXPECT_EQ(renderTemplate("Goal: {{ goal }} by {{role}} {{unknown}}", {{"goal", "ship"}, {"role", "dev"}}),
            "Goal: ship by dev {{unknown}}");
  EXPECT_EQ(renderTemplate("open {{ never closed", {}), "open {{ never closed");
}

}  // namespace
}  // namespace codecrew::engine
