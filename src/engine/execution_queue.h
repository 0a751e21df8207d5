// ExecutionQueue: where executions wait to be run, as jobs with recorded
// attempts (seed 002's ExecutionJob / JobAttempt, kept by the store). The
// embedded InProcessExecutionQueue runs each job as a coroutine on a strand
// of a shared io_context, so thousands of executions waiting on their models
// hold no thread each; at most max_running run at once, the rest wait in
// order. recover() re-enqueues every job left queued or running by a previous
// process (crash, kill -9, restart); the engine resumes each from its
// checkpoint. Each run claims an attempt in the store (claimJobAttempt: the
// check against max_attempts and the increment in one step); a job whose
// attempts were all spent by runs that never ended fails with the reason,
// and a clean pause for an approval resets the count.
// A PostgreSQL queue (FOR UPDATE SKIP LOCKED, leases) will
// implement the same interface.
// Thread-safety: all methods are safe from any thread.
#pragma once

#include "engine/crew_engine.h"

#include <boost/asio/any_io_executor.hpp>

#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <vector>

namespace codecrew::engine {

class ExecutionQueue {
 public:
  virtual ~ExecutionQueue() = default;
  // Queues the execution's job for a run (or a resumed run).
  virtual core::Status enqueue(core::Id tenant_id, core::Id execution_id) = 0;
  // Re-enqueues unfinished jobs left by an earlier process; returns how many.
  virtual core::Result<int> recover() = 0;
  // Forgets a cancelled execution: dropped if it waits; if it runs, its
  // slot is given to the next at once (the run ends by itself).
  virtual void release(core::Id execution_id) = 0;
};

class InProcessExecutionQueue final : public ExecutionQueue {
 public:
  using OnFinished = std::function<void(core::Id execution_id, const core::Result<RunOutcome>&)>;

  InProcessExecutionQueue(boost::asio::any_io_executor executor, std::shared_ptr<CrewEngine> engine,
                          std::shared_ptr<store::Store> store, std::shared_ptr<core::Clock> clock,
                          std::string worker_name, int max_running, OnFinished on_finished = {});

  // An execution already waiting is not queued twice; one already running
  // is run once more after its current run ends (e.g. an approval decided
  // while it was still pausing).
  core::Status enqueue(core::Id tenant_id, core::Id execution_id) override;
  core::Result<int> recover() override;
  void release(core::Id execution_id) override;

  // Blocks until no job is queued or running (tests, `codecrew run`).
  void waitIdle();
  int running() const;
  int waiting() const;  // queued, not yet given a slot

 private:
  struct Item {
    core::Id tenant_id;
    core::Id execution_id;
    core::Millis queued_at = 0;
  };
  std::vector<Item> takeStartable();  // requires mu_
  void spawn(const std::vector<Item>& items);
  boost::asio::awaitable<void> runJob(Item item);
  core::Result<store::JobAttempt> beginAttempt(const Item& item);
  void endAttempt(const Item& item, store::JobAttempt attempt, const core::Result<RunOutcome>& outcome);

  boost::asio::any_io_executor executor_;
  std::shared_ptr<CrewEngine> engine_;
  std::shared_ptr<store::Store> store_;
  std::shared_ptr<core::Clock> clock_;
  std::string worker_;
  int max_running_;
  OnFinished on_finished_;

  mutable std::mutex mu_;
  std::condition_variable idle_;
  std::deque<Item> waiting_;        // guarded by mu_
  std::set<core::Id> queued_;       // executions in waiting_; guarded by mu_
  std::set<core::Id> in_flight_;    // executions running now; guarded by mu_
  std::map<core::Id, Item> again_;  // running ones enqueued again; guarded by mu_
  std::set<core::Id> released_;     // running ones whose slot was given up; guarded by mu_
  int running_ = 0;                 // guarded by mu_
};

}  // namespace codecrew::engine
