// JobQueueStore: the execution jobs as a queue that workers on any number of
// hosts share through the database. A worker claims a runnable job and holds
// it under a lease: an expiry measured by the database's clock (PostgreSQL's
// clock_timestamp(); SQLite's store clock), renewed by heartbeats, and an
// epoch that every claim increments. Whatever the holder writes for the
// execution is fenced by the epoch (checkLease inside the write's
// transaction), so a worker that lost its lease (paused, partitioned, slow)
// has every later write refused; a lease that expired is taken over by the
// next claim, which resumes the execution from its checkpoint.
//
// A job is runnable when it is queued, or running under an expired lease.
// A job paused for an approval is not, until markJobRunnable.
// These methods span tenants (a worker serves all of them), except where a
// tenant is named. Each is one transaction; claims run at READ COMMITTED
// with FOR UPDATE SKIP LOCKED on PostgreSQL, so concurrent claimers never
// wait for each other nor take the same job.
#pragma once

#include "store/store_types.h"

#include <optional>
#include <string>

namespace codecrew::store {

// A claimed job: what the worker holds and must present with each write.
struct JobLease {
  ExecutionJob job;         // as claimed: running, owner, epoch, expiry, attempts
  std::int64_t epoch = 0;   // the fence of every write under this lease
  bool taken_over = false;  // the job was running under an expired lease
};

class JobQueueStore {
 public:
  virtual ~JobQueueStore() = default;

  // Claims the oldest runnable job for owner with a lease of lease_ms and
  // adds 1 to its attempts; nullopt when none is runnable. A claimed job may
  // have attempts above max_attempts (the runs before died without ending):
  // the caller fails it.
  virtual Result<std::optional<JobLease>> claimNextJob(const std::string& owner, Millis lease_ms) = 0;
  // Extends the lease to lease_ms from now; returns the new expiry.
  // kFailedPrecondition when the lease is no longer this one (taken over or
  // finished).
  virtual Result<Millis> renewLease(Id job_id, std::int64_t epoch, Millis lease_ms) = 0;
  // kFailedPrecondition unless this lease still holds (the epoch is the
  // job's and the lease has not expired nor been finished); the job's status
  // does not matter (the holder's own writes may end it). Inside a
  // transaction, it also keeps a takeover from committing before that
  // transaction ends.
  virtual Status checkLease(Id job_id, std::int64_t epoch) = 0;
  // Ends the lease with the job's new status and attempts (queued again,
  // paused, succeeded, failed or cancelled; a job already ended, by the run
  // or by a cancel, keeps its ending); kFailedPrecondition when the lease is
  // no longer this one (nothing changes).
  virtual Result<ExecutionJob> finishLease(Id job_id, std::int64_t epoch, JobStatus status, int attempts) = 0;
  // The run under this lease committed a step: its attempts start again at 1,
  // so max_attempts bounds runs in a row that died before committing one
  // (a job that kills its workers), not the takeovers of a long execution.
  // kFailedPrecondition when the lease is no longer this one.
  virtual Status noteProgress(Id job_id, std::int64_t epoch) = 0;
  // Makes the execution's paused or queued job runnable (an approval was
  // decided, a resume asked); a running job is left alone (its run, when it
  // pauses, finds the decision). kNotFound without such a job.
  virtual Result<ExecutionJob> markJobRunnable(Id tenant_id, Id execution_id) = 0;
};

}  // namespace codecrew::store
