// SQL for execution jobs and their attempts (seed 002). Each function runs
// inside a transaction the caller (SqlStore) has opened on conn.
// Thread-safety: stateless; each call uses the connection it is given.
#pragma once

#include "store/sql/connection.h"
#include "store/store.h"

namespace codecrew::store::sql {

Result<ExecutionJob> getJob(Connection& conn, Id tenant_id, Id id);
Result<ExecutionJob> getJobForExecution(Connection& conn, Id tenant_id, Id execution_id);
// Writes status, attempts, max_attempts, lease_owner and lease_expires_at.
Result<ExecutionJob> updateJob(Connection& conn, Millis now, const ExecutionJob& job);
// attempt_no 0 takes the next number; started_at 0 takes now.
Result<JobAttempt> addJobAttempt(Connection& conn, Millis now, const JobAttempt& attempt);
// ExecutionStore::claimJobAttempt: the check and the increment are one UPDATE.
Result<JobAttempt> claimJobAttempt(Connection& conn, Millis now, Id tenant_id, Id execution_id,
                                   const std::string& worker);
// Writes status, worker, finished_at and error.
Result<JobAttempt> updateJobAttempt(Connection& conn, const JobAttempt& attempt);
Result<std::vector<JobAttempt>> listJobAttempts(Connection& conn, Id tenant_id, Id job_id);
Result<std::vector<ExecutionJob>> listJobsByStatus(Connection& conn, JobStatus status);

}  // namespace codecrew::store::sql
