// listWorkflowLlmCalls and the workflow_id / agent filters of LlmCallQuery:
// every call of a workflow's executions and conversations with its agent,
// never another workflow's or tenant's.
#include "store_fixture.h"

namespace codecrew::store::testing {
namespace {

class WorkflowLlmCallsTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    wf_ = newWorkflow(t1_, "mine");
    exec1_ = newExecution(t1_, wf_);
    exec2_ = newExecution(t1_, wf_);
    planner_ = conversation(wf_, exec1_, "planner");
    developer_ = conversation(wf_, exec2_, "developer");
    // exec1: 3 planner calls; exec2: 2 developer calls and one with no conversation.
    for (int i = 0; i < 3; ++i) add(planner_, exec1_, "gpt-4o", 100 + i, 1000 + i);
    for (int i = 0; i < 2; ++i) add(developer_, exec2_, "claude", 200 + i, 2000 + i);
    add(std::nullopt, exec2_, "claude", 50, 3000);
    // Elsewhere: another workflow of the tenant, and another tenant.
    Id other = newWorkflow(t1_, "other");
    Id other_exec = newExecution(t1_, other);
    add(conversation(other, other_exec, "planner"), other_exec, "gpt-4o", 999, 1500);
    Id foreign = newWorkflow(t2_, "foreign");
    LlmCall f = makeCall(t2_, std::nullopt, "gpt-4o", 7, 0.7, 1, 1500);
    f.execution_id = newExecution(t2_, foreign);
    ASSERT_OK(store_->insertLlmCall(f));
    foreign_ = foreign;
  }

  Id conversation(Id workflow, Id execution, const std::string& agent) {
    Conversation c;
    c.tenant_id = t1_;
    c.workflow_id = workflow;
    c.execution_id = execution;
    c.agent = agent;
    auto r = store_->createConversation(c);
    EXPECT_TRUE(r.ok());
    return r.ok() ? r->id : 0;
  }

  void add(std::optional<Id> conv, Id execution, const std::string& model, std::int64_t tokens, Millis ts) {
    LlmCall c = makeCall(t1_, conv, model, tokens, double(tokens) / 1000, 10, ts);
    c.execution_id = execution;
    ASSERT_OK(store_->insertLlmCall(c));
  }

  LlmCallQuery query() {
    LlmCallQuery q;
    q.page.page_size = 50;
    q.sort_by = "total_tokens";
    q.descending = false;
    return q;
  }

  Id wf_ = 0, exec1_ = 0, exec2_ = 0, planner_ = 0, developer_ = 0, foreign_ = 0;
};

TEST_F(WorkflowLlmCallsTest, EveryCallOfTheWorkflowWithItsAgent) {
  auto page = store_->listWorkflowLlmCalls(t1_, wf_, query());
  ASSERT_OK(page);
  EXPECT_EQ(page->total, 6);
  ASSERT_EQ(page->items.size(), 6u);
  std::vector<std::int64_t> tokens;
  for (const auto& c : page->items) tokens.push_back(c.call.total_tokens);
  EXPECT_EQ(tokens, (std::vector<std::int64_t>{50, 100, 101, 102, 200, 201}));
  EXPECT_EQ(page->items[0].agent, "");  // no conversation
  EXPECT_EQ(page->items[1].agent, "planner");
  EXPECT_EQ(page->items[1].call.conversation_id, planner_);
  EXPECT_EQ(page->items[1].call.execution_id, exec1_);
  EXPECT_EQ(page->items[5].agent, "developer");
}

TEST_F(WorkflowLlmCallsTest, ExecutionAndAgentFiltersCombineWithTheOthers) {
  auto q = query();
  q.execution_id = exec2_;
  auto page = store_->listWorkflowLlmCalls(t1_, wf_, q);
  ASSERT_OK(page);
  EXPECT_EQ(page->total, 3);
  q.agent = "developer";
  page = store_->listWorkflowLlmCalls(t1_, wf_, q);
  ASSERT_OK(page);
  EXPECT_EQ(page->total, 2);
  q.execution_id.reset();
  q.agent = "planner";
  q.model = "gpt-4o";
  q.page.page_size = 2;
  q.page.page = 2;
  page = store_->listWorkflowLlmCalls(t1_, wf_, q);
  ASSERT_OK(page);
  EXPECT_EQ(page->total, 3);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].call.total_tokens, 102);
  q.agent = "nobody";
  page = store_->listWorkflowLlmCalls(t1_, wf_, q);
  ASSERT_OK(page);
  EXPECT_EQ(page->total, 0);
}

TEST_F(WorkflowLlmCallsTest, TotalsOverTheWorkflow) {
  LlmCallQuery q;
  q.workflow_id = wf_;
  auto totals = store_->llmCallTotals(t1_, q);
  ASSERT_OK(totals);
  EXPECT_EQ(totals->calls, 6);
  EXPECT_EQ(totals->total_tokens, 50 + 100 + 101 + 102 + 200 + 201);
  EXPECT_EQ(totals->models, (std::vector<std::string>{"claude", "gpt-4o"}));
  q.agent = "planner";
  totals = store_->llmCallTotals(t1_, q);
  ASSERT_OK(totals);
  EXPECT_EQ(totals->calls, 3);
}

TEST_F(WorkflowLlmCallsTest, OtherTenantsWorkflowOrAnotherWorkflowsExecutionIsNotFound) {
  EXPECT_CODE(store_->listWorkflowLlmCalls(t2_, wf_, query()), ErrorCode::kNotFound);
  EXPECT_CODE(store_->listWorkflowLlmCalls(t1_, foreign_, query()), ErrorCode::kNotFound);
  EXPECT_CODE(store_->listWorkflowLlmCalls(t1_, 987654, query()), ErrorCode::kNotFound);
  auto q = query();
  Id other_wf = newWorkflow(t1_, "third");
  q.execution_id = newExecution(t1_, other_wf);
  EXPECT_CODE(store_->listWorkflowLlmCalls(t1_, wf_, q), ErrorCode::kNotFound);
  auto bad = query();
  bad.sort_by = "agent";
  EXPECT_CODE(store_->listWorkflowLlmCalls(t1_, wf_, bad), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace codecrew::store::testing
