// LeasedExecutionQueue: the ExecutionQueue of a shared database (PostgreSQL),
// for API nodes and workers on any number of hosts. enqueue() only makes the
// execution's job runnable in the store (JobQueueStore::markJobRunnable), so
// any node may queue and any worker may run. A node that runs jobs (a
// `codecrew worker`, or `serve` with its embedded worker) polls the store
// for runnable jobs while it has free slots, claims one under a lease,
// renews the lease every heartbeat interval while the run goes on, and runs
// the execution through a FencedStore, so that every write of the run
// presents the lease. Renewals run on a thread of their own, so runs that
// keep the engine's pool busy never starve a lease. A claim of an execution
// whose earlier run is still winding down here is handed straight back. A run whose lease is lost (renewal refused:
// taken over after this worker stalled past the timeout, or the job was cancelled elsewhere) is stopped at its next
// step and writes nothing more; the worker that took over resumes it from its checkpoint. A claim whose attempts exceed
// max_attempts (every earlier run died without ending) fails the execution with the reason. stop() stops claiming and
// lets the runs in flight end; handBack() gives the leases of those still running to the next claim at once (otherwise
// they expire and another worker takes over after the timeout). Thread-safety: all methods are safe from any thread.
#pragma once

#include "engine/crew_engine.h"
#include "engine/execution_queue.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace codecrew::engine {

struct LeaseSettings {
  std::string worker;                           // the lease owner, e.g. "worker-<host>-<pid>"
  int max_running = 4;                          // runs at once on this node; 0: runs none
  std::chrono::milliseconds heartbeat{15'000};  // how often a run renews its lease
  std::chrono::milliseconds timeout{120'000};   // the lease's term from each renewal
  std::chrono::milliseconds poll{500};          // how often an idle worker looks for jobs
  // Fault injection (CODECREW_FAULT_KILL_AT, as the engine's CrashHook):
  // "during_completion" before the lease of a run that ended is finished.
  CrashHook fault;
};

class LeasedExecutionQueue final : public ExecutionQueue {
 public:
  using OnFinished = std::function<void(core::Id execution_id, const core::Result<RunOutcome>&)>;

  LeasedExecutionQueue(boost::asio::any_io_executor executor, std::shared_ptr<CrewEngine> engine,
                       std::shared_ptr<store::Store> store, std::shared_ptr<core::Clock> clock, LeaseSettings settings,
                       OnFinished on_finished = {});

  ~LeasedExecutionQueue() override;  // stops the heartbeats

  core::Status enqueue(core::Id tenant_id, core::Id execution_id) override;
  // Nothing to do: expired leases are taken over by the next claim.
  core::Result<int> recover() override { return 0; }
  // Stops the run of the execution here, if any (its cancellation is
  // recorded by the caller; a run elsewhere finds it at its next renewal).
  void release(core::Id execution_id) override;

  // Starts claiming (a no-op with max_running 0).
  void start();
  // Stops claiming; runs in flight go on to their end.
  void stop();
  // Hands the leases of the runs still in flight back to the queue (their
  // job queued again, this attempt not counted), so another worker takes
  // them over at once; from then on the fence refuses their writes here.
  // Returns how many. For a shutdown that will not wait for them.
  int handBack();
  // Blocks until no run is in flight on this node.
  void waitIdle();
  int running() const;

 private:
  boost::asio::awaitable<void> pollLoop();
  boost::asio::awaitable<void> runLease(store::JobLease lease);
  // The heartbeat thread: renews every lease in flight each interval.
  void heartbeats();
  void renew(const store::JobLease& lease);
  // Ends the lease with the outcome; kFailedPrecondition when the lease was
  // no longer this run's.
  core::Status finish(const store::JobLease& lease, store::JobAttempt attempt, const core::Result<RunOutcome>& outcome);
  void wake();

  boost::asio::any_io_executor executor_;
  std::shared_ptr<CrewEngine> engine_;
  std::shared_ptr<store::Store> store_;
  std::shared_ptr<core::Clock> clock_;
  LeaseSettings settings_;
  OnFinished on_finished_;
  boost::asio::steady_timer wakeup_;

  mutable std::mutex mu_;
  std::condition_variable idle_;
  std::map<core::Id, store::JobLease> in_flight_;  // executions running here, by id; guarded by mu_
  std::set<core::Id> handed_back_;                 // runs whose lease handBack() gave up; guarded by mu_
  std::set<core::Id> lost_;                        // runs whose renewal was refused; guarded by mu_
  bool stopping_ = false;                          // guarded by mu_
  std::condition_variable beat_;                   // wakes the heartbeat thread to stop
  bool heartbeats_stopping_ = false;               // guarded by mu_
  std::thread heartbeat_thread_;
};

}  // namespace codecrew::engine
