#include "engine/execution_queue.h"

#include "engine/engine_metrics.h"
#include "engine/execution_records.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/strand.hpp>

namespace codecrew::engine {
namespace asio = boost::asio;

InProcessExecutionQueue::InProcessExecutionQueue(asio::any_io_executor executor, std::shared_ptr<CrewEngine> engine,
                                                 std::shared_ptr<store::Store> store,
                                                 std::shared_ptr<core::Clock> clock, std::string worker_name,
                                                 int max_running, OnFinished on_finished)
    : executor_(std::move(executor)),
      engine_(std::move(engine)),
      store_(std::move(store)),
      clock_(std::move(clock)),
      worker_(std::move(worker_name)),
      max_running_(std::max(1, max_running)),
      on_finished_(std::move(on_finished)) {}

core::Status InProcessExecutionQueue::enqueue(core::Id tenant_id, core::Id execution_id) {
  auto job = store_->getJobForExecution(tenant_id, execution_id);
  if (!job) return job.error();
  std::vector<Item> start;
  {
    std::lock_guard lock(mu_);
    if (queued_.count(execution_id)) return core::okStatus();
    if (in_flight_.count(execution_id)) {
      again_[execution_id] = Item{tenant_id, execution_id, clock_->nowMillis()};
      return core::okStatus();
    }
    queued_.insert(execution_id);
    waiting_.push_back(Item{tenant_id, execution_id, clock_->nowMillis()});
    start = takeStartable();
  }
  spawn(start);
  return core::okStatus();
}

core::Result<int> InProcessExecutionQueue::recover() {
  int n = 0;
  for (store::JobStatus status : {store::JobStatus::kRunning, store::JobStatus::kQueued}) {
    auto jobs = store_->listJobsByStatus(status);
    if (!jobs) return jobs.error();
    for (const auto& job : *jobs) {
      auto exec = store_->getExecutionById(job.tenant_id, job.execution_id);
      if (!exec) continue;
      if (exec->status == store::RunStatus::kWaitingApproval) {
        // Paused: it runs again only once its approval has been decided.
        auto pending = store_->listApprovals(job.tenant_id, store::ApprovalStatus::kPending, job.execution_id, {1, 1});
        if (!pending || pending->total > 0) continue;
      }
      if (auto ok = enqueue(job.tenant_id, job.execution_id); !ok) return ok.error();
      ++n;
    }
  }
  return n;
}

void InProcessExecutionQueue::release(core::Id execution_id) {
  std::vector<Item> start;
  {
    std::lock_guard lock(mu_);
    again_.erase(execution_id);
    if (queued_.erase(execution_id)) {
      std::erase_if(waiting_, [&](const Item& i) { return i.execution_id == execution_id; });
    } else if (in_flight_.count(execution_id) && !released_.count(execution_id)) {
      released_.insert(execution_id);
      --running_;
      start = takeStartable();
    }
    if (running_ == 0 && waiting_.empty()) idle_.notify_all();
  }
  spawn(start);
}

std::vector<InProcessExecutionQueue::Item> InProcessExecutionQueue::takeStartable() {
  std::vector<Item> start;
  while (running_ < max_running_ && !waiting_.empty()) {
    Item item = waiting_.front();
    waiting_.pop_front();
    queued_.erase(item.execution_id);
    in_flight_.insert(item.execution_id);
    if (auto* metrics = engine_->metrics()) metrics->queueWait(double(clock_->nowMillis() - item.queued_at) / 1000.0);
    ++running_;
    start.push_back(item);
  }
  return start;
}

void InProcessExecutionQueue::spawn(const std::vector<Item>& items) {
  // Outside mu_: a strand may run the job inline, and a job that finishes
  // inline takes mu_ itself.
  for (const auto& item : items) asio::co_spawn(asio::make_strand(executor_), runJob(item), asio::detached);
}

core::Result<store::JobAttempt> InProcessExecutionQueue::beginAttempt(const Item& item) {
  // The check against max_attempts and the increment are one step in the
  // store, so no restart (nor a second process) can run a job past them.
  auto attempt = store_->claimJobAttempt(item.tenant_id, item.execution_id, worker_);
  if (attempt || attempt.error().code != core::ErrorCode::kResourceExhausted) return attempt;
  // Its attempts were spent by runs that never ended (the process died
  // under them): the job fails, with the reason on its execution.
  if (auto job = store_->getJobForExecution(item.tenant_id, item.execution_id)) {
    job->status = store::JobStatus::kFailed;
    job->lease_owner.clear();
    (void)store_->updateJob(*job);
    (void)markFailed(*store_, *clock_, item.tenant_id, item.execution_id,
                     "gave up after " + std::to_string(job->attempts) + " attempts that did not finish");
  }
  return attempt;
}

void InProcessExecutionQueue::endAttempt(const Item& item, store::JobAttempt attempt,
                                         const core::Result<RunOutcome>& outcome) {
  auto job = store_->getJobForExecution(item.tenant_id, item.execution_id);
  bool ok = outcome && *outcome != RunOutcome::kFailed;
  attempt.status = ok ? store::AttemptStatus::kSucceeded : store::AttemptStatus::kFailed;
  attempt.finished_at = clock_->nowMillis();
  attempt.error = outcome ? (ok ? "" : "execution failed") : outcome.error().message;
  (void)store_->updateJobAttempt(attempt);
  if (!job) return;
  if (!outcome && job->attempts < job->max_attempts)
    job->status = store::JobStatus::kQueued;  // recovery tries it again
  else if (!outcome) {
    job->status = store::JobStatus::kFailed;
    (void)markFailed(*store_, *clock_, item.tenant_id, item.execution_id,
                     "gave up after " + std::to_string(job->attempts) + " attempts: " + outcome.error().message);
  } else if (*outcome == RunOutcome::kWaitingApproval) {
    // A clean pause: the run after the decision starts a fresh count, so
    // max_attempts bounds the tries at one stretch, not the number of gates.
    job->status = store::JobStatus::kQueued;
    job->attempts = 0;
  } else if (*outcome == RunOutcome::kCompleted) job->status = store::JobStatus::kSucceeded;
  else if (*outcome == RunOutcome::kCancelled) job->status = store::JobStatus::kCancelled;
  else job->status = store::JobStatus::kFailed;
  job->lease_owner.clear();
  (void)store_->updateJob(*job);
}

asio::awaitable<void> InProcessExecutionQueue::runJob(Item item) {
  auto attempt = beginAttempt(item);
  // No co_await inside a conditional expression: GCC 12 destroys its
  // temporaries twice.
  core::Result<RunOutcome> outcome = RunOutcome::kFailed;
  if (attempt) {
    auto ran = co_await engine_->run(item.tenant_id, item.execution_id);
    outcome = std::move(ran);
  } else {
    outcome = attempt.error();
  }
  if (attempt) endAttempt(item, std::move(attempt).value(), outcome);
  if (on_finished_) on_finished_(item.execution_id, outcome);
  std::vector<Item> start;
  {
    std::lock_guard lock(mu_);
    if (!released_.erase(item.execution_id)) --running_;
    in_flight_.erase(item.execution_id);
    if (auto it = again_.find(item.execution_id); it != again_.end()) {
      queued_.insert(item.execution_id);
      waiting_.push_back(it->second);
      again_.erase(it);
    }
    start = takeStartable();
    if (running_ == 0 && waiting_.empty()) idle_.notify_all();
  }
  spawn(start);
}

void InProcessExecutionQueue::waitIdle() {
  std::unique_lock lock(mu_);
  idle_.wait(lock, [&] { return running_ == 0 && waiting_.empty(); });
}

int InProcessExecutionQueue::running() const {
  std::lock_guard lock(mu_);
  return running_;
}

}  // namespace codecrew::engine

namespace codecrew::engine {

int InProcessExecutionQueue::waiting() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(waiting_.size());
}

}  // namespace codecrew::engine
