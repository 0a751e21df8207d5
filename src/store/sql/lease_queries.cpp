#include "store/sql/lease_queries.h"

#include "store/sql/job_queries.h"
#include "store/sql/query_support.h"

namespace codecrew::store::sql {
namespace {

// The time leases are measured by: the database's own clock on PostgreSQL
// (one clock for every host), the store's on SQLite (one machine). Spelled
// as SQL, with `?` for the store's time.
std::string nowSql(const Connection& conn) {
  return conn.dialect() == Dialect::kPostgres ? "(extract(epoch from clock_timestamp()) * 1000)::bigint"
                                              : "CAST(? AS INTEGER)";
}

// The parameter nowSql needs (none on PostgreSQL).
SqlParams nowParams(const Connection& conn, Millis now) {
  if (conn.dialect() == Dialect::kPostgres) return {};
  return {now};
}

SqlParams concat(SqlParams a, const SqlParams& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

core::Error leaseLost(Id job_id) {
  return core::Error{core::ErrorCode::kFailedPrecondition,
                     "the lease on job " + std::to_string(job_id) + " is lost (taken over, expired or ended)", nullptr};
}

const std::string kRunning(jobStatusName(JobStatus::kRunning));

// Runs an UPDATE ... RETURNING <one integer> and returns the value of its
// first row; nullopt when no row matched.
Result<std::optional<std::int64_t>> updateReturning(Connection& conn, const std::string& sql, const SqlParams& params) {
  auto st = conn.prepare(sql);
  if (!st.ok()) return std::move(st).error();
  st->bindParams(params);
  auto row = st->step();
  if (!row.ok()) return std::move(row).error();
  if (!*row) return std::optional<std::int64_t>();
  const std::int64_t value = st->i64(0);
  if (auto rest = st->run(); !rest.ok()) return std::move(rest).error();
  return std::optional<std::int64_t>(value);
}

}  // namespace

Result<std::optional<JobLease>> claimNextJob(Connection& conn, Millis now, const std::string& owner, Millis lease_ms) {
  const bool pg = conn.dialect() == Dialect::kPostgres;
  const std::string t = nowSql(conn);
  // Running with no expiry: left by a single-machine server (or a copy of
  // its database); nobody renews it, so it is as good as expired.
  std::string pick =
      "SELECT id, status, tenant_id FROM execution_jobs WHERE status = 'queued' OR "
      "(status = 'running' AND (lease_expires_at IS NULL OR lease_expires_at < " +
      t + ")) ORDER BY id LIMIT 1";
  if (pg) pick += " FOR UPDATE SKIP LOCKED";
  struct Next {
    Id id;
    std::string status;
    Id tenant_id;
  };
  auto next = fetchOne<Next>(conn, pick, nowParams(conn, now), [](const Statement& s) {
    return Next{s.i64(0), s.text(1), s.i64(2)};
  });
  if (!next.ok()) return std::move(next).error();
  if (!*next) return std::optional<JobLease>();
  auto epoch = updateReturning(conn,
                               "UPDATE execution_jobs SET status = 'running', lease_owner = ?, "
                               "lease_epoch = lease_epoch + 1, attempts = attempts + 1, lease_expires_at = " +
                                   t + " + ?, updated_at = ? WHERE id = ? RETURNING lease_epoch",
                               concat(concat({owner}, nowParams(conn, now)), {lease_ms, now, (*next)->id}));
  if (!epoch.ok()) return std::move(epoch).error();
  auto jobs = getJob(conn, (*next)->tenant_id, (*next)->id);
  if (!jobs.ok()) return std::move(jobs).error();
  JobLease lease;
  lease.job = std::move(jobs).value();
  lease.epoch = epoch->value_or(0);
  lease.taken_over = (*next)->status == kRunning;
  return std::optional<JobLease>(std::move(lease));
}

Result<Millis> renewLease(Connection& conn, Millis now, Id job_id, std::int64_t epoch, Millis lease_ms) {
  const std::string t = nowSql(conn);
  auto expiry = updateReturning(conn,
                                "UPDATE execution_jobs SET lease_expires_at = " + t +
                                    " + ?, updated_at = ? WHERE id = ? AND lease_epoch = ? AND lease_expires_at IS "
                                    "NOT NULL RETURNING lease_expires_at",
                                concat(nowParams(conn, now), {lease_ms, now, job_id, epoch}));
  if (!expiry.ok()) return std::move(expiry).error();
  if (!*expiry) return leaseLost(job_id);
  return **expiry;
}

Status checkLease(Connection& conn, Millis now, Id job_id, std::int64_t epoch) {
  // FOR SHARE: a takeover (which locks the row to update it) waits for this
  // transaction, or this one sees the takeover's epoch. The holder's own
  // writes may end the job (failed, cancelled) within its lease: the epoch
  // and the expiry say whose lease it is, not the status.
  std::string sql = "SELECT id FROM execution_jobs WHERE id = ? AND lease_epoch = ? AND lease_expires_at >= " +
                    nowSql(conn);
  if (conn.dialect() == Dialect::kPostgres) sql += " FOR SHARE";
  auto row = fetchOne<Id>(conn, sql, concat({job_id, epoch}, nowParams(conn, now)),
                          [](const Statement& s) { return s.i64(0); });
  if (!row.ok()) return std::move(row).error();
  if (!*row) return leaseLost(job_id);
  return {};
}

Result<ExecutionJob> finishLease(Connection& conn, Millis now, Id job_id, std::int64_t epoch, JobStatus status,
                                 int attempts) {
  // A job the run (or a cancel) already ended keeps its ending.
  auto tenant = updateReturning(
      conn,
      "UPDATE execution_jobs SET status = CASE WHEN status IN ('succeeded', 'failed', 'cancelled') "
      "THEN status ELSE ? END, attempts = ?, lease_owner = '', lease_expires_at = NULL, "
      "updated_at = ? WHERE id = ? AND lease_epoch = ? AND lease_expires_at IS NOT NULL RETURNING tenant_id",
      {std::string(jobStatusName(status)), static_cast<std::int64_t>(attempts), now, job_id, epoch});
  if (!tenant.ok()) return std::move(tenant).error();
  if (!*tenant) return leaseLost(job_id);
  return getJob(conn, **tenant, job_id);
}

Status noteProgress(Connection& conn, Millis now, Id job_id, std::int64_t epoch) {
  // One statement a checkpoint: the row matched (the lease's), its attempts
  // brought back to 1 when more.
  auto changed = execute(conn,
                         "UPDATE execution_jobs SET attempts = CASE WHEN attempts > 1 THEN 1 ELSE attempts END "
                         "WHERE id = ? AND lease_epoch = ?",
                         {job_id, epoch});
  if (!changed.ok()) return std::move(changed).error();
  if (*changed == 0) return leaseLost(job_id);
  return {};
}

Result<ExecutionJob> markJobRunnable(Connection& conn, Millis now, Id tenant_id, Id execution_id) {
  auto job = getJobForExecution(conn, tenant_id, execution_id);
  if (!job.ok()) return job;
  if (job->status == JobStatus::kRunning || job->status == JobStatus::kQueued) return job;
  auto changed = execute(conn, "UPDATE execution_jobs SET status = 'queued', updated_at = ? WHERE id = ?",
                         {now, job->id});
  if (!changed.ok()) return std::move(changed).error();
  return getJobForExecution(conn, tenant_id, execution_id);
}

}  // namespace codecrew::store::sql
