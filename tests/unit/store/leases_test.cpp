// The shared job queue (job_queue_store.h), on both stores: claims, leases,
// takeovers and the fence every write under a lease passes.
#include "store_fixture.h"

#include <algorithm>
#include <mutex>
#include <set>
#include <thread>

namespace codecrew::store::testing {
namespace {

constexpr Millis kShortLease = 50;

class LeasesTest : public StoreTest {
 protected:
  // Lets a kShortLease lease run out on either clock: the database's
  // (PostgreSQL: real time) and the store's (SQLite: the fake clock).
  void expire() {
    std::this_thread::sleep_for(std::chrono::milliseconds(2 * kShortLease));
    clock_->advance(std::chrono::milliseconds(10 * kShortLease));
  }

  JobLease claim(const std::string& owner, Millis lease_ms = 60'000) {
    auto lease = store_->claimNextJob(owner, lease_ms);
    EXPECT_TRUE(lease.ok()) << (lease.ok() ? "" : lease.error().message);
    EXPECT_TRUE(lease.ok() && lease->has_value());
    return lease.ok() && lease->has_value() ? **lease : JobLease{};
  }
};

TEST_F(LeasesTest, ClaimsTakeTheOldestRunnableJobOnce) {
  Id wf = newWorkflow(t1_);
  Id e1 = newExecution(t1_, wf);
  Id e2 = newExecution(t2_, newWorkflow(t2_));
  JobLease a = claim("worker-a");
  EXPECT_EQ(a.job.execution_id, e1);
  EXPECT_EQ(a.job.status, JobStatus::kRunning);
  EXPECT_EQ(a.job.lease_owner, "worker-a");
  EXPECT_EQ(a.job.attempts, 1);
  EXPECT_EQ(a.epoch, 1);
  EXPECT_FALSE(a.taken_over);
  ASSERT_TRUE(a.job.lease_expires_at.has_value());
  JobLease b = claim("worker-b");
  EXPECT_EQ(b.job.execution_id, e2);  // across tenants: a worker serves all
  EXPECT_EQ(b.job.tenant_id, t2_);
  auto none = store_->claimNextJob("worker-c", 60'000);
  ASSERT_OK(none);
  EXPECT_FALSE(none->has_value());
}

TEST_F(LeasesTest, AnExpiredLeaseIsTakenOverAndTheOldHolderIsFencedOut) {
  Id e = newExecution(t1_, newWorkflow(t1_));
  JobLease first = claim("worker-a", kShortLease);
  ASSERT_OK(store_->checkLease(first.job.id, first.epoch));
  expire();
  // Expired but not yet taken over: the holder's writes are refused already.
  EXPECT_CODE(store_->checkLease(first.job.id, first.epoch), ErrorCode::kFailedPrecondition);
  JobLease second = claim("worker-b");
  EXPECT_EQ(second.job.execution_id, e);
  EXPECT_TRUE(second.taken_over);
  EXPECT_EQ(second.epoch, first.epoch + 1);
  EXPECT_EQ(second.job.attempts, 2);
  ASSERT_OK(store_->checkLease(second.job.id, second.epoch));
  EXPECT_CODE(store_->checkLease(first.job.id, first.epoch), ErrorCode::kFailedPrecondition);
  EXPECT_CODE(store_->renewLease(first.job.id, first.epoch, 60'000), ErrorCode::kFailedPrecondition);
  EXPECT_CODE(store_->finishLease(first.job.id, first.epoch, JobStatus::kSucceeded, 0), ErrorCode::kFailedPrecondition);
  auto job = store_->getJobForExecution(t1_, e);
  ASSERT_OK(job);
  EXPECT_EQ(job->status, JobStatus::kRunning);  // the zombie changed nothing
  EXPECT_EQ(job->lease_owner, "worker-b");
}

TEST_F(LeasesTest, HeartbeatsKeepALeaseLongerThanItsTerm) {
  newExecution(t1_, newWorkflow(t1_));
  JobLease lease = claim("worker-a", kShortLease);
  for (int i = 0; i < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(kShortLease / 2));
    clock_->advance(std::chrono::milliseconds(kShortLease / 2));
    auto renewed = store_->renewLease(lease.job.id, lease.epoch, kShortLease * 4);
    ASSERT_OK(renewed);
  }
  ASSERT_OK(store_->checkLease(lease.job.id, lease.epoch));
  auto none = store_->claimNextJob("worker-b", 60'000);
  ASSERT_OK(none);
  EXPECT_FALSE(none->has_value());
}

TEST_F(LeasesTest, FinishingEndsTheLeaseAndPausedJobsWaitForMarkRunnable) {
  Id e = newExecution(t1_, newWorkflow(t1_));
  JobLease lease = claim("worker-a");
  auto paused = store_->finishLease(lease.job.id, lease.epoch, JobStatus::kPaused, 0);
  ASSERT_OK(paused);
  EXPECT_EQ(paused->status, JobStatus::kPaused);
  EXPECT_EQ(paused->lease_owner, "");
  EXPECT_FALSE(paused->lease_expires_at.has_value());
  EXPECT_CODE(store_->checkLease(lease.job.id, lease.epoch), ErrorCode::kFailedPrecondition);
  auto none = store_->claimNextJob("worker-b", 60'000);
  ASSERT_OK(none);
  EXPECT_FALSE(none->has_value());  // paused: not runnable
  auto runnable = store_->markJobRunnable(t1_, e);
  ASSERT_OK(runnable);
  EXPECT_EQ(runnable->status, JobStatus::kQueued);
  JobLease again = claim("worker-b");
  EXPECT_EQ(again.job.execution_id, e);
  EXPECT_EQ(again.epoch, lease.epoch + 1);
  EXPECT_EQ(again.job.attempts, 1);
  // A running job is left to its run; another tenant's is not found.
  auto running = store_->markJobRunnable(t1_, e);
  ASSERT_OK(running);
  EXPECT_EQ(running->status, JobStatus::kRunning);
  EXPECT_CODE(store_->markJobRunnable(t2_, e), ErrorCode::kNotFound);
}

TEST_F(LeasesTest, AJobItsHolderEndedKeepsItsEndingAndTheHolderItsFence) {
  Id e = newExecution(t1_, newWorkflow(t1_));
  JobLease lease = claim("worker-a");
  // The run fails the execution itself (as the engine's markFailed does).
  auto job = store_->getJobForExecution(t1_, e);
  ASSERT_OK(job);
  job->status = JobStatus::kFailed;
  ASSERT_OK(store_->updateJob(*job));
  ASSERT_OK(store_->checkLease(lease.job.id, lease.epoch));  // still its lease
  auto finished = store_->finishLease(lease.job.id, lease.epoch, JobStatus::kQueued, 1);
  ASSERT_OK(finished);
  EXPECT_EQ(finished->status, JobStatus::kFailed);
  EXPECT_FALSE(finished->lease_expires_at.has_value());
  // Finished: the lease fences nothing any more, and nothing is runnable.
  EXPECT_CODE(store_->checkLease(lease.job.id, lease.epoch), ErrorCode::kFailedPrecondition);
  auto none = store_->claimNextJob("worker-b", 60'000);
  ASSERT_OK(none);
  EXPECT_FALSE(none->has_value());
}

TEST_F(LeasesTest, ProgressStartsTheAttemptsAgainSoTakeoversOfALongRunDoNotAddUp) {
  Id e = newExecution(t1_, newWorkflow(t1_));
  JobLease first = claim("worker-a", kShortLease);
  expire();
  JobLease second = claim("worker-b", kShortLease);
  EXPECT_EQ(second.job.attempts, 2);
  ASSERT_OK(store_->noteProgress(second.job.id, second.epoch));  // it committed a step
  EXPECT_CODE(store_->noteProgress(first.job.id, first.epoch), ErrorCode::kFailedPrecondition);
  expire();
  JobLease third = claim("worker-c");
  EXPECT_EQ(third.job.attempts, 2);  // 1 (the run that made progress) + this one
  auto job = store_->getJobForExecution(t1_, e);
  ASSERT_OK(job);
  EXPECT_EQ(job->attempts, 2);
}

TEST_F(LeasesTest, ConcurrentClaimersNeverTakeTheSameJob) {
  constexpr int kJobs = 24;
  Id wf = newWorkflow(t1_);
  for (int i = 0; i < kJobs; ++i) newExecution(t1_, wf);
  std::mutex mu;
  std::vector<Id> claimed;
  std::atomic<int> errors{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      while (true) {
        auto lease = store_->claimNextJob("worker-" + std::to_string(w), 60'000);
        if (!lease.ok()) {
          ++errors;
          return;
        }
        if (!lease->has_value()) return;
        std::lock_guard lock(mu);
        claimed.push_back((*lease)->job.execution_id);
      }
    });
  }
  for (auto& t : workers) t.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(claimed.size(), static_cast<std::size_t>(kJobs));
  EXPECT_EQ(std::set<Id>(claimed.begin(), claimed.end()).size(), static_cast<std::size_t>(kJobs));
}

}  // namespace
}  // namespace codecrew::store::testing
