// GET /workflows/{id}/llm-calls over rows inserted through the store: every
// call of the workflow's executions with its agent, the conversation
// listing's paging, sorts and filters plus execution_id and agent, totals,
// and tenant scoping.
#include "api_fixture.h"

#include "core/time_format.h"

#include <algorithm>

namespace codecrew::testing {
namespace {
namespace json = boost::json;

class WorkflowLlmCallsTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    tenant_ = tenantId("acme");
    workflow_ = createWorkflow("calls");
    exec1_ = execution(workflow_);
    exec2_ = execution(workflow_);
    auto planner = conversation(workflow_, exec1_, "planner");
    auto developer = conversation(workflow_, exec2_, "developer");
    // exec1: 4 planner calls on gpt-4o; exec2: 5 developer calls alternating
    // models; one per hour from 2026-04-01.
    for (int i = 0; i < 9; ++i) {
      bool first = i < 4;
      insert(first ? planner : developer, first ? exec1_ : exec2_, first || i % 2 ? "gpt-4o" : "claude-sonnet-4",
             100 * (i + 1), 0.01 * (i + 1), 900 - 50 * i, i);
    }
    // Another workflow of the tenant: never listed here.
    auto other = createWorkflow("other");
    auto other_exec = execution(other);
    insert(conversation(other, other_exec, "planner"), other_exec, "gpt-4o", 99999, 9, 1, 0);
  }

  core::Id execution(core::Id workflow) {
    auto e = db().createExecution(tenant_, workflow, std::nullopt, json::object{});
    EXPECT_TRUE(e.ok());
    return e->value.id;
  }

  core::Id conversation(core::Id workflow, core::Id execution, const std::string& agent) {
    store::Conversation c;
    c.tenant_id = tenant_;
    c.workflow_id = workflow;
    c.execution_id = execution;
    c.agent = agent;
    c.step = agent == "planner" ? "PLANNING" : "BUILD";
    auto r = db().createConversation(c);
    EXPECT_TRUE(r.ok());
    return r->id;
  }

  void insert(core::Id conv, core::Id exec, const std::string& model, std::int64_t tokens, double cost, double latency,
              int hour) {
    store::LlmCall c;
    c.tenant_id = tenant_;
    c.conversation_id = conv;
    c.execution_id = exec;
    c.provider = "test";
    c.model = model;
    c.prompt_tokens = tokens - 10;
    c.completion_tokens = 10;
    c.total_tokens = tokens;
    c.cost = cost;
    c.response_time_ms = latency;
    c.timestamp = *core::parseIso8601("2026-04-01T00:00:00Z") + hour * 3'600'000LL;
    c.request_data = json::object{{"prompt", "call-" + std::to_string(tokens)}};
    ASSERT_TRUE(db().insertLlmCall(c).ok());
  }

  std::string path(const std::string& query = "") const {
    return "/workflows/" + std::to_string(workflow_) + "/llm-calls" + query;
  }

  json::object get(const std::string& query, const std::string& key = "") {
    auto r = call("GET", path(query), "", key);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().as_object();
  }

  static std::vector<std::int64_t> tokens(const json::object& o) {
    std::vector<std::int64_t> out;
    for (auto& c : o.at("calls").as_array()) out.push_back(c.at("total_tokens").as_int64());
    return out;
  }

  core::Id tenant_ = 0, workflow_ = 0, exec1_ = 0, exec2_ = 0;
};

TEST_F(WorkflowLlmCallsTest, ResponseShapeTotalsAndAgents) {
  auto o = get("", viewer_key_);
  EXPECT_EQ(o.at("workflow_id").as_int64(), workflow_);
  EXPECT_EQ(o.at("page").as_int64(), 1);
  EXPECT_EQ(o.at("page_size").as_int64(), 20);
  EXPECT_EQ(o.at("total").as_int64(), 9);
  EXPECT_EQ(o.at("total_tokens_used").as_int64(), 4500);
  EXPECT_NEAR(o.at("total_cost").as_double(), 0.45, 1e-9);
  const auto& newest = o.at("calls").at(0).as_object();  // newest first
  EXPECT_EQ(newest.at("agent").as_string(), "developer");
  EXPECT_EQ(newest.at("execution_id").as_int64(), exec2_);
  EXPECT_TRUE(newest.at("conversation_id").is_int64());
  for (const char* f : {"id", "model", "prompt_tokens", "completion_tokens", "total_tokens", "response_time_ms",
                        "status", "cost", "timestamp", "request_data", "response_data", "provider"})
    EXPECT_TRUE(newest.contains(f)) << f;
  EXPECT_EQ(o.at("calls").as_array().back().at("agent").as_string(), "planner");
}

TEST_F(WorkflowLlmCallsTest, FiltersByExecutionAgentModelTextAndDates) {
  EXPECT_EQ(get("?execution_id=" + std::to_string(exec1_)).at("total").as_int64(), 4);
  auto dev = get("?agent=developer");
  EXPECT_EQ(dev.at("total").as_int64(), 5);
  for (auto& c : dev.at("calls").as_array()) EXPECT_EQ(c.at("agent").as_string(), "developer");
  EXPECT_EQ(get("?agent=developer&model=claude-sonnet-4").at("total").as_int64(), 3);
  EXPECT_EQ(get("?execution_id=" + std::to_string(exec2_) + "&agent=planner").at("total").as_int64(), 0);
  EXPECT_EQ(get("?q=call-300").at("total").as_int64(), 1);
  EXPECT_EQ(get("?date_from=2026-04-01T02:00:00Z&date_to=2026-04-01T04:00:00Z").at("total").as_int64(), 3);
  // Totals stay the workflow's whatever the filter.
  EXPECT_EQ(get("?agent=planner").at("total_tokens_used").as_int64(), 4500);
}

TEST_F(WorkflowLlmCallsTest, SortsAndPages) {
  auto asc = tokens(get("?sort_by=total_tokens&sort_dir=asc&page_size=200"));
  EXPECT_EQ(asc.size(), 9u);
  EXPECT_TRUE(std::is_sorted(asc.begin(), asc.end()));
  auto lat = get("?sort_by=response_time_ms&sort_dir=asc");
  EXPECT_EQ(lat.at("calls").at(0).at("response_time_ms").as_double(), 500);
  EXPECT_EQ(get("?sort_by=model&sort_dir=asc").at("calls").at(0).at("model").as_string(), "claude-sonnet-4");
  EXPECT_NEAR(get("?sort_by=cost&sort_dir=desc").at("calls").at(0).at("cost").as_double(), 0.09, 1e-12);
  auto p2 = get("?page=2&page_size=4&sort_by=id&sort_dir=asc");
  EXPECT_EQ(p2.at("calls").as_array().size(), 4u);
  EXPECT_EQ(p2.at("page").as_int64(), 2);
  EXPECT_EQ(tokens(get("?page=3&page_size=4&sort_by=id&sort_dir=asc")), (std::vector<std::int64_t>{900}));
}

TEST_F(WorkflowLlmCallsTest, BadParametersAre400) {
  for (const char* q : {"?sort_by=agent", "?sort_dir=up", "?execution_id=abc", "?execution_id=0", "?page=0",
                        "?page_size=201", "?date_from=yesterday"})
    EXPECT_EQ(call("GET", path(q)).status, 400) << q;
}

TEST_F(WorkflowLlmCallsTest, OtherTenantsUnknownWorkflowsAndForeignExecutionsAre404) {
  EXPECT_EQ(call("GET", path(), "", other_key_).status, 404);
  EXPECT_EQ(call("GET", "/workflows/999999/llm-calls").status, 404);
  EXPECT_EQ(call("GET", "/workflows/abc/llm-calls").status, 404);
  auto other = createWorkflow("third");
  EXPECT_EQ(call("GET", path("?execution_id=" + std::to_string(execution(other)))).status, 404);
  EXPECT_EQ(call("GET", path(), "", "none").status, 401);
}

}  // namespace
}  // namespace codecrew::testing
