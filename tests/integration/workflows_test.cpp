// Workflows and executions over HTTP against the real binary.
#include "api_fixture.h"

#include <map>

namespace codecrew::testing {
namespace {
namespace json = boost::json;

class WorkflowsTest : public ApiTest {};

TEST_F(WorkflowsTest, CreateGetDelete) {
  auto r = call(
      "POST", "/workflows",
      R"({"name":"Add login","description":"users log in","repository_url":"https://example.invalid/r.git","crew":"sdlc"})");
  ASSERT_EQ(r.status, 201) << r.body;
  auto w = r.json().as_object();
  EXPECT_EQ(w.at("name").as_string(), "Add login");
  EXPECT_EQ(w.at("status").as_string(), "pending");
  EXPECT_TRUE(w.at("jira_story_id").is_null());
  auto id = std::to_string(w.at("id").as_int64());
  auto got = call("GET", "/workflows/" + id);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.json().at("description").as_string(), "users log in");
  EXPECT_TRUE(got.json().at("conversations").as_array().empty());
  EXPECT_EQ(call("DELETE", "/workflows/" + id).status, 204);
  EXPECT_EQ(call("GET", "/workflows/" + id).status, 404);
  EXPECT_EQ(call("DELETE", "/workflows/" + id).status, 404);
}

TEST_F(WorkflowsTest, CreateIsIdempotentOnJiraStoryId) {
  auto a = call("POST", "/workflows", R"({"name":"first","jira_story_id":"PROJ-7"})");
  ASSERT_EQ(a.status, 201);
  auto b = call("POST", "/workflows", R"({"name":"second","jira_story_id":"PROJ-7"})");
  ASSERT_EQ(b.status, 200);
  EXPECT_EQ(a.json().at("id"), b.json().at("id"));
  EXPECT_EQ(b.json().at("name").as_string(), "first");
  // Another tenant may use the same story id.
  EXPECT_EQ(call("POST", "/workflows", R"({"name":"g","jira_story_id":"PROJ-7"})", other_key_).status, 201);
  EXPECT_EQ(call("GET", "/workflows").json().at("total").as_int64(), 1);
}

TEST_F(WorkflowsTest, GetIncludesConversationsAndCodeFiles) {
  auto id = createWorkflow("with outputs");
  auto tenant = tenantId("acme");
  store::Conversation c;
  c.tenant_id = tenant;
  c.workflow_id = id;
  c.agent = "developer";
  c.step = "BUILD";
  c.prompt = "write it";
  c.output = "done";
  auto conv = db().createConversation(c);
  ASSERT_TRUE(conv.ok()) << conv.error().message;
  store::CodeFile f;
  f.tenant_id = tenant;
  f.workflow_id = id;
  f.conversation_id = conv->id;
  f.filename = "app.py";
  f.content = "print('hi')\n";
  f.file_type = "python";
  ASSERT_TRUE(db().addCodeFile(f).ok());
  auto got = call("GET", "/workflows/" + std::to_string(id)).json();
  auto& convs = got.at("conversations").as_array();
  ASSERT_EQ(convs.size(), 1u);
  EXPECT_EQ(convs[0].at("agent").as_string(), "developer");
  ASSERT_EQ(convs[0].at("code_files").as_array().size(), 1u);
  EXPECT_EQ(convs[0].at("code_files").at(0).at("filename").as_string(), "app.py");
  EXPECT_EQ(got.at("code_files").as_array().size(), 1u);
}

TEST_F(WorkflowsTest, ListPagesAndFiltersByStatus) {
  for (int i = 0; i < 25; ++i) createWorkflow("wf" + std::to_string(i));
  auto p1 = call("GET", "/workflows?page=1&page_size=10").json();
  EXPECT_EQ(p1.at("total").as_int64(), 25);
  EXPECT_EQ(p1.at("workflows").as_array().size(), 10u);
  auto p3 = call("GET", "/workflows?page=3&page_size=10").json();
  EXPECT_EQ(p3.at("workflows").as_array().size(), 5u);
  std::set<std::int64_t> ids;
  for (int p = 1; p <= 3; ++p) {
    auto page = call("GET", "/workflows?page_size=10&page=" + std::to_string(p)).json();
    for (auto& w : page.at("workflows").as_array()) ids.insert(w.at("id").as_int64());
  }
  EXPECT_EQ(ids.size(), 25u) << "pages neither overlap nor skip";
  auto first = *ids.begin();
  ASSERT_TRUE(db().updateWorkflowStatus(tenantId("acme"), first, store::RunStatus::kCompleted).ok());
  auto done = call("GET", "/workflows?status=completed").json();
  ASSERT_EQ(done.at("total").as_int64(), 1);
  EXPECT_EQ(done.at("workflows").at(0).at("id").as_int64(), first);
  EXPECT_EQ(call("GET", "/workflows?status=bogus").status, 400);
  EXPECT_EQ(call("GET", "/workflows?page=0").status, 400);
  EXPECT_EQ(call("GET", "/workflows?page_size=201").status, 400);
  EXPECT_EQ(call("GET", "/workflows?page_size=x").status, 400);
}

TEST_F(WorkflowsTest, ListCarriesEachWorkflowsLatestExecution) {
  auto ran = std::to_string(createWorkflow("ran twice"));
  auto idle = std::to_string(createWorkflow("never ran"));
  auto start = [&](const std::string& id) {
    return call("POST", "/workflows/" + id + "/executions/start").json().at("execution").at("id").as_int64();
  };
  start(ran);
  auto newest = start(ran);
  auto list = call("GET", "/workflows").json();
  std::map<std::string, boost::json::value> latest;
  for (const auto& w : list.at("workflows").as_array())
    latest[std::to_string(w.at("id").as_int64())] = w.at("latest_execution");
  ASSERT_TRUE(latest.at(ran).is_object());
  EXPECT_EQ(latest.at(ran).at("id").as_int64(), newest);
  EXPECT_EQ(latest.at(ran).at("workflow_id").as_int64(), std::stoll(ran));
  EXPECT_TRUE(latest.at(ran).as_object().contains("stage"));
  EXPECT_TRUE(latest.at(idle).is_null());
}

TEST_F(WorkflowsTest, StartExecutionIsIdempotentOnKey) {
  auto id = std::to_string(createWorkflow("exec"));
  auto a = call("POST", "/workflows/" + id + "/executions/start", "", "", {{"Idempotency-Key", "run-1"}});
  ASSERT_EQ(a.status, 202) << a.body;
  auto exec = a.json().at("execution");
  EXPECT_EQ(exec.at("status").as_string(), "pending");
  EXPECT_EQ(exec.at("stage").as_string(), "NEW");
  EXPECT_FALSE(a.json().at("engine").at("attached").as_bool());
  EXPECT_EQ(a.json().at("job").at("status").as_string(), "queued");
  auto b = call("POST", "/workflows/" + id + "/executions/start", "", "", {{"Idempotency-Key", "run-1"}});
  ASSERT_EQ(b.status, 200);
  EXPECT_EQ(b.json().at("execution").at("id"), exec.at("id"));
  auto c = call("POST", "/workflows/" + id + "/executions/start", "", "", {{"Idempotency-Key", "run-2"}});
  ASSERT_EQ(c.status, 202);
  EXPECT_NE(c.json().at("execution").at("id"), exec.at("id"));
  auto d = call("POST", "/workflows/" + id + "/execute", R"({"meta":{"flag":true}})");
  ASSERT_EQ(d.status, 202) << d.body;
  EXPECT_TRUE(d.json().at("execution").at("meta").at("flag").as_bool());
  auto list = call("GET", "/workflows/" + id + "/executions").json();
  EXPECT_EQ(list.at("total").as_int64(), 3);
  auto eid = std::to_string(exec.at("id").as_int64());
  auto got = call("GET", "/workflows/" + id + "/executions/" + eid);
  ASSERT_EQ(got.status, 200);
  EXPECT_EQ(got.json().at("idempotency_key").as_string(), "run-1");
  EXPECT_EQ(call("POST", "/workflows/999999/executions/start").status, 404);
  EXPECT_EQ(call("POST", "/workflows/" + id + "/executions/start", "", "", {{"Idempotency-Key", std::string(201, 'k')}})
                .status,
            400);
  EXPECT_EQ(call("POST", "/workflows/" + id + "/executions/start", R"({"meta":1})").status, 400);
  EXPECT_EQ(call("GET", "/workflows/" + id + "/executions").json().at("total").as_int64(), 3)
      << "refused starts create nothing";
}

TEST_F(WorkflowsTest, CancelEndsAnExecutionOnce) {
  auto id = std::to_string(createWorkflow("cancel"));
  auto eid = std::to_string(
      call("POST", "/workflows/" + id + "/executions/start").json().at("execution").at("id").as_int64());
  auto r = call("POST", "/workflows/" + id + "/executions/" + eid + "/cancel");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("status").as_string(), "cancelled");
  EXPECT_FALSE(r.json().at("finished_at").is_null());
  auto again = call("POST", "/workflows/" + id + "/executions/" + eid + "/cancel");
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(call("GET", "/workflows/" + id + "/executions/" + eid).json().at("job").at("status").as_string(),
            "cancelled");
}

TEST_F(WorkflowsTest, CompareExecutionsAndWorkflows) {
  auto tenant = tenantId("acme");
  auto w1 = createWorkflow("one"), w2 = createWorkflow("two");
  auto start = [&](core::Id w) {
    return call("POST", "/workflows/" + std::to_string(w) + "/executions/start")
        .json()
        .at("execution")
        .at("id")
        .as_int64();
  };
  auto setTotals = [&](core::Id e, std::int64_t calls, std::int64_t tokens, double cost, const char* model) {
    auto ex = db().getExecutionById(tenant, e);
    ASSERT_TRUE(ex.ok());
    ex->total_calls = calls;
    ex->total_tokens = tokens;
    ex->total_cost = cost;
    ex->avg_latency_ms = 100;
    ex->models = json::array{json::value(model)};
    ex->status = store::RunStatus::kCompleted;
    ASSERT_TRUE(db().updateExecution(*ex).ok());
  };
  auto a = start(w1), b = start(w1), c = start(w2);
  setTotals(a, 2, 100, 0.5, "gpt-4o");
  setTotals(b, 3, 250, 1.25, "claude-sonnet-4");
  setTotals(c, 1, 10, 0.01, "gpt-4o");
  auto cmp = call("GET", "/workflows/" + std::to_string(w1) + "/executions/" + std::to_string(a) + "/compare/" +
                             std::to_string(b));
  ASSERT_EQ(cmp.status, 200) << cmp.body;
  auto d = cmp.json().at("differences");
  EXPECT_EQ(d.at("total_tokens").as_int64(), 150);
  EXPECT_EQ(d.at("total_calls").as_int64(), 1);
  EXPECT_DOUBLE_EQ(d.at("total_cost").as_double(), 0.75);
  EXPECT_EQ(d.at("models_added").at(0).as_string(), "claude-sonnet-4");
  EXPECT_EQ(d.at("models_removed").at(0).as_string(), "gpt-4o");
  EXPECT_EQ(call("GET", "/workflows/" + std::to_string(w1) + "/executions/" + std::to_string(a) + "/compare/" +
                            std::to_string(c))
                .status,
            404)
      << "an execution of another workflow";
  auto wc = call("GET", "/workflows/" + std::to_string(w1) + "/compare?with=" + std::to_string(w2));
  ASSERT_EQ(wc.status, 200) << wc.body;
  EXPECT_EQ(wc.json().at("workflow").at("total_tokens").as_int64(), 350);
  EXPECT_EQ(wc.json().at("workflow").at("executions").as_int64(), 2);
  EXPECT_EQ(wc.json().at("with").at("total_tokens").as_int64(), 10);
  EXPECT_EQ(wc.json().at("differences").at("total_tokens").as_int64(), -340);
  EXPECT_EQ(call("GET", "/workflows/" + std::to_string(w1) + "/compare").status, 400);
  EXPECT_EQ(call("GET", "/workflows/" + std::to_string(w1) + "/compare?with=abc").status, 404);
}

}  // namespace
}  // namespace codecrew::testing
