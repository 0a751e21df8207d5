#include "engine/leased_execution_queue.h"

#include "core/log.h"
#include "engine/engine_metrics.h"
#include "engine/execution_records.h"
#include "engine/fenced_store.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace codecrew::engine {
namespace asio = boost::asio;

LeasedExecutionQueue::LeasedExecutionQueue(asio::any_io_executor executor, std::shared_ptr<CrewEngine> engine,
                                           std::shared_ptr<store::Store> store, std::shared_ptr<core::Clock> clock,
                                           LeaseSettings settings, OnFinished on_finished)
    : executor_(asio::make_strand(executor)),
      engine_(std::move(engine)),
      store_(std::move(store)),
      clock_(std::move(clock)),
      settings_(std::move(settings)),
      on_finished_(std::move(on_finished)),
      wakeup_(executor_) {}

core::Status LeasedExecutionQueue::enqueue(core::Id tenant_id, core::Id execution_id) {
  auto job = store_->markJobRunnable(tenant_id, execution_id);
  if (!job) return job.error();
  wake();
  return core::okStatus();
}

void LeasedExecutionQueue::release(core::Id execution_id) {
  if (engine_) engine_->requestStop(execution_id);
}

void LeasedExecutionQueue::start() {
  if (settings_.max_running <= 0 || !engine_) return;
  // Renewals on a thread of their own: runs busy on the engine's pool never
  // hold a lease's heartbeat back.
  if (!heartbeat_thread_.joinable()) heartbeat_thread_ = std::thread([this] { heartbeats(); });
  asio::co_spawn(executor_, pollLoop(), asio::detached);
}

LeasedExecutionQueue::~LeasedExecutionQueue() {
  {
    std::lock_guard lock(mu_);
    heartbeats_stopping_ = true;
  }
  beat_.notify_all();
  if (heartbeat_thread_.joinable()) heartbeat_thread_.join();
}

void LeasedExecutionQueue::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake();
}

void LeasedExecutionQueue::wake() {
  // The timer belongs to the poll loop's strand.
  asio::post(executor_, [this] { wakeup_.cancel(); });
}

void LeasedExecutionQueue::waitIdle() {
  std::unique_lock lock(mu_);
  idle_.wait(lock, [&] { return in_flight_.empty(); });
}

int LeasedExecutionQueue::handBack() {
  std::map<core::Id, store::JobLease> leases;
  {
    std::lock_guard lock(mu_);
    leases = in_flight_;
  }
  int n = 0;
  for (const auto& [id, lease] : leases) {
    const int attempts = std::max(0, lease.job.attempts - 1);
    if (!store_->finishLease(lease.job.id, lease.epoch, store::JobStatus::kQueued, attempts)) continue;
    ++n;
    {
      std::lock_guard lock(mu_);
      handed_back_.insert(id);
    }
    if (engine_) engine_->requestStop(id);
  }
  return n;
}

int LeasedExecutionQueue::running() const {
  std::lock_guard lock(mu_);
  return static_cast<int>(in_flight_.size());
}

asio::awaitable<void> LeasedExecutionQueue::pollLoop() {
  while (true) {
    while (true) {
      {
        std::lock_guard lock(mu_);
        if (stopping_) co_return;
        if (static_cast<int>(in_flight_.size()) >= settings_.max_running) break;
      }
      auto lease = store_->claimNextJob(settings_.worker, settings_.timeout.count());
      if (!lease) {
        core::log::warn("could not claim a job", {{"error", lease.error().message}});
        break;
      }
      if (!*lease) break;
      bool here = false;
      {
        std::lock_guard lock(mu_);
        here = !in_flight_.emplace((*lease)->job.execution_id, **lease).second;
      }
      if (here) {
        // An earlier run of it is still winding down in this process (its
        // lease lost): give the job back rather than run it twice at once.
        (void)store_->finishLease((*lease)->job.id, (*lease)->epoch, store::JobStatus::kQueued,
                                  std::max(0, (*lease)->job.attempts - 1));
        break;
      }
      // A fresh job's first claim: its wait from the start that queued it.
      if (auto* metrics = engine_->metrics(); metrics && !(*lease)->taken_over && (*lease)->job.attempts == 1)
        metrics->queueWait(std::max(0.0, double(clock_->nowMillis() - (*lease)->job.created_at) / 1000.0));
      if ((*lease)->taken_over) {
        core::log::info("taking over an execution whose lease expired",
                        {{"execution_id", (*lease)->job.execution_id}, {"epoch", (*lease)->epoch}});
      }
      asio::co_spawn(asio::make_strand(executor_), runLease(std::move(**lease)), asio::detached);
    }
    wakeup_.expires_after(settings_.poll);
    boost::system::error_code ec;
    co_await wakeup_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

void LeasedExecutionQueue::heartbeats() {
  std::unique_lock lock(mu_);
  while (!heartbeats_stopping_) {
    beat_.wait_for(lock, settings_.heartbeat, [&] { return heartbeats_stopping_; });
    if (heartbeats_stopping_) return;
    const auto leases = in_flight_;
    lock.unlock();
    for (const auto& [id, lease] : leases) renew(lease);
    lock.lock();
  }
}

void LeasedExecutionQueue::renew(const store::JobLease& lease) {
  const core::Id id = lease.job.execution_id;
  auto renewed = store_->renewLease(lease.job.id, lease.epoch, settings_.timeout.count());
  if (renewed) {
    // Cancelled on an API node: stop at the next step.
    auto exec = store_->getExecutionById(lease.job.tenant_id, id);
    if (exec && exec->status == store::RunStatus::kCancelled) engine_->requestStop(id);
    return;
  }
  if (renewed.error().code != core::ErrorCode::kFailedPrecondition) {
    // The database is unreachable for now: try again at the next beat; if
    // the lease runs out meanwhile, the fence refuses the run's writes.
    core::log::warn("could not renew a lease", {{"execution_id", id}, {"error", renewed.error().message}});
    return;
  }
  {
    std::lock_guard lock(mu_);
    auto it = in_flight_.find(id);
    if (it == in_flight_.end() || it->second.epoch != lease.epoch) return;  // ended meanwhile
    lost_.insert(id);
  }
  core::log::warn("lease renewal refused; stopping the run here", {{"execution_id", id}, {"epoch", lease.epoch}});
  engine_->requestStop(id);
}

asio::awaitable<void> LeasedExecutionQueue::runLease(store::JobLease lease) {
  const core::Id tenant_id = lease.job.tenant_id;
  const core::Id execution_id = lease.job.execution_id;
  auto fenced = std::make_shared<FencedStore>(store_, lease.job.id, lease.epoch);
  store::JobAttempt attempt;
  attempt.tenant_id = tenant_id;
  attempt.job_id = lease.job.id;
  attempt.worker = settings_.worker;
  auto added = store_->addJobAttempt(attempt);
  if (added) attempt = std::move(added).value();
  core::Result<RunOutcome> outcome = RunOutcome::kFailed;
  auto lost = std::make_shared<bool>(false);
  if (lease.job.attempts > lease.job.max_attempts) {
    // Every earlier run died without ending: give up, with the reason.
    const std::string reason = "gave up after " + std::to_string(lease.job.max_attempts) +
                               " attempts that did not finish";
    (void)markFailed(*fenced, *clock_, tenant_id, execution_id, reason);
    (void)finish(lease, attempt, core::Error::unavailable(reason));
  } else {
    auto ran = co_await engine_->run(tenant_id, execution_id, fenced);
    outcome = std::move(ran);
    // A write refused by the fence: the lease went to another worker (or
    // was handed back, or a renewal was refused).
    if (!outcome && outcome.error().code == core::ErrorCode::kFailedPrecondition) *lost = true;
    {
      std::lock_guard lock(mu_);
      if (handed_back_.erase(execution_id)) *lost = true;
      if (lost_.erase(execution_id)) *lost = true;
    }
    if (!*lost) {
      auto ended = finish(lease, attempt, outcome);
      if (!ended && ended.error().code == core::ErrorCode::kFailedPrecondition) *lost = true;
    }
    if (*lost) {
      core::log::warn("lost the lease of an execution: its run here stopped, and nothing it did after was kept",
                      {{"execution_id", execution_id}, {"epoch", lease.epoch}});
    }
  }
  if (on_finished_ && !*lost) on_finished_(execution_id, outcome);
  {
    std::lock_guard lock(mu_);
    in_flight_.erase(execution_id);
    if (in_flight_.empty()) idle_.notify_all();
  }
  wake();
}

core::Status LeasedExecutionQueue::finish(const store::JobLease& lease, store::JobAttempt attempt,
                                          const core::Result<RunOutcome>& outcome) {
  const bool ok = outcome && *outcome != RunOutcome::kFailed;
  if (attempt.id != 0) {
    attempt.status = ok ? store::AttemptStatus::kSucceeded : store::AttemptStatus::kFailed;
    attempt.finished_at = clock_->nowMillis();
    attempt.error = outcome ? (ok ? "" : "execution failed") : outcome.error().message;
    (void)store_->updateJobAttempt(attempt);
  }
  const store::ExecutionJob& job = lease.job;
  if (settings_.fault) settings_.fault("during_completion");
  auto done = store_->transact([&](store::Store& tx) -> core::Status {
    store::JobStatus status = store::JobStatus::kFailed;
    int attempts = job.attempts;
    if (!outcome && job.attempts < job.max_attempts) {
      status = store::JobStatus::kQueued;  // the next claim tries again
    } else if (!outcome) {
      auto failed = markFailed(tx, *clock_, job.tenant_id, job.execution_id,
                               "gave up after " + std::to_string(job.attempts) +
                                   " attempts: " + outcome.error().message);
      if (!failed) return failed.error();
    } else if (*outcome == RunOutcome::kWaitingApproval) {
      // Paused until a decision; one decided while the run was pausing
      // makes it runnable at once. A fresh count after a clean pause.
      auto pending = tx.listApprovals(job.tenant_id, store::ApprovalStatus::kPending, job.execution_id, {1, 1});
      if (!pending) return pending.error();
      status = pending->total > 0 ? store::JobStatus::kPaused : store::JobStatus::kQueued;
      attempts = 0;
    } else if (*outcome == RunOutcome::kCompleted) {
      status = store::JobStatus::kSucceeded;
    } else if (*outcome == RunOutcome::kCancelled) {
      status = store::JobStatus::kCancelled;
    }
    auto finished = tx.finishLease(job.id, lease.epoch, status, attempts);
    if (!finished) return finished.error();
    return core::okStatus();
  });
  if (done) return done;
  if (done.error().code != core::ErrorCode::kFailedPrecondition) {
    core::log::warn("could not end a job's lease",
                    {{"execution_id", job.execution_id}, {"error", done.error().message}});
  }
  return done;
}

}  // namespace codecrew::engine
