// SQL for the shared job queue (job_queue_store.h): claims, leases and their
// fences. Each function runs inside a transaction the caller (SqlStore) has
// opened on conn: claimNextJob at READ COMMITTED on PostgreSQL (its FOR
// UPDATE SKIP LOCKED), the others in ordinary write transactions. Lease
// times are the database's clock on PostgreSQL and `now` on SQLite.
// Thread-safety: stateless; each call uses the connection it is given.
#pragma once

#include "store/job_queue_store.h"
#include "store/sql/connection.h"

namespace codecrew::store::sql {

Result<std::optional<JobLease>> claimNextJob(Connection& conn, Millis now, const std::string& owner, Millis lease_ms);
Result<Millis> renewLease(Connection& conn, Millis now, Id job_id, std::int64_t epoch, Millis lease_ms);
Status checkLease(Connection& conn, Millis now, Id job_id, std::int64_t epoch);
Result<ExecutionJob> finishLease(Connection& conn, Millis now, Id job_id, std::int64_t epoch, JobStatus status,
                                 int attempts);
Status noteProgress(Connection& conn, Millis now, Id job_id, std::int64_t epoch);
Result<ExecutionJob> markJobRunnable(Connection& conn, Millis now, Id tenant_id, Id execution_id);

}  // namespace codecrew::store::sql
