#include "store_fixture.h"

#include <algorithm>

namespace codecrew::store::testing {
namespace {

// Six calls on one conversation with distinct values for every sort key, plus
// calls elsewhere that no query on the conversation may return.
class LlmCallsTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    wf_ = newWorkflow(t1_);
    conv_ = newConversation(t1_, wf_);
    Id other_conv = newConversation(t1_, wf_);
    struct Row {
      const char* model;
      std::int64_t tokens;
      double cost;
      double latency;
      Millis ts;
    };
    const Row rows[] = {{"gpt-4o", 300, 0.30, 120, 1000}, {"claude", 100, 0.90, 80, 2000},
                        {"gpt-4o", 500, 0.10, 300, 3000}, {"llama", 200, 0.50, 50, 4000},
                        {"claude", 400, 0.20, 200, 5000}, {"gemini", 600, 0.70, 10, 6000}};
    for (const Row& r : rows) {
      auto c = store_->insertLlmCall(makeCall(t1_, conv_, r.model, r.tokens, r.cost, r.latency, r.ts));
      ASSERT_OK(c);
      ids_.push_back(c->id);
    }
    ASSERT_OK(store_->insertLlmCall(makeCall(t1_, other_conv, "gpt-4o", 1, 1, 1, 1500)));
    ASSERT_OK(store_->insertLlmCall(makeCall(t1_, std::nullopt, "gpt-4o", 1, 1, 1, 1500)));
  }

  LlmCallQuery query() {
    LlmCallQuery q;
    q.conversation_id = conv_;
    q.page.page_size = 50;
    return q;
  }

  std::vector<Id> idsOf(const LlmCallQuery& q) {
    auto page = store_->listLlmCalls(t1_, q);
    EXPECT_TRUE(page.ok()) << (page.ok() ? "" : page.error().message);
    std::vector<Id> out;
    if (page.ok()) {
      for (const auto& c : page->items) out.push_back(c.id);
    }
    return out;
  }

  // The fixture ids in the given index order.
  std::vector<Id> pick(std::initializer_list<int> idx) {
    std::vector<Id> out;
    for (int i : idx) out.push_back(ids_[i]);
    return out;
  }

  Id wf_ = 0;
  Id conv_ = 0;
  std::vector<Id> ids_;
};

TEST_F(LlmCallsTest, InsertKeepsEveryField) {
  LlmCall c = makeCall(t1_, conv_, "gpt-4o", 30, 0.01, 12.5, 7000);
  c.max_tokens = 100;
  c.total_tokens_requested = 130;
  c.status = store::CallStatus::kTruncated;
  c.error_code = "context_length";
  c.truncated_sections = boost::json::array{"history"};
  c.prompt_hash = "ph";
  c.response_hash = "rh";
  c.budget_snapshot = boost::json::object{{"remaining_tokens", 70}};
  c.attempt = 2;
  c.fallback_of = ids_[0];
  auto stored = store_->insertLlmCall(c);
  ASSERT_OK(stored);
  auto got = store_->getLlmCall(t1_, stored->id);
  ASSERT_OK(got);
  EXPECT_EQ(got->provider, "openai");
  EXPECT_EQ(got->prompt_tokens, 15);
  EXPECT_EQ(got->completion_tokens, 15);
  EXPECT_EQ(got->total_tokens, 30);
  EXPECT_EQ(got->max_tokens, std::optional<std::int64_t>(100));
  EXPECT_EQ(got->total_tokens_requested, 130);
  EXPECT_DOUBLE_EQ(got->response_time_ms, 12.5);
  EXPECT_EQ(got->status, store::CallStatus::kTruncated);
  EXPECT_EQ(got->error_code, "context_length");
  EXPECT_EQ(got->truncated_sections, (boost::json::value(boost::json::array{"history"})));
  EXPECT_EQ(got->prompt_hash, "ph");
  EXPECT_EQ(got->response_hash, "rh");
  EXPECT_EQ(got->budget_snapshot.at("remaining_tokens").as_int64(), 70);
  EXPECT_DOUBLE_EQ(got->cost, 0.01);
  EXPECT_EQ(got->timestamp, 7000);
  EXPECT_EQ(got->request_data.at("prompt").as_string(), "hello gpt-4o");
  EXPECT_EQ(got->attempt, 2);
  EXPECT_EQ(got->fallback_of, std::optional<Id>(ids_[0]));
  EXPECT_EQ(got->created_at, clock_->nowMillis());
}

TEST_F(LlmCallsTest, InsertValidatesAndChecksReferences) {
  LlmCall c = makeCall(t1_, conv_, "gpt-4o", 1, 0, 0, 0);

  c.status = store::CallStatus::kFailed;
  c.conversation_id = 123456;
  EXPECT_CODE(store_->insertLlmCall(c), ErrorCode::kNotFound);
  c.conversation_id = std::nullopt;
  c.execution_id = 123456;
  EXPECT_CODE(store_->insertLlmCall(c), ErrorCode::kNotFound);
  c.execution_id = std::nullopt;
  c.api_key_id = 123456;
  EXPECT_CODE(store_->insertLlmCall(c), ErrorCode::kNotFound);
  c.api_key_id = std::nullopt;
  c.fallback_of = 123456;
  EXPECT_CODE(store_->insertLlmCall(c), ErrorCode::kNotFound);
  c.fallback_of = std::nullopt;
  auto ok = store_->insertLlmCall(c);
  ASSERT_OK(ok);
  EXPECT_EQ(ok->timestamp, clock_->nowMillis());  // 0 takes now
}

TEST_F(LlmCallsTest, BatchInsertIsAllOrNothing) {
  std::vector<LlmCall> calls = {makeCall(t1_, conv_, "a", 1, 0, 0, 0), makeCall(t1_, conv_, "b", 1, 0, 0, 0)};
  ASSERT_OK(store_->insertLlmCalls(calls));
  calls.push_back(makeCall(t1_, 99999, "c", 1, 0, 0, 0));
  EXPECT_CODE(store_->insertLlmCalls(calls), ErrorCode::kNotFound);
  auto page = store_->listLlmCalls(t1_, query());
  ASSERT_OK(page);
  EXPECT_EQ(page->total, 8);
}

// A batch checks a reference once for the tenant it found it in: a later
// call of another tenant naming the same conversation, or a fallback call
// that is not its tenant's, is refused as it would be alone.
TEST_F(LlmCallsTest, BatchRefusesAReferenceOfAnotherTenantAsAloneWould) {
  LlmCall mine = makeCall(t1_, conv_, "a", 1, 0, 0, 0);
  mine.fallback_of = ids_[0];
  LlmCall foreign = makeCall(t2_, conv_, "b", 1, 0, 0, 0);  // t1's conversation
  auto alone = store_->insertLlmCall(foreign);
  ASSERT_FALSE(alone.ok());
  auto batch = store_->insertLlmCalls({mine, mine, foreign});
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.error().code, alone.error().code);
  EXPECT_EQ(batch.error().message, alone.error().message);

  LlmCall foreign_fallback = makeCall(t2_, std::nullopt, "c", 1, 0, 0, 0);
  foreign_fallback.fallback_of = ids_[0];  // t1's call
  auto alone_fallback = store_->insertLlmCall(foreign_fallback);
  ASSERT_FALSE(alone_fallback.ok());
  batch = store_->insertLlmCalls({mine, foreign_fallback});
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.error().message, alone_fallback.error().message);

  ASSERT_OK(store_->insertLlmCalls({mine, mine, mine}));
  auto page = store_->listLlmCalls(t1_, query());
  ASSERT_OK(page);
  EXPECT_EQ(page->total, 9);  // the six, and the three of the last batch; none of the refused ones
}

TEST_F(LlmCallsTest, DefaultSortIsNewestFirst) { EXPECT_EQ(idsOf(query()), pick({5, 4, 3, 2, 1, 0})); }

TEST_F(LlmCallsTest, SortsByEveryKeyBothWays) {
  struct Case {
    const char* key;
    std::vector<int> ascending;
  };
  // Ties (same model) fall back to id in the same direction.
  const Case cases[] = {{"timestamp", {0, 1, 2, 3, 4, 5}},    {"model", {1, 4, 5, 0, 2, 3}},
                        {"total_tokens", {1, 3, 0, 4, 2, 5}}, {"response_time_ms", {5, 3, 1, 0, 4, 2}},
                        {"cost", {2, 4, 0, 3, 5, 1}},         {"id", {0, 1, 2, 3, 4, 5}}};
  for (const Case& c : cases) {
    LlmCallQuery q = query();
    q.sort_by = c.key;
    q.descending = false;
    std::vector<Id> want;
    for (int i : c.ascending) want.push_back(ids_[i]);
    EXPECT_EQ(idsOf(q), want) << c.key << " asc";
    q.descending = true;
    std::reverse(want.begin(), want.end());
    EXPECT_EQ(idsOf(q), want) << c.key << " desc";
  }
}

TEST_F(LlmCallsTest, RejectsUnknownSortKeyNamingTheAllowedOnes) {
  LlmCallQuery q = query();
  q.sort_by = "prompt_tokens";
  auto r = store_->listLlmCalls(t1_, q);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  for (const char* k : {"timestamp", "model", "total_tokens", "response_time_ms", "cost", "id"}) {
    EXPECT_NE(r.error().message.find(k), std::string::npos) << k;
  }
  q.sort_by = "id; DROP TABLE llm_calls";
  EXPECT_CODE(store_->listLlmCalls(t1_, q), ErrorCode::kInvalidArgument);
}

TEST_F(LlmCallsTest, PagesAndRejectsBadPages) {
  LlmCallQuery q = query();
  q.sort_by = "id";
  q.descending = false;
  q.page = {2, 4};
  auto page = store_->listLlmCalls(t1_, q);
  ASSERT_OK(page);
  EXPECT_EQ(page->total, 6);
  std::vector<Id> got;
  for (auto& c : page->items) got.push_back(c.id);
  EXPECT_EQ(got, pick({4, 5}));
  for (PageRequest bad : {PageRequest{0, 10}, PageRequest{-1, 10}, PageRequest{1, 0}, PageRequest{1, 201}}) {
    q.page = bad;
    EXPECT_CODE(store_->listLlmCalls(t1_, q), ErrorCode::kInvalidArgument);
  }
}

TEST_F(LlmCallsTest, FiltersByModel) {
  LlmCallQuery q = query();
  q.model = "claude";
  q.sort_by = "id";
  q.descending = false;
  EXPECT_EQ(idsOf(q), pick({1, 4}));
  q.model = "CLAUDE";  // exact match
  EXPECT_TRUE(idsOf(q).empty());
}

TEST_F(LlmCallsTest, SearchesCaseInsensitivelyOverTextColumns) {
  LlmCallQuery q = query();
  q.sort_by = "id";
  q.descending = false;
  q.q = "LLAMA";  // model, and request_data ("hello llama")
  EXPECT_EQ(idsOf(q), pick({3}));
  q.q = "Hello";  // request_data of every call
  EXPECT_EQ(idsOf(q).size(), 6u);

  LlmCall failed = makeCall(t1_, conv_, "x-model", 1, 0, 0, 9000);
  failed.status = store::CallStatus::kFailed;
  failed.error_code = "rate_limited";
  failed.request_data = nullptr;
  failed.response_data = boost::json::object{{"error", "Slow 100% down_now"}};
  auto f = store_->insertLlmCall(failed);
  ASSERT_OK(f);
  for (const char* needle : {"FAILED", "Rate_Lim", "100% down", "down_now"}) {
    q.q = needle;
    EXPECT_EQ(idsOf(q), std::vector<Id>{f->id}) << needle;
  }
  q.q = "100%%";  // the % is literal, not a wildcard
  EXPECT_TRUE(idsOf(q).empty());
  q.q = "";
  EXPECT_EQ(idsOf(q).size(), 7u);
}

TEST_F(LlmCallsTest, DateRangeIsInclusive) {
  LlmCallQuery q = query();
  q.sort_by = "timestamp";
  q.descending = false;
  q.date_from = 2000;
  q.date_to = 4000;
  EXPECT_EQ(idsOf(q), pick({1, 2, 3}));
  q.date_from = std::nullopt;
  EXPECT_EQ(idsOf(q), pick({0, 1, 2, 3}));
  q.date_from = 5000;
  q.date_to = std::nullopt;
  EXPECT_EQ(idsOf(q), pick({4, 5}));
  q.date_to = 4999;
  EXPECT_TRUE(idsOf(q).empty());
}

TEST_F(LlmCallsTest, FiltersCombine) {
  LlmCallQuery q = query();
  q.model = "gpt-4o";
  q.date_from = 2000;
  EXPECT_EQ(idsOf(q), pick({2}));
}

TEST_F(LlmCallsTest, FiltersByExecutionAndApiKey) {
  Id ex = newExecution(t1_, wf_);
  ApiKey key;
  key.tenant_id = t1_;
  key.key_hash = "h";
  auto k = store_->createApiKey(key);
  ASSERT_OK(k);
  LlmCall c = makeCall(t1_, std::nullopt, "m", 1, 0, 0, 0);
  c.execution_id = ex;
  auto by_exec = store_->insertLlmCall(c);
  ASSERT_OK(by_exec);
  c.execution_id = std::nullopt;
  c.api_key_id = k->id;
  auto by_key = store_->insertLlmCall(c);
  ASSERT_OK(by_key);
  LlmCallQuery q;
  q.execution_id = ex;
  EXPECT_EQ(idsOf(q), std::vector<Id>{by_exec->id});
  q.execution_id = std::nullopt;
  q.api_key_id = k->id;
  EXPECT_EQ(idsOf(q), std::vector<Id>{by_key->id});
  LlmCallQuery all;
  auto everything = store_->listLlmCalls(t1_, all);
  ASSERT_OK(everything);
  EXPECT_EQ(everything->total, 10);
}

TEST_F(LlmCallsTest, TotalsOverTheSameFilters) {
  LlmCallQuery q = query();
  auto t = store_->llmCallTotals(t1_, q);
  ASSERT_OK(t);
  EXPECT_EQ(t->calls, 6);
  EXPECT_EQ(t->total_tokens, 2100);
  EXPECT_NEAR(t->total_cost, 2.7, 1e-9);
  EXPECT_NEAR(t->avg_latency_ms, 760.0 / 6, 1e-9);
  EXPECT_EQ(t->models, (std::vector<std::string>{"claude", "gemini", "gpt-4o", "llama"}));
  q.model = "claude";
  q.page = {99, 1};  // paging is ignored
  auto claude = store_->llmCallTotals(t1_, q);
  ASSERT_OK(claude);
  EXPECT_EQ(claude->calls, 2);
  EXPECT_EQ(claude->total_tokens, 500);
  q.model = "nothing";
  auto none = store_->llmCallTotals(t1_, q);
  ASSERT_OK(none);
  EXPECT_EQ(none->calls, 0);
  EXPECT_EQ(none->total_tokens, 0);
  EXPECT_TRUE(none->models.empty());
}

TEST_F(LlmCallsTest, AnotherTenantSeesNothing) {
  LlmCallQuery q = query();
  EXPECT_CODE(store_->listLlmCalls(t2_, q), ErrorCode::kNotFound);
  EXPECT_CODE(store_->llmCallTotals(t2_, q), ErrorCode::kNotFound);
  EXPECT_CODE(store_->getLlmCall(t2_, ids_[0]), ErrorCode::kNotFound);
  LlmCallQuery all;
  auto page = store_->listLlmCalls(t2_, all);
  ASSERT_OK(page);
  EXPECT_EQ(page->total, 0);
}

}  // namespace
}  // namespace codecrew::store::testing
