// CrewAI import: the three projects of tests/data/crewai load in the order
// written with CrewAI's context and async rules, every option is carried
// over or named, and {name} placeholders are filled from inputs (or named
// when unfilled).
#include "engine/crewai_import.h"
#include "engine/crew_catalog.h"
#include "engine/crew_inputs.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>

#include <filesystem>

namespace codecrew::engine {
namespace {

const std::filesystem::path kProjects = std::filesystem::path(__FILE__).parent_path() / "../../data/crewai";

CrewSpec project(const std::string& name) {
  auto catalog = CrewCatalog::withUserDirectory(kProjects.string());
  EXPECT_TRUE(catalog.ok()) << catalog.error().message;
  auto crew = catalog->find(name);
  EXPECT_TRUE(crew.ok()) << crew.error().message;
  return crew.ok() ? *crew : CrewSpec{};
}

std::vector<std::string> taskNames(const CrewSpec& c) {
  std::vector<std::string> out;
  for (const auto& s : c.stages)
    for (const auto& t : s.tasks) out.push_back(t.name);
  return out;
}

TEST(CrewAiImportTest, TemplateProjectKeepsItsOrderAndTrimsFoldedText) {
  auto crew = project("latest_ai_development");  // config/agents.yaml, as `crewai create crew` lays it out
  ASSERT_TRUE(crew.crewai);
  ASSERT_EQ(crew.stages.size(), 1u);
  EXPECT_EQ(crew.stages[0].stage, Stage::kBuild);
  // The reporting analyst ("analyst" once meant PLANNING) reports on the research: it comes second.
  EXPECT_EQ(taskNames(crew), (std::vector<std::string>{"research_task", "reporting_task"}));
  const auto& report = crew.stages[0].tasks[1];
  EXPECT_EQ(report.context, std::vector<std::string>{"research_task"});  // CrewAI passes the previous output
  EXPECT_EQ(report.after, std::vector<std::string>{"research_task"});
  EXPECT_EQ(report.output_file, "report.md");
  EXPECT_TRUE(report.markdown);
  EXPECT_EQ(crew.agent("researcher")->role, "{topic} Senior Data Researcher");  // no newline of the > scalar
  EXPECT_EQ(crew.agent("researcher")->max_iterations, 20);                      // CrewAI's default max_iter
  EXPECT_TRUE(crew.agent("researcher")->tools.empty());                         // none given, none offered
  EXPECT_EQ(crewPlaceholders(crew), (std::vector<std::string>{"current_year", "topic"}));
}

TEST(CrewAiImportTest, AsyncTasksRunBesideTheNextUntilOneWaits) {
  auto crew = project("market_brief");
  EXPECT_EQ(taskNames(crew),
            (std::vector<std::string>{"market_research", "tech_research", "write_brief", "check_brief"}));
  const auto& t = crew.stages[0].tasks;
  EXPECT_TRUE(t[0].async_execution);
  EXPECT_TRUE(t[1].async_execution);
  EXPECT_TRUE(t[1].after.empty());  // nothing before it ends first: it runs beside market_research
  EXPECT_EQ(t[2].after, (std::vector<std::string>{"market_research", "tech_research"}));
  EXPECT_EQ(t[2].context, (std::vector<std::string>{"market_research", "tech_research"}));
  EXPECT_EQ(t[3].context, std::vector<std::string>{"write_brief"});
  ASSERT_EQ(crew.warnings.size(), 1u);
  EXPECT_NE(crew.warnings[0].find("quality_reviewer: verbose has no effect"), std::string::npos);
}

TEST(CrewAiImportTest, ToolsModelAndLimitsAreCarriedOver) {
  auto crew = project("release_notes");
  const auto* reader = crew.agent("repo_reader");
  EXPECT_EQ(reader->llm, "scripted/careful-model");
  EXPECT_EQ(reader->model, "scripted/careful-model");
  EXPECT_EQ(reader->tools, (std::vector<std::string>{"list_files", "read_file"}));
  EXPECT_EQ(reader->max_iterations, 3);
  EXPECT_EQ(crew.agent("notes_writer")->tools, std::vector<std::string>{"read_file"});
  const auto& notes = crew.stages[0].tasks[1];
  ASSERT_TRUE(notes.tools.has_value());
  EXPECT_EQ(*notes.tools, (std::vector<std::string>{"write_file", "read_file"}));
  EXPECT_TRUE(notes.human_input);
  EXPECT_EQ(notes.output_file, "docs/releases/notes-{version}.md");
}

TEST(CrewAiImportTest, RefusalsNameTheTaskAndTheFix) {
  const char* agents = "coder: {role: Coder, goal: code}\nwriter: {role: Writer, goal: write}\n";
  auto no_agent = importCrewAi("x", agents, "code_task:\n  description: Write it\n  expected_output: code\n");
  ASSERT_FALSE(no_agent.ok());
  EXPECT_EQ(no_agent.error().message,
            "task code_task has no agent: add `agent: <name>` to it in tasks.yaml (one of coder, writer); agents "
            "assigned in Python (crew.py) are not read");
  auto unknown = importCrewAi("x", agents, "t: {description: d, agent: nobody}");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().message.find("names agent nobody, which agents.yaml does not define"), std::string::npos);
  auto later = importCrewAi("x", agents,
                            "a: {description: d, agent: coder, context: [b]}\nb: {description: d, agent: writer}\n");
  ASSERT_FALSE(later.ok());
  EXPECT_NE(later.error().message.find("task a reads the context of b, which is not a task before it"),
            std::string::npos);
  auto missing = importCrewAi("x", agents, "a: {description: d, agent: coder, context: [ghost]}\n");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("context of ghost"), std::string::npos);
  auto tool = importCrewAi("x", "a: {role: r, tools: [SerperDevTool]}\n", "t: {description: d, agent: a}\n");
  ASSERT_FALSE(tool.ok());
  EXPECT_NE(tool.error().message.find("tool SerperDevTool has no codecrew counterpart. Supported: "),
            std::string::npos);
  EXPECT_NE(tool.error().message.find("FileReadTool -> read_file"), std::string::npos);
  auto typo = importCrewAi("x", agents, "t: {description: d, agent: coder, contxt: [a]}\n");
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.error().message.find("tasks.yaml: t: unknown key contxt"), std::string::npos);
  auto escape = importCrewAi("x", agents, "t: {description: d, agent: coder, output_file: ../out.md}\n");
  ASSERT_FALSE(escape.ok());
  EXPECT_NE(escape.error().message.find("inside the workspace"), std::string::npos);
  auto explicit_none = importCrewAi("x", agents,
                                    "a: {description: d, agent: coder}\nb: {description: d, agent: "
                                    "writer, context: []}\n");
  ASSERT_TRUE(explicit_none.ok()) << explicit_none.error().message;
  EXPECT_TRUE(explicit_none->stages[0].tasks[1].context.empty());
}

TEST(CrewAiInputsTest, FillsPlaceholdersAndNamesTheUnfilled) {
  auto crew = project("latest_ai_development");
  auto partial = mergeCrewInputs("", {{"topic", "AI agents"}}, {});
  auto refused = checkCrewInputs(crew, partial);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(refused.error().message.find("needs inputs that were not given: {current_year}"), std::string::npos);
  EXPECT_NE(refused.error().message.find("--input current_year=..."), std::string::npos);
  // The start's inputs win over the workflow's; the description reaches the first task.
  auto inputs = mergeCrewInputs("A briefing for the board", {{"topic", "old"}, {"current_year", "2026"}},
                                {{"topic", "AI agents"}});
  auto filled = applyCrewInputs(crew, inputs);
  ASSERT_TRUE(filled.ok()) << filled.error().message;
  EXPECT_EQ(filled->agent("researcher")->role, "AI agents Senior Data Researcher");
  EXPECT_NE(filled->agent("researcher")->system_prompt.find("You are AI agents Senior Data Researcher."),
            std::string::npos);
  const auto& first = filled->stages[0].tasks[0];
  EXPECT_EQ(first.description.rfind("The goal of this work: A briefing for the board\n\n", 0), 0u);
  EXPECT_NE(first.description.find("the current year is 2026."), std::string::npos);
  EXPECT_EQ(placeholdersIn(filled->stages[0].tasks[1].expected_output), std::vector<std::string>{});
}

TEST(CrewAiInputsTest, AnInputCannotPointAnOutputFileOutOfTheWorkspace) {
  auto crew = project("release_notes");  // output_file: docs/releases/notes-{version}.md
  for (const char* version : {"../../../../etc/cron.d/x", "1/../../../.git/hooks/pre-commit", "x/../../.git/config"}) {
    auto filled = applyCrewInputs(crew, mergeCrewInputs("", {}, {{"version", version}}));
    ASSERT_FALSE(filled.ok()) << version;
    EXPECT_NE(filled.error().message.find("must be a file path inside the workspace"), std::string::npos)
        << filled.error().message;
  }
  auto fine = applyCrewInputs(crew, mergeCrewInputs("", {}, {{"version", "1.2.0"}}));
  EXPECT_TRUE(fine.ok()) << fine.error().message;
  EXPECT_FALSE(checkOutputFile(".git/config", "t").ok());
  EXPECT_FALSE(checkOutputFile("a/.git", "t").ok());
  EXPECT_TRUE(checkOutputFile("out/.gitignore", "t").ok());
}

TEST(CrewAiInputsTest, OnlyIdentifiersInSingleBracesArePlaceholders) {
  EXPECT_EQ(placeholdersIn("a {topic} {{goal}} {\"json\": 1} {not valid} {x-1} {topic}"),
            (std::vector<std::string>{"topic", "x-1"}));
  auto bad = crewInputsFromJson(boost::json::parse(R"({"topic": ["a"]})"));
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("inputs.topic must be a string"), std::string::npos);
  EXPECT_FALSE(crewInputsFromJson(boost::json::parse(R"({"bad name": "x"})")).ok());
  EXPECT_FALSE(crewInputsFromJson(boost::json::parse(R"(["x"])")).ok());
  auto numbers = crewInputsFromJson(boost::json::parse(R"({"year": 2026})"));
  ASSERT_TRUE(numbers.ok());
  EXPECT_EQ(numbers->at("year"), "2026");
  // A codecrew crew has no placeholders: its {{goal}} templates are its own.
  auto builtin = CrewCatalog::builtIn()->find("sdlc");
  EXPECT_TRUE(crewPlaceholders(*builtin).empty());
}

}  // namespace
}  // namespace codecrew::engine
