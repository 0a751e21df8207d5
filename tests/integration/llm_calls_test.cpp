// GET /conversations/{id} and /conversations/{id}/llm-calls: paging, sorting
// and filters, over rows inserted through the store.
#include "api_fixture.h"

#include "core/time_format.h"

namespace codecrew::testing {
namespace {
namespace json = boost::json;

class LlmCallsTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    tenant_ = tenantId("acme");
    workflow_ = createWorkflow("calls");
    store::Conversation c;
    c.tenant_id = tenant_;
    c.workflow_id = workflow_;
    c.agent = "planner";
    c.step = "PLANNING";
    auto conv = db().createConversation(c);
    ASSERT_TRUE(conv.ok());
    conv_ = conv->id;
    store::Message m;
    m.tenant_id = tenant_;
    m.conversation_id = conv_;
    m.role = "user";
    m.content = "plan it";
    ASSERT_TRUE(db().addMessage(m).ok());
    // 12 calls: models alternate, tokens and cost grow, one per day from 2026-03-01.
    const char* models[] = {"gpt-4o", "claude-sonnet-4", "gemini-2.5-pro"};
    for (int i = 0; i < 12; ++i) {
      store::LlmCall call;
      call.tenant_id = tenant_;
      call.conversation_id = conv_;
      call.provider = "test";
      call.model = models[i % 3];
      call.prompt_tokens = 100 + i;
      call.completion_tokens = 10 * i;
      call.total_tokens = call.prompt_tokens + call.completion_tokens;
      call.response_time_ms = 1000 - 50 * i;
      call.cost = 0.001 * (i + 1);
      call.status = i == 5 ? store::CallStatus::kFailed : store::CallStatus::kSuccess;
      call.error_code = i == 5 ? "rate_limited" : "";
      call.timestamp = *core::parseIso8601("2026-03-01T12:00:00Z") + i * 86'400'000LL;
      call.request_data = json::object{
          {"messages", json::array{json::object{{"content", "needle-" + std::to_string(i)}}}}};
      ASSERT_TRUE(db().insertLlmCall(call).ok());
    }
    // A call of another conversation must never show up.
    store::Conversation other;
    other.tenant_id = tenant_;
    other.workflow_id = workflow_;
    other.agent = "x";
    auto oc = db().createConversation(other);
    store::LlmCall stray;
    stray.tenant_id = tenant_;
    stray.conversation_id = oc->id;
    stray.model = "gpt-4o";
    stray.total_tokens = 99999;
    stray.timestamp = *core::parseIso8601("2026-03-05T00:00:00Z");
    ASSERT_TRUE(db().insertLlmCall(stray).ok());
  }

  json::object get(const std::string& query) {
    auto r = call("GET", "/conversations/" + std::to_string(conv_) + "/llm-calls" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().as_object();
  }

  std::vector<std::int64_t> tokens(const json::object& o) {
    std::vector<std::int64_t> out;
    for (auto& c : o.at("calls").as_array()) out.push_back(c.at("total_tokens").as_int64());
    return out;
  }

  core::Id tenant_ = 0, workflow_ = 0, conv_ = 0;
};

TEST_F(LlmCallsTest, ResponseShapeAndTotals) {
  auto o = get("");
  EXPECT_EQ(o.at("conversation_id").as_int64(), conv_);
  EXPECT_EQ(o.at("page").as_int64(), 1);
  EXPECT_EQ(o.at("page_size").as_int64(), 20);
  EXPECT_EQ(o.at("total").as_int64(), 12);
  std::int64_t sum = 0;
  for (int i = 0; i < 12; ++i) sum += 100 + i + 10 * i;
  EXPECT_EQ(o.at("total_tokens_used").as_int64(), sum);
  EXPECT_NEAR(o.at("total_cost").as_double(), 0.078, 1e-9);
  auto& first = o.at("calls").at(0).as_object();
  for (const char* f : {"id",
                        "model",
                        "prompt_tokens",
                        "completion_tokens",
                        "total_tokens",
                        "max_tokens",
                        "total_tokens_requested",
                        "response_time_ms",
                        "status",
                        "error_code",
                        "truncated_sections",
                        "prompt_hash",
                        "response_hash",
                        "budget_snapshot",
                        "cost",
                        "timestamp",
                        "request_data",
                        "response_data",
                        "provider",
                        "attempt",
                        "fallback_of"})
    EXPECT_TRUE(first.contains(f)) << f;
  auto conv = call("GET", "/conversations/" + std::to_string(conv_)).json();
  EXPECT_EQ(conv.at("agent").as_string(), "planner");
  EXPECT_EQ(conv.at("messages").as_array().size(), 1u);
  EXPECT_EQ(conv.at("llm_call_count").as_int64(), 12);
}

TEST_F(LlmCallsTest, DefaultSortIsNewestFirstAndPagesSplit) {
  auto p1 = get("?page_size=5");
  auto p3 = get("?page_size=5&page=3");
  EXPECT_EQ(p1.at("calls").as_array().size(), 5u);
  EXPECT_EQ(p3.at("calls").as_array().size(), 2u);
  EXPECT_EQ(p1.at("calls").at(0).at("timestamp").as_string(), "2026-03-12T12:00:00.000Z");
  EXPECT_EQ(p3.at("calls").at(1).at("timestamp").as_string(), "2026-03-01T12:00:00.000Z");
  EXPECT_EQ(get("?page=4&page_size=5").at("calls").as_array().size(), 0u);
}

TEST_F(LlmCallsTest, SortsByEveryKeyBothWays) {
  auto asc = tokens(get("?sort_by=total_tokens&sort_dir=asc"));
  EXPECT_TRUE(std::is_sorted(asc.begin(), asc.end()));
  auto desc = tokens(get("?sort_by=total_tokens&sort_dir=desc"));
  EXPECT_TRUE(std::is_sorted(desc.rbegin(), desc.rend()));
  auto lat = get("?sort_by=response_time_ms&sort_dir=asc");
  EXPECT_EQ(lat.at("calls").at(0).at("response_time_ms").as_double(), 450);
  auto cost = get("?sort_by=cost&sort_dir=desc");
  EXPECT_NEAR(cost.at("calls").at(0).at("cost").as_double(), 0.012, 1e-12);
  auto model = get("?sort_by=model&sort_dir=asc");
  EXPECT_EQ(model.at("calls").at(0).at("model").as_string(), "claude-sonnet-4");
  auto ids = get("?sort_by=id&sort_dir=asc");
  EXPECT_LT(ids.at("calls").at(0).at("id").as_int64(), ids.at("calls").at(1).at("id").as_int64());
  auto bad = call("GET", "/conversations/" + std::to_string(conv_) + "/llm-calls?sort_by=price");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("response_time_ms"), std::string::npos) << "the error lists the allowed keys";
  EXPECT_EQ(call("GET", "/conversations/" + std::to_string(conv_) + "/llm-calls?sort_dir=up").status, 400);
}

TEST_F(LlmCallsTest, FiltersByModelTextAndDates) {
  auto m = get("?model=gpt-4o");
  EXPECT_EQ(m.at("total").as_int64(), 4);
  for (auto& c : m.at("calls").as_array()) EXPECT_EQ(c.at("model").as_string(), "gpt-4o");
  EXPECT_EQ(get("?q=rate_limited").at("total").as_int64(), 1);
  EXPECT_EQ(get("?q=needle-11").at("total").as_int64(), 1);
  EXPECT_EQ(get("?q=CLAUDE").at("total").as_int64(), 4) << "q is case-insensitive";
  EXPECT_EQ(get("?date_from=2026-03-03&date_to=2026-03-05").at("total").as_int64(), 3);
  EXPECT_EQ(get("?date_from=2026-03-10T12:00:00Z").at("total").as_int64(), 3);
  EXPECT_EQ(get("?model=gpt-4o&date_to=2026-03-04").at("total").as_int64(), 2);
  EXPECT_EQ(call("GET", "/conversations/" + std::to_string(conv_) + "/llm-calls?date_from=yesterday").status, 400);
  EXPECT_EQ(call("GET",
                 "/conversations/" + std::to_string(conv_) + "/llm-calls?date_from=2026-03-05&date_to=2026-03-01")
                .status,
            400);
}

TEST_F(LlmCallsTest, UnknownAndForeignConversationsAre404) {
  EXPECT_EQ(call("GET", "/conversations/999999/llm-calls").status, 404);
  EXPECT_EQ(call("GET", "/conversations/" + std::to_string(conv_) + "/llm-calls", "", other_key_).status, 404);
  EXPECT_EQ(call("GET", "/conversations/" + std::to_string(conv_), "", other_key_).status, 404);
  EXPECT_EQ(call("GET", "/conversations/x1/llm-calls").status, 404);
}

}  // namespace
}  // namespace codecrew::testing
