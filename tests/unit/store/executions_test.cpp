#include "store_fixture.h"

#include <map>

namespace codecrew::store::testing {
namespace {

class ExecutionsTest : public StoreTest {};

TEST_F(ExecutionsTest, CreateMakesAPendingExecutionAndItsQueuedJob) {
  Id wf = newWorkflow(t1_);
  auto r = store_->createExecution(t1_, wf, std::nullopt, boost::json::object{{"crew", "sdlc"}});
  ASSERT_OK(r);
  EXPECT_TRUE(r->created);
  const Execution& e = r->value;
  EXPECT_EQ(e.workflow_id, wf);
  EXPECT_EQ(e.status, store::RunStatus::kPending);
  EXPECT_EQ(e.stage, store::Stage::kNew);
  EXPECT_FALSE(e.started_at.has_value());
  EXPECT_TRUE(e.models.is_array());
  EXPECT_EQ(e.meta.at("crew").as_string(), "sdlc");
  EXPECT_FALSE(e.idempotency_key.has_value());
  auto job = store_->getJobForExecution(t1_, e.id);
  ASSERT_OK(job);
  EXPECT_EQ(job->status, store::JobStatus::kQueued);
  EXPECT_EQ(job->idempotency_key, "exec-" + std::to_string(e.id));
  EXPECT_EQ(job->attempts, 0);
  EXPECT_EQ(job->max_attempts, 3);
}

TEST_F(ExecutionsTest, CreateIsIdempotentOnKeyPerWorkflow) {
  Id wf = newWorkflow(t1_);
  Id other_wf = newWorkflow(t1_, "other");
  auto first = store_->createExecution(t1_, wf, std::string("k1"), nullptr);
  ASSERT_OK(first);
  EXPECT_TRUE(first->created);
  EXPECT_EQ(first->value.idempotency_key, std::optional<std::string>("k1"));
  auto again = store_->createExecution(t1_, wf, std::string("k1"), nullptr);
  ASSERT_OK(again);
  EXPECT_FALSE(again->created);
  EXPECT_EQ(again->value.id, first->value.id);
  auto elsewhere = store_->createExecution(t1_, other_wf, std::string("k1"), nullptr);
  ASSERT_OK(elsewhere);
  EXPECT_TRUE(elsewhere->created);
  auto job = store_->getJobForExecution(t1_, first->value.id);
  ASSERT_OK(job);
  EXPECT_EQ(job->idempotency_key, "wf" + std::to_string(wf) + ":k1");
  auto list = store_->listExecutions(t1_, wf, {});
  ASSERT_OK(list);
  EXPECT_EQ(list->total, 1);
  EXPECT_CODE(store_->createExecution(t1_, wf, std::string(""), nullptr), ErrorCode::kInvalidArgument);
}

TEST_F(ExecutionsTest, CreateNeedsTheTenantsWorkflow) {
  Id wf = newWorkflow(t1_);
  EXPECT_CODE(store_->createExecution(t1_, 777, std::nullopt, nullptr), ErrorCode::kNotFound);
  EXPECT_CODE(store_->createExecution(t2_, wf, std::nullopt, nullptr), ErrorCode::kNotFound);
}

TEST_F(ExecutionsTest, GetAndList) {
  Id wf = newWorkflow(t1_);
  Id other = newWorkflow(t1_, "other");
  Id e1 = newExecution(t1_, wf);
  Id e2 = newExecution(t1_, wf);
  newExecution(t1_, other);
  auto got = store_->getExecution(t1_, wf, e1);
  ASSERT_OK(got);
  EXPECT_EQ(got->id, e1);
  EXPECT_CODE(store_->getExecution(t1_, other, e1), ErrorCode::kNotFound);
  ASSERT_OK(store_->getExecutionById(t1_, e2));
  auto list = store_->listExecutions(t1_, wf, {1, 1});
  ASSERT_OK(list);
  EXPECT_EQ(list->total, 2);
  ASSERT_EQ(list->items.size(), 1u);
  EXPECT_EQ(list->items[0].id, e2);
  EXPECT_CODE(store_->listExecutions(t1_, 4444, {}), ErrorCode::kNotFound);
}

TEST_F(ExecutionsTest, LatestExecutionsGivesEachWorkflowsNewestInOneCall) {
  Id busy = newWorkflow(t1_);
  Id once = newWorkflow(t1_, "once");
  Id never = newWorkflow(t1_, "never");
  Id foreign = newWorkflow(t2_, "foreign");
  newExecution(t1_, busy);
  Id busy_newest = newExecution(t1_, busy);
  Id once_only = newExecution(t1_, once);
  newExecution(t2_, foreign);
  auto latest = store_->latestExecutions(t1_, {busy, once, never, foreign, 4444});
  ASSERT_OK(latest);
  std::map<Id, Id> newest;
  for (const auto& e : *latest) newest.emplace(e.workflow_id, e.id);
  EXPECT_EQ(newest, (std::map<Id, Id>{{busy, busy_newest}, {once, once_only}}));
  auto none = store_->latestExecutions(t1_, {});
  ASSERT_OK(none);
  EXPECT_TRUE(none->empty());
}

TEST_F(ExecutionsTest, UpdateWritesTheMutableFields) {
  Id wf = newWorkflow(t1_);
  auto e = store_->getExecutionById(t1_, newExecution(t1_, wf));
  ASSERT_OK(e);
  Execution changed = *e;
  changed.status = store::RunStatus::kFailed;
  changed.stage = store::Stage::kFailed;
  changed.started_at = 100;
  changed.finished_at = 200;
  changed.total_calls = 3;
  changed.total_tokens = 300;
  changed.total_cost = 1.25;
  changed.avg_latency_ms = 42.5;
  changed.models = boost::json::array{"gpt-4o"};
  changed.meta = boost::json::object{{"prompt_hash", "abc"}};
  changed.error = "budget exceeded";
  changed.workflow_id = 99999;  // not writable
  clock_->advance(std::chrono::seconds(1));
  auto r = store_->updateExecution(changed);
  ASSERT_OK(r);
  EXPECT_EQ(r->status, store::RunStatus::kFailed);
  EXPECT_EQ(r->stage, store::Stage::kFailed);
  EXPECT_EQ(r->started_at, std::optional<Millis>(100));
  EXPECT_EQ(r->finished_at, std::optional<Millis>(200));
  EXPECT_EQ(r->total_calls, 3);
  EXPECT_EQ(r->total_tokens, 300);
  EXPECT_DOUBLE_EQ(r->total_cost, 1.25);
  EXPECT_DOUBLE_EQ(r->avg_latency_ms, 42.5);
  EXPECT_EQ(r->models, (boost::json::value(boost::json::array{"gpt-4o"})));
  EXPECT_EQ(r->meta.at("prompt_hash").as_string(), "abc");
  EXPECT_EQ(r->error, "budget exceeded");
  EXPECT_EQ(r->workflow_id, wf);
  EXPECT_EQ(r->updated_at, clock_->nowMillis());

  changed.status = store::RunStatus::kRunning;
  changed.tenant_id = t2_;
  EXPECT_CODE(store_->updateExecution(changed), ErrorCode::kNotFound);
}

TEST_F(ExecutionsTest, RefreshTotalsSumsTheExecutionsCalls) {
  Id wf = newWorkflow(t1_);
  Id ex = newExecution(t1_, wf);
  Id other = newExecution(t1_, wf);
  auto none = store_->refreshExecutionTotals(t1_, ex);
  ASSERT_OK(none);
  EXPECT_EQ(none->total_calls, 0);
  EXPECT_DOUBLE_EQ(none->avg_latency_ms, 0);
  for (auto [model, tokens, cost, latency] :
       {std::tuple{"b-model", 100, 0.5, 10.0}, std::tuple{"a-model", 50, 0.25, 30.0},
        std::tuple{"b-model", 10, 0.25, 20.0}}) {
    LlmCall c = makeCall(t1_, std::nullopt, model, tokens, cost, latency, 0);
    c.execution_id = ex;
    ASSERT_OK(store_->insertLlmCall(c));
  }
  LlmCall unrelated = makeCall(t1_, std::nullopt, "z-model", 1000, 9, 1000, 0);
  unrelated.execution_id = other;
  ASSERT_OK(store_->insertLlmCall(unrelated));
  auto r = store_->refreshExecutionTotals(t1_, ex);
  ASSERT_OK(r);
  EXPECT_EQ(r->total_calls, 3);
  EXPECT_EQ(r->total_tokens, 160);
  EXPECT_DOUBLE_EQ(r->total_cost, 1.0);
  EXPECT_DOUBLE_EQ(r->avg_latency_ms, 20.0);
  EXPECT_EQ(r->models, (boost::json::value(boost::json::array{"a-model", "b-model"})));
  auto stored = store_->getExecutionById(t1_, ex);
  ASSERT_OK(stored);
  EXPECT_EQ(stored->total_tokens, 160);
  EXPECT_CODE(store_->refreshExecutionTotals(t2_, ex), ErrorCode::kNotFound);
}

TEST_F(ExecutionsTest, JobsAndAttempts) {
  Id wf = newWorkflow(t1_);
  Id ex = newExecution(t1_, wf);
  auto job = store_->getJobForExecution(t1_, ex);
  ASSERT_OK(job);
  ExecutionJob j = *job;
  j.status = store::JobStatus::kRunning;
  j.attempts = 1;
  j.lease_owner = "worker-1";
  j.lease_expires_at = 5000;
  auto updated = store_->updateJob(j);
  ASSERT_OK(updated);
  EXPECT_EQ(updated->status, store::JobStatus::kRunning);
  EXPECT_EQ(updated->lease_owner, "worker-1");
  EXPECT_EQ(updated->lease_expires_at, std::optional<Millis>(5000));
  j.max_attempts = 0;
  EXPECT_CODE(store_->updateJob(j), ErrorCode::kInvalidArgument);

  JobAttempt a;
  a.tenant_id = t1_;
  a.job_id = j.id;
  a.worker = "worker-1";
  auto first = store_->addJobAttempt(a);
  ASSERT_OK(first);
  EXPECT_EQ(first->attempt_no, 1);
  EXPECT_EQ(first->started_at, clock_->nowMillis());
  auto second = store_->addJobAttempt(a);
  ASSERT_OK(second);
  EXPECT_EQ(second->attempt_no, 2);
  a.attempt_no = 2;
  EXPECT_CODE(store_->addJobAttempt(a), ErrorCode::kAlreadyExists);

  JobAttempt done = *first;
  done.status = store::AttemptStatus::kFailed;
  done.finished_at = 900;
  done.error = "timeout";
  auto u = store_->updateJobAttempt(done);
  ASSERT_OK(u);
  EXPECT_EQ(u->status, store::AttemptStatus::kFailed);
  EXPECT_EQ(u->error, "timeout");
  EXPECT_EQ(u->finished_at, std::optional<Millis>(900));

  auto list = store_->listJobAttempts(t1_, j.id);
  ASSERT_OK(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].status, store::AttemptStatus::kFailed);
  EXPECT_EQ((*list)[1].attempt_no, 2);

  Id ex2 = newExecution(t2_, newWorkflow(t2_));
  auto running = store_->listJobsByStatus(store::JobStatus::kRunning);
  ASSERT_OK(running);
  ASSERT_EQ(running->size(), 1u);
  EXPECT_EQ((*running)[0].execution_id, ex);
  auto queued = store_->listJobsByStatus(store::JobStatus::kQueued);
  ASSERT_OK(queued);
  ASSERT_EQ(queued->size(), 1u);  // across tenants
  EXPECT_EQ((*queued)[0].execution_id, ex2);
}

}  // namespace
}  // namespace codecrew::store::testing

namespace codecrew::store::testing {
namespace {

// The check against max_attempts and the increment are one step: claims
// stop at the maximum, change nothing when refused, and number attempts
// after the last one even when the count was reset.
TEST_F(ExecutionsTest, ClaimingAnAttemptNeverPassesMaxAttempts) {
  Id wf = newWorkflow(t1_);
  Id ex = newExecution(t1_, wf);
  for (int n = 1; n <= 3; ++n) {
    auto claimed = store_->claimJobAttempt(t1_, ex, "w" + std::to_string(n));
    ASSERT_OK(claimed);
    EXPECT_EQ(claimed->attempt_no, n);
    EXPECT_EQ(claimed->worker, "w" + std::to_string(n));
    auto job = store_->getJobForExecution(t1_, ex);
    EXPECT_EQ(job->attempts, n);
    EXPECT_EQ(job->status, JobStatus::kRunning);
  }
  EXPECT_CODE(store_->claimJobAttempt(t1_, ex, "w4"), ErrorCode::kResourceExhausted);
  auto job = store_->getJobForExecution(t1_, ex);
  EXPECT_EQ(job->attempts, 3);
  EXPECT_EQ(job->lease_owner, "w3");
  EXPECT_EQ(store_->listJobAttempts(t1_, job->id)->size(), 3u);

  ExecutionJob reset = *job;  // a clean pause starts a fresh count
  reset.attempts = 0;
  ASSERT_OK(store_->updateJob(reset));
  auto next = store_->claimJobAttempt(t1_, ex, "w5");
  ASSERT_OK(next);
  EXPECT_EQ(next->attempt_no, 4);
  EXPECT_CODE(store_->claimJobAttempt(t2_, ex, "other"), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace codecrew::store::testing
