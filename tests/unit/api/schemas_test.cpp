// Every rendered body validates against the schema the OpenAPI document
// gives for it (api/schemas.h), with valijson: samples of every type the
// renderers know, with their optional fields both set and unset.
#include "api/schemas.h"
#include "api/crew_render.h"
#include "api/crewcode_render.h"
#include "api/render.h"
#include "api/workflow_metrics.h"
#include "engine/crew_catalog.h"
#include "engine/crewai_import.h"
#include "http/response.h"
#include "tools/tool_registry.h"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace codecrew::api {
namespace json = boost::json;
namespace {

// The schema of a component, resolved against every other (as the document does).
json::object componentSchema(const std::string& name) {
  json::object schemas;
  for (const auto& [n, s] : schemaComponents().all()) schemas[n] = s;
  json::object root = schemaRef(name);
  root["components"] = json::object{{"schemas", std::move(schemas)}};
  return root;
}

void expectValid(const std::string& name, const json::value& body) {
  ASSERT_TRUE(schemaComponents().contains(name)) << name;
  auto st = tools::validateAgainstSchema(componentSchema(name), body);
  EXPECT_TRUE(st.ok()) << name << ": " << (st.ok() ? "" : st.error().message) << "\n" << json::serialize(body);
}

constexpr core::Millis kT = 1'767'225'600'000;  // 2026-01-01

TEST(SchemasTest, WorkflowExecutionAndJob) {
  store::Workflow w;
  w.id = 1;
  w.name = "w";
  w.created_at = w.updated_at = kT;
  expectValid("Workflow", toJson(w));
  w.jira_story_id = "ABC-1";
  w.project_id = 3;
  w.status = store::RunStatus::kWaitingApproval;
  w.inputs = json::object{{"topic", "AI agents"}};
  expectValid("Workflow", toJson(w));

  store::Execution e;
  e.id = 2;
  e.workflow_id = 1;
  expectValid("Execution", toJson(e));
  e.started_at = kT;
  e.finished_at = kT + 1;
  e.idempotency_key = "k";
  e.error = "boom";
  e.total_cost = 0.25;
  e.meta = json::object{{"label", "x"}};
  e.inputs = json::object{{"topic", "AI agents"}, {"current_year", "2026"}};
  expectValid("Execution", toJson(e));
  store::Page<store::Execution> page{{e, e}, 2};
  expectValid("ExecutionPage", pageJson("executions", page, store::PageRequest{}));

  store::ExecutionJob j;
  j.id = 4;
  j.execution_id = 2;
  expectValid("ExecutionJob", toJson(j));
}

TEST(SchemasTest, ProgressWithEveryPartSetAndUnset) {
  engine::ExecutionProgress p;
  expectValid("ExecutionProgress", toJson(p));
  p.paused_at = store::Stage::kPlanning;
  p.branch = "codecrew/1";
  p.base_commit = "abc";
  p.visits["PLANNING"] = 1;
  p.execution_budget.tokens_limit = 1000;
  p.execution_budget.cost_limit = 1.5;
  p.agent_budgets["coder"] = engine::BudgetUse{10, 0.1, 100, std::nullopt};
  p.step_tokens_limit = 50;
  p.plan_summary = "the plan";
  p.plan_tasks.push_back({"t1", "title", "d", {"a.py"}, {}, true});
  p.tasks_done.push_back({"PLANNING#0", "plan"});
  p.gates_passed.push_back("after:PLANNING#0");
  p.gate_pending = engine::PendingGate{7, "after:PLANNING"};
  p.commits["CODING#0"] = "def";
  expectValid("ExecutionProgress", toJson(p));
}

TEST(SchemasTest, ConversationMessageCallAndOutputs) {
  store::Conversation c;
  c.id = 1;
  c.workflow_id = 2;
  expectValid("Conversation", toJson(c));
  c.execution_id = 3;
  c.details = "{\"k\": 1}";
  expectValid("Conversation", toJson(c));

  store::Message m;
  m.id = 1;
  expectValid("Message", toJson(m));

  store::LlmCall call;
  call.id = 1;
  call.model = "gpt";
  expectValid("LlmCall", toJson(call));
  call.conversation_id = 2;
  call.execution_id = 3;
  call.max_tokens = 100;
  call.error_code = "rate_limited";
  call.status = store::CallStatus::kFailed;
  call.fallback_of = 9;
  call.response_time_ms = 12.5;
  expectValid("LlmCall", toJson(call));

  store::CodeFile f;
  expectValid("CodeFile", toJson(f));
  f.conversation_id = 1;
  f.execution_id = 1;
  expectValid("CodeFile", toJson(f));
  store::Diff d;
  expectValid("Diff", toJson(d));
  d.execution_id = 1;
  expectValid("DiffPage", pageJson("diffs", store::Page<store::Diff>{{d}, 1}, store::PageRequest{}));
  store::Artifact a;
  expectValid("Artifact", toJson(a));
  a.execution_id = 1;
  expectValid("ArtifactPage", pageJson("artifacts", store::Page<store::Artifact>{{a}, 1}, store::PageRequest{}));
  store::PullRequest pr;
  expectValid("PullRequest", toJson(pr));
  store::Check check;
  expectValid("Check", toJson(check));
  check.conclusion = "success";
  expectValid("CheckPage", pageJson("checks", store::Page<store::Check>{{check}, 1}, store::PageRequest{}));
}

TEST(SchemasTest, ApprovalPendingAndDecided) {
  store::Approval a;
  a.id = 1;
  a.requested_at = kT;
  expectValid("Approval", toJson(a));
  a.status = store::ApprovalStatus::kChangesRequested;
  a.decided_at = kT + 5;
  a.decision = store::Decision::kRequestChanges;
  a.comment = "more tests";
  expectValid("Approval", toJson(a));
  expectValid("ApprovalPage", pageJson("approvals", store::Page<store::Approval>{{a}, 1}, store::PageRequest{}));
}

TEST(SchemasTest, EveryBuiltInCrew) {
  auto catalog = engine::CrewCatalog::builtIn();
  ASSERT_TRUE(catalog.ok());
  ASSERT_FALSE(catalog->names().empty());
  json::array crews;
  for (const auto& name : catalog->names()) {
    auto crew = catalog->find(name);
    ASSERT_TRUE(crew.ok()) << name;
    expectValid("Crew", crewToJson(*crew));
    crews.push_back(crewToJson(*crew));
  }
  expectValid("CrewList", json::object{{"crews", std::move(crews)}});
}

TEST(SchemasTest, CrewCodeSessionsAndRuns) {
  store::CrewSession s;
  s.id = 1;
  expectValid("Session", toJson(s));
  s.workflow_id = 4;
  std::vector<store::SessionFile> files(1);
  files[0].path = "a.py";
  expectValid("Session", toJson(s, &files));
  engine::CrewRun run;
  run.files.push_back({"a.py", "added", "print(1)\n"});
  run.models = {"m"};
  expectValid("CrewRun", toJson(run));
  auto updated = toJson(run);
  updated["session_id"] = 1;
  expectValid("SessionRun", updated);
}

TEST(SchemasTest, Metrics) {
  store::Execution a, b;
  a.id = 1;
  b.id = 2;
  b.models = json::array{"m"};
  auto ma = executionMetrics(a), mb = executionMetrics(b);
  expectValid("ExecutionComparison", json::object{{"workflow_id", 1},
                                                  {"a", ma.toJson()},
                                                  {"b", mb.toJson()},
                                                  {"differences", differences(ma, mb)}});
  RunMetrics wa, wb;
  wa.name = "one";
  wb.name = "two";
  expectValid("WorkflowComparison",
              json::object{{"workflow", wa.toJson()}, {"with", wb.toJson()}, {"differences", differences(wa, wb)}});
}

TEST(SchemasTest, RenderedObjectsAreClosed) {
  store::Workflow w;
  auto body = toJson(w);
  body["undocumented"] = 1;
  EXPECT_FALSE(tools::validateAgainstSchema(componentSchema("Workflow"), body).ok());
  body = toJson(w);
  body.erase("crew");
  EXPECT_FALSE(tools::validateAgainstSchema(componentSchema("Workflow"), body).ok());
}

TEST(SchemasTest, CrewInputsAreStrings) {
  store::Workflow w;
  w.inputs = json::object{{"year", 2026}};
  EXPECT_FALSE(tools::validateAgainstSchema(componentSchema("Workflow"), toJson(w)).ok());
}

TEST(SchemasTest, CrewAiCrewWithItsPlaceholdersAndOwnFields) {
  auto crew = engine::importCrewAi(
      "blog", "writer: {role: '{topic} Writer', goal: write, llm: gpt-4o, allow_delegation: true}\n",
      "post:\n  description: A post about {topic} in {current_year}\n  expected_output: text\n  agent: writer\n"
      "  human_input: true\n  markdown: true\n  output_file: post.md\n  tools: [FileReadTool]\n");
  ASSERT_TRUE(crew.ok()) << crew.error().message;
  auto body = crewToJson(*crew);
  EXPECT_EQ(body.at("inputs"), (json::array{"current_year", "topic"}));
  const auto& task = body.at("stages").at(0).at("tasks").at(0).as_object();
  for (const char* field : {"human_input", "markdown", "output_file", "tools"})
    EXPECT_TRUE(task.contains(field)) << field;
  const auto& agent = body.at("agents").at(0).as_object();
  EXPECT_TRUE(agent.contains("llm") && agent.contains("allow_delegation"));
  expectValid("Crew", body);
}

TEST(SchemasTest, ErrorBody) {
  auto r = http::Response::error(400, "invalid_argument", "bad", json::object{{"field", "name"}});
  expectValid("Error", json::parse(r.body));
}

}  // namespace
}  // namespace codecrew::api
