// The in-process execution queue: jobs run as coroutines with a bound on how
// many run at once, attempts are recorded, and recover() resumes the jobs a
// crashed process left behind.
#include "engine/execution_queue.h"
#include "engine/crew_execution_service.h"
#include "engine_fixture.h"
#include "store/store_wrapper.h"

#include <atomic>

namespace codecrew::engine::test {
namespace {

class ExecutionQueueTest : public EngineFixture {};

TEST_F(ExecutionQueueTest, RunsJobsAndRecordsAttempts) {
  auto engine = makeEngine();
  boost::asio::io_context io;
  std::vector<core::Id> finished;
  InProcessExecutionQueue queue(io.get_executor(), engine, store_, clock_, "test-worker", 2,
                                [&](core::Id id, const core::Result<RunOutcome>& r) {
                                  EXPECT_TRUE(r.ok());
                                  finished.push_back(id);
                                });
  std::vector<core::Id> execs;
  for (int i = 0; i < 3; ++i) {
    execs.push_back(newExecution("testcrew", "job " + std::to_string(i), "repo" + std::to_string(i)));
    ASSERT_TRUE(queue.enqueue(tenant_, execs.back()).ok());
  }
  io.run();
  EXPECT_EQ(finished.size(), 3u);
  EXPECT_EQ(queue.running(), 0);
  EXPECT_EQ(provider_->calls.load(), 24);
  for (auto id : execs) {
    EXPECT_EQ(execution(id).status, store::RunStatus::kCompleted);
    auto job = store_->getJobForExecution(tenant_, id).value();
    EXPECT_EQ(job.status, store::JobStatus::kSucceeded);
    EXPECT_EQ(job.attempts, 1);
    auto attempts = store_->listJobAttempts(tenant_, job.id).value();
    ASSERT_EQ(attempts.size(), 1u);
    EXPECT_EQ(attempts[0].status, store::AttemptStatus::kSucceeded);
    EXPECT_EQ(attempts[0].worker, "test-worker");
  }
  EXPECT_FALSE(queue.enqueue(tenant_, 9999).ok());
}

TEST_F(ExecutionQueueTest, RecoverResumesJobsLeftByACrashedProcess) {
  auto exec = newExecution();
  {
    int n = 0;
    auto crashing = makeEngine([&](const std::string& at) { return at == "after_tools" && ++n == 2; });
    boost::asio::io_context io;
    InProcessExecutionQueue queue(io.get_executor(), crashing, store_, clock_, "first", 1);
    ASSERT_TRUE(queue.enqueue(tenant_, exec).ok());
    io.run();
  }
  int paid = provider_->calls.load();
  auto job = store_->getJobForExecution(tenant_, exec).value();
  // A run that stopped on something passing (the simulated crash is
  // kUnavailable) leaves its job queued for another attempt.
  EXPECT_EQ(job.status, store::JobStatus::kQueued);
  EXPECT_EQ(execution(exec).status, store::RunStatus::kRunning);
  job.status = store::JobStatus::kRunning;  // what a kill -9 leaves behind: the job never got its end
  ASSERT_TRUE(store_->updateJob(job).ok());

  auto engine = makeEngine();
  boost::asio::io_context io;
  InProcessExecutionQueue queue(io.get_executor(), engine, store_, clock_, "second", 1);
  auto recovered = queue.recover();
  ASSERT_TRUE(recovered.ok());
  EXPECT_EQ(*recovered, 1);
  io.run();
  EXPECT_EQ(execution(exec).status, store::RunStatus::kCompleted);
  EXPECT_EQ(paid + provider_->calls.load(), 8);
  auto attempts = store_->listJobAttempts(tenant_, job.id).value();
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[1].worker, "second");
  EXPECT_EQ(store_->getJobForExecution(tenant_, exec)->attempts, 2);
}

// The queue's view of the store in a process that kill -9 ends: once
// `dead`, the writes that would record how the run ended (the job, its
// attempt, a failed execution) never land, so the job stays "running", as a
// real kill leaves it.
class DyingStore final : public store::StoreWrapper {
 public:
  using StoreWrapper::StoreWrapper;
  core::Result<store::ExecutionJob> updateJob(const store::ExecutionJob& job) override {
    if (dead) return job;
    return StoreWrapper::updateJob(job);
  }
  core::Result<store::JobAttempt> updateJobAttempt(const store::JobAttempt& attempt) override {
    if (dead) return attempt;
    return StoreWrapper::updateJobAttempt(attempt);
  }
  core::Status transact(const std::function<core::Status(store::Store&)>& fn) override {
    if (dead) return core::okStatus();  // e.g. marking the execution failed
    return StoreWrapper::transact(fn);
  }
  std::atomic<bool> dead{false};
};

// Killed mid-run again and again: each restart's recover() tries the job
// once more until max_attempts, and then fails it; the counter never passes
// the maximum.
TEST_F(ExecutionQueueTest, RepeatedCrashRecoveryNeverPassesMaxAttempts) {
  auto exec = newExecution();
  auto dying = std::make_shared<DyingStore>(store_);
  const int max_attempts = store_->getJobForExecution(tenant_, exec)->max_attempts;
  for (int restart = 0; restart < max_attempts + 2; ++restart) {
    dying->dead = false;  // a new process
    auto crashing = makeEngine([&](const std::string& at) {
      if (at != "after_tools") return false;
      dying->dead = true;  // killed here
      return true;
    });
    boost::asio::io_context io;
    InProcessExecutionQueue queue(io.get_executor(), crashing, dying, clock_, "w" + std::to_string(restart), 1);
    if (restart == 0) {
      ASSERT_TRUE(queue.enqueue(tenant_, exec).ok());
    } else {
      ASSERT_TRUE(queue.recover().ok());
    }
    io.run();
    auto job = store_->getJobForExecution(tenant_, exec).value();
    EXPECT_LE(job.attempts, job.max_attempts) << "after restart " << restart;
  }
  auto job = store_->getJobForExecution(tenant_, exec).value();
  EXPECT_EQ(job.attempts, max_attempts);
  EXPECT_EQ(job.status, store::JobStatus::kFailed);
  EXPECT_EQ(store_->listJobAttempts(tenant_, job.id)->size(), static_cast<std::size_t>(max_attempts));
  EXPECT_EQ(execution(exec).status, store::RunStatus::kFailed);
  EXPECT_NE(execution(exec).error.find("gave up after 3 attempts"), std::string::npos) << execution(exec).error;
  // Failed, it is not picked up again.
  auto engine = makeEngine();
  boost::asio::io_context io;
  InProcessExecutionQueue queue(io.get_executor(), engine, store_, clock_, "later", 1);
  EXPECT_EQ(queue.recover().value(), 0);
}

// A checkpoint that does not load (corrupt, or of an unknown shape) fails
// its execution with the reason at once: its job ends, its slot goes to the
// next execution, and recovery does not pick it up again.
TEST_F(ExecutionQueueTest, ExecutionsWhoseCheckpointCannotLoadFailAndFreeTheirSlots) {
  auto engine = makeEngine();
  // 64 executions whose checkpoints do not load (a stage that does not
  // exist, another version), queued ahead of a healthy one, 4 slots.
  std::vector<core::Id> broken;
  for (int i = 0; i < 64; ++i) {
    broken.push_back(newExecution("testcrew", "broken", "repo-b" + std::to_string(i)));
    auto e = execution(broken.back());
    e.checkpoint = i % 2 ? boost::json::value(boost::json::object{{"version", 99}})
                         : boost::json::value(
                               boost::json::object{{"lifecycle", boost::json::object{{"current", "NOWHERE"}}}});
    ASSERT_TRUE(store_->updateExecution(e).ok());
  }
  auto healthy = newExecution("testcrew", "healthy", "repo-h");
  boost::asio::io_context io;
  InProcessExecutionQueue queue(io.get_executor(), engine, store_, clock_, "w", 4);
  for (auto id : broken) ASSERT_TRUE(queue.enqueue(tenant_, id).ok());
  ASSERT_TRUE(queue.enqueue(tenant_, healthy).ok());
  io.run();
  for (auto id : broken) {
    auto failed = execution(id);
    EXPECT_EQ(failed.status, store::RunStatus::kFailed);
    EXPECT_NE(failed.error.find("checkpoint"), std::string::npos) << failed.error;
    EXPECT_EQ(store_->getJobForExecution(tenant_, id)->status, store::JobStatus::kFailed);
  }
  EXPECT_EQ(execution(healthy).status, store::RunStatus::kCompleted);
  EXPECT_EQ(queue.running(), 0);
  EXPECT_EQ(*queue.recover(), 0) << "nothing is left for a restart to jam on";
}

// Cancelling a running execution gives its slot to the next one at once
// (the run stops by itself at its next step and writes nothing more).
TEST_F(ExecutionQueueTest, CancelGivesARunningExecutionsSlotToTheNext) {
  auto engine = makeEngine();
  boost::asio::io_context io;
  auto queue = std::make_shared<InProcessExecutionQueue>(io.get_executor(), engine, store_, clock_, "w", 1);
  CrewExecutionService service(store_, clock_, engine, queue, crews_);
  auto first = newExecution("testcrew", "first", "repo-a");
  auto second = newExecution("testcrew", "second", "repo-b");
  int waiting_before = -1, waiting_after = -1;
  script_ = [&](const std::string& agent, const std::string& step, int index) -> Turn {
    if (agent == "dev" && waiting_before < 0) {
      waiting_before = queue->waiting();
      EXPECT_TRUE(service.cancel(tenant_, first, std::nullopt).ok());
      waiting_after = queue->waiting();
    }
    return defaultTurn(agent, step, index);
  };
  ASSERT_TRUE(queue->enqueue(tenant_, first).ok());
  ASSERT_TRUE(queue->enqueue(tenant_, second).ok());
  io.run();
  EXPECT_EQ(waiting_before, 1);
  EXPECT_EQ(waiting_after, 0);
  EXPECT_EQ(execution(first).status, store::RunStatus::kCancelled);
  EXPECT_EQ(store_->getJobForExecution(tenant_, first)->status, store::JobStatus::kCancelled);
  EXPECT_EQ(execution(second).status, store::RunStatus::kCompleted);
  EXPECT_EQ(queue->running(), 0);
}

}  // namespace
}  // namespace codecrew::engine::test
