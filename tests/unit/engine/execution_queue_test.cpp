// The in-process execution queue: jobs run as coroutines with a bound on how
// many run at once, attempts are recorded, and recover() resumes the jobs a
// crashed process left behind.
#include "engine/execution_queue.h"
#include "engine_fixture.h"

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
    EXPECT_EQ(execution(id).status, "completed");
    auto job = store_->getJobForExecution(tenant_, id).value();
    EXPECT_EQ(job.status, "succeeded");
    EXPECT_EQ(job.attempts, 1);
    auto attempts = store_->listJobAttempts(tenant_, job.id).value();
    ASSERT_EQ(attempts.size(), 1u);
    EXPECT_EQ(attempts[0].status, "succeeded");
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
  EXPECT_EQ(job.status, "failed");
  job.status = "running";  // what a kill -9 leaves behind: the job never got its end
  ASSERT_TRUE(store_->updateJob(job).ok());

  auto engine = makeEngine();
  boost::asio::io_context io;
  InProcessExecutionQueue queue(io.get_executor(), engine, store_, clock_, "second", 1);
  auto recovered = queue.recover();
  ASSERT_TRUE(recovered.ok());
  EXPECT_EQ(*recovered, 1);
  io.run();
  EXPECT_EQ(execution(exec).status, "completed");
  EXPECT_EQ(paid + provider_->calls.load(), 8);
  auto attempts = store_->listJobAttempts(tenant_, job.id).value();
  ASSERT_EQ(attempts.size(), 2u);
  EXPECT_EQ(attempts[1].worker, "second");
  EXPECT_EQ(store_->getJobForExecution(tenant_, exec)->attempts, 2);
}

}  // namespace
}  // namespace codecrew::engine::test
