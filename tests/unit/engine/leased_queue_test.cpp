// LeasedExecutionQueue: workers sharing one database's queue (on SQLite
// here; the store tests cover the claims on PostgreSQL too). Each execution
// runs once to its end whichever worker claims it, a job whose lease
// expired is taken over and finished, and a run under a lost lease writes
// nothing.
#include "engine/fenced_store.h"
#include "engine/leased_execution_queue.h"
#include "engine_fixture.h"

#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <thread>

namespace codecrew::engine::test {
namespace {

class LeasedQueueTest : public EngineFixture {
 protected:
  std::shared_ptr<LeasedExecutionQueue> worker(const std::string& name, std::shared_ptr<CrewEngine> engine,
                                               std::chrono::milliseconds heartbeat = std::chrono::milliseconds(50)) {
    LeaseSettings settings;
    settings.worker = name;
    settings.max_running = 2;
    settings.heartbeat = heartbeat;
    settings.timeout = std::chrono::milliseconds(60'000);
    settings.poll = std::chrono::milliseconds(20);
    return std::make_shared<LeasedExecutionQueue>(pool_.get_executor(), std::move(engine), store_, clock_, settings);
  }

  // Waits (in real time) until every execution has ended.
  bool awaitEnded(const std::vector<core::Id>& ids) {
    for (int i = 0; i < 1500; ++i) {
      bool all = true;
      for (core::Id id : ids) {
        auto s = execution(id).status;
        all &= s == store::RunStatus::kCompleted || s == store::RunStatus::kFailed;
      }
      if (all) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  boost::asio::thread_pool pool_{2};
};

TEST_F(LeasedQueueTest, TwoWorkersRunEveryExecutionOnceToItsEnd) {
  // One uninterrupted run, for the number of model calls an execution takes.
  core::Id reference = newExecution("testcrew", "two files", "reference");
  auto solo = makeEngine();
  auto ran = run(*solo, reference);
  ASSERT_TRUE(ran.ok()) << ran.error().message;
  ASSERT_EQ(*ran, RunOutcome::kCompleted);
  const int calls_per_run = provider_->calls;

  std::vector<core::Id> ids;
  for (int i = 0; i < 4; ++i) ids.push_back(newExecution("testcrew", "two files", "w" + std::to_string(i)));
  auto a = worker("worker-a", makeEngine());
  auto provider_a = provider_;
  auto b = worker("worker-b", makeEngine());
  auto provider_b = provider_;
  a->start();
  b->start();
  ASSERT_TRUE(awaitEnded(ids));
  a->stop();
  b->stop();
  a->waitIdle();
  b->waitIdle();
  for (core::Id id : ids) {
    EXPECT_EQ(execution(id).status, store::RunStatus::kCompleted) << execution(id).error;
    auto job = store_->getJobForExecution(tenant_, id);
    ASSERT_TRUE(job.ok());
    EXPECT_EQ(job->status, store::JobStatus::kSucceeded);
    EXPECT_EQ(job->lease_owner, "");
    auto attempts = store_->listJobAttempts(tenant_, job->id);
    ASSERT_TRUE(attempts.ok());
    ASSERT_EQ(attempts->size(), 1u);
    EXPECT_EQ(attempts->front().status, store::AttemptStatus::kSucceeded);
  }
  EXPECT_EQ(provider_a->calls + provider_b->calls, calls_per_run * static_cast<int>(ids.size()));
}

TEST_F(LeasedQueueTest, AnExpiredLeaseIsTakenOverAndTheRunFinishes) {
  core::Id id = newExecution();
  // A worker claimed it and died: its lease runs out on the store's clock.
  auto dead = store_->claimNextJob("worker-dead", 1'000);
  ASSERT_TRUE(dead.ok() && dead->has_value());
  const auto dead_epoch = (*dead)->epoch;
  clock_->advance(std::chrono::seconds(5));
  auto w = worker("worker-b", makeEngine());
  w->start();
  ASSERT_TRUE(awaitEnded({id}));
  w->stop();
  w->waitIdle();
  EXPECT_EQ(execution(id).status, store::RunStatus::kCompleted) << execution(id).error;
  auto job = store_->getJobForExecution(tenant_, id);
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(job->status, store::JobStatus::kSucceeded);
  EXPECT_EQ(job->attempts, 2);
  // The dead worker's lease fences nothing any more.
  FencedStore zombie(store_, job->id, dead_epoch);
  auto exec = execution(id);
  exec.error = "written by a zombie";
  auto refused = zombie.updateExecution(exec);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_EQ(execution(id).error, "");
  store::Event e;
  e.tenant_id = tenant_;
  e.workflow_id = workflow_;
  e.execution_id = id;
  e.type = "zombie";
  EXPECT_FALSE(zombie.appendEvent(e).ok());
  auto events = store_->listEvents(tenant_, workflow_, 0, 1000);
  ASSERT_TRUE(events.ok());
  for (const auto& ev : *events) EXPECT_NE(ev.type, "zombie");
}

TEST_F(LeasedQueueTest, ARunThatLosesItsLeaseStopsAndWritesNothingMore) {
  core::Id id = newExecution();
  // No heartbeat of its own comes between the clock's jump and the other
  // worker's claim (it would renew the lease from the jumped clock).
  auto w = worker("worker-a", makeEngine(), std::chrono::hours(1));
  // While its first model call is in flight, another worker takes the job
  // over (as if this one had stalled past the timeout).
  std::atomic<bool> stolen{false};
  std::string checkpoint_at_takeover;
  std::size_t events_at_takeover = 0;
  script_ = [&](const std::string& agent, const std::string& step, int index) {
    if (!stolen.load()) {
      clock_->advance(std::chrono::minutes(10));
      auto other = store_->claimNextJob("worker-b", 600'000);
      EXPECT_TRUE(other.ok() && other->has_value());
      checkpoint_at_takeover = boost::json::serialize(execution(id).checkpoint);
      events_at_takeover = store_->listEvents(tenant_, workflow_, 0, 1000).value().size();
      stolen = true;
    }
    return defaultTurn(agent, step, index);
  };
  w->start();
  for (int i = 0; i < 500 && !(stolen && w->running() == 0); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  w->stop();
  w->waitIdle();
  ASSERT_TRUE(stolen.load());
  auto job = store_->getJobForExecution(tenant_, id);
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(job->lease_owner, "worker-b");  // worker-a ended nothing
  EXPECT_EQ(job->status, store::JobStatus::kRunning);
  auto exec = execution(id);
  EXPECT_NE(exec.status, store::RunStatus::kCompleted);
  // Nothing worker-a did after the takeover was kept: no step committed, no event.
  EXPECT_EQ(boost::json::serialize(exec.checkpoint), checkpoint_at_takeover);
  EXPECT_EQ(store_->listEvents(tenant_, workflow_, 0, 1000).value().size(), events_at_takeover);
}

TEST_F(LeasedQueueTest, HandedBackLeasesAreTakenAtOnceAndTheOldRunIsFencedOut) {
  core::Id id = newExecution();
  auto a = worker("worker-a", makeEngine());
  // Worker a shuts down while its first model call is in flight.
  std::atomic<int> handed{-1};
  script_ = [&](const std::string& agent, const std::string& step, int index) {
    if (handed.load() < 0) {
      a->stop();  // no new claims
      handed = a->handBack();
    }
    return defaultTurn(agent, step, index);
  };
  a->start();
  for (int i = 0; i < 500 && !(handed.load() >= 0 && a->running() == 0); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  a->stop();
  a->waitIdle();
  EXPECT_EQ(handed.load(), 1);
  auto job = store_->getJobForExecution(tenant_, id);
  ASSERT_TRUE(job.ok());
  EXPECT_EQ(job->status, store::JobStatus::kQueued);  // runnable now, not after a timeout
  EXPECT_EQ(job->lease_owner, "");
  EXPECT_EQ(job->attempts, 0);  // the interrupted attempt does not count
  script_ = defaultTurn;
  auto b = worker("worker-b", makeEngine());
  b->start();
  ASSERT_TRUE(awaitEnded({id}));
  b->stop();
  b->waitIdle();
  EXPECT_EQ(execution(id).status, store::RunStatus::kCompleted) << execution(id).error;
}

}  // namespace
}  // namespace codecrew::engine::test
