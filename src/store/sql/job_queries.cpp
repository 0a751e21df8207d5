#include "store/sql/job_queries.h"

#include "store/sql/query_support.h"

namespace codecrew::store::sql {
namespace {

constexpr std::string_view kJobColumns =
    "id, tenant_id, execution_id, idempotency_key, status, attempts, max_attempts, lease_owner, lease_expires_at, "
    "created_at, updated_at";

ExecutionJob readJob(const Statement& s) {
  ExecutionJob j;
  j.id = s.i64(0);
  j.tenant_id = s.i64(1);
  j.execution_id = s.i64(2);
  j.idempotency_key = s.text(3);
  j.status = parseJobStatus(s.text(4)).value_or(JobStatus::kFailed);
  j.attempts = s.i32(5);
  j.max_attempts = s.i32(6);
  j.lease_owner = s.text(7);
  j.lease_expires_at = s.optI64(8);
  j.created_at = s.i64(9);
  j.updated_at = s.i64(10);
  return j;
}

constexpr std::string_view kAttemptColumns =
    "id, tenant_id, job_id, attempt_no, status, worker, started_at, finished_at, error";

JobAttempt readAttempt(const Statement& s) {
  JobAttempt a;
  a.id = s.i64(0);
  a.tenant_id = s.i64(1);
  a.job_id = s.i64(2);
  a.attempt_no = s.i32(3);
  a.status = parseAttemptStatus(s.text(4)).value_or(AttemptStatus::kFailed);
  a.worker = s.text(5);
  a.started_at = s.i64(6);
  a.finished_at = s.optI64(7);
  a.error = s.text(8);
  return a;
}

Result<JobAttempt> getAttempt(Connection& conn, Id tenant_id, Id id) {
  return fetchExisting<JobAttempt>(conn, selectSql(kAttemptColumns, "FROM job_attempts WHERE tenant_id = ? AND id = ?"),
                                   {tenant_id, id}, readAttempt, "job attempt", id);
}

}  // namespace

Result<ExecutionJob> getJob(Connection& conn, Id tenant_id, Id id) {
  return fetchExisting<ExecutionJob>(conn, selectSql(kJobColumns, "FROM execution_jobs WHERE tenant_id = ? AND id = ?"),
                                     {tenant_id, id}, readJob, "job", id);
}

Result<ExecutionJob> getJobForExecution(Connection& conn, Id tenant_id, Id execution_id) {
  auto job = fetchOne<ExecutionJob>(conn,
                                    selectSql(kJobColumns,
                                              "FROM execution_jobs WHERE tenant_id = ? AND execution_id = ?"),
                                    {tenant_id, execution_id}, readJob);
  if (!job.ok()) return std::move(job).error();
  if (!*job) return core::Error::notFound("no job for execution " + std::to_string(execution_id));
  return std::move(**job);
}

Result<ExecutionJob> updateJob(Connection& conn, Millis now, const ExecutionJob& job) {
  if (job.max_attempts < 1) return core::Error::invalidArgument("max_attempts must be 1 or more");
  auto changed = execute(conn,
                         "UPDATE execution_jobs SET status = ?, attempts = ?, max_attempts = ?, lease_owner = ?, "
                         "lease_expires_at = ?, updated_at = ? WHERE tenant_id = ? AND id = ?",
                         {std::string(jobStatusName(job.status)), static_cast<std::int64_t>(job.attempts),
                          static_cast<std::int64_t>(job.max_attempts), job.lease_owner, sqlOpt(job.lease_expires_at),
                          now, job.tenant_id, job.id});
  if (!changed.ok()) return std::move(changed).error();
  if (*changed == 0) return notFound("job", job.id);
  return getJob(conn, job.tenant_id, job.id);
}

Result<JobAttempt> addJobAttempt(Connection& conn, Millis now, const JobAttempt& a) {
  if (auto st = requireOwned(conn, "execution_jobs", "job", a.tenant_id, a.job_id); !st.ok()) {
    return std::move(st).error();
  }
  std::int64_t attempt_no = a.attempt_no;
  if (attempt_no <= 0) {
    if (auto locked = lockForUpdate(conn, "execution_jobs", a.job_id); !locked.ok()) return std::move(locked).error();
    auto last = fetchInt(conn, "SELECT coalesce(max(attempt_no), 0) FROM job_attempts WHERE job_id = ?", {a.job_id});
    if (!last.ok()) return std::move(last).error();
    attempt_no = *last + 1;
  }
  auto ins = insertReturningId(conn,
                               "INSERT INTO job_attempts (tenant_id, job_id, attempt_no, status, worker, started_at, "
                               "finished_at, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                               {a.tenant_id, a.job_id, attempt_no, std::string(attemptStatusName(a.status)), a.worker,
                                a.started_at > 0 ? a.started_at : now, sqlOpt(a.finished_at), a.error});
  if (!ins.ok()) {
    if (ins.error().code == core::ErrorCode::kAlreadyExists) {
      return core::Error::alreadyExists("job " + std::to_string(a.job_id) + " already has attempt " +
                                        std::to_string(attempt_no));
    }
    return std::move(ins).error();
  }
  return getAttempt(conn, a.tenant_id, *ins);
}

Result<JobAttempt> claimJobAttempt(Connection& conn, Millis now, Id tenant_id, Id execution_id,
                                   const std::string& worker) {
  auto job = getJobForExecution(conn, tenant_id, execution_id);
  if (!job.ok()) return std::move(job).error();
  auto changed = execute(conn,
                         "UPDATE execution_jobs SET status = ?, attempts = attempts + 1, lease_owner = ?, "
                         "updated_at = ? WHERE tenant_id = ? AND id = ? AND attempts < max_attempts",
                         {std::string(jobStatusName(JobStatus::kRunning)), worker, now, tenant_id, job->id});
  if (!changed.ok()) return std::move(changed).error();
  if (*changed == 0)
    return core::Error{core::ErrorCode::kResourceExhausted,
                       "job " + std::to_string(job->id) + " has used all of its " + std::to_string(job->max_attempts) +
                           " attempts",
                       nullptr};
  JobAttempt attempt;
  attempt.tenant_id = tenant_id;
  attempt.job_id = job->id;
  attempt.worker = worker;
  return addJobAttempt(conn, now, attempt);
}

Result<JobAttempt> updateJobAttempt(Connection& conn, const JobAttempt& a) {
  auto changed = execute(conn,
                         "UPDATE job_attempts SET status = ?, worker = ?, finished_at = ?, error = ? "
                         "WHERE tenant_id = ? AND id = ?",
                         {std::string(attemptStatusName(a.status)), a.worker, sqlOpt(a.finished_at), a.error,
                          a.tenant_id, a.id});
  if (!changed.ok()) return std::move(changed).error();
  if (*changed == 0) return notFound("job attempt", a.id);
  return getAttempt(conn, a.tenant_id, a.id);
}

Result<std::vector<JobAttempt>> listJobAttempts(Connection& conn, Id tenant_id, Id job_id) {
  if (auto st = requireOwned(conn, "execution_jobs", "job", tenant_id, job_id); !st.ok()) {
    return std::move(st).error();
  }
  return fetchAll<JobAttempt>(conn,
                              selectSql(kAttemptColumns,
                                        "FROM job_attempts WHERE tenant_id = ? AND job_id = ? ORDER BY attempt_no"),
                              {tenant_id, job_id}, readAttempt);
}

Result<std::vector<ExecutionJob>> listJobsByStatus(Connection& conn, JobStatus status) {
  return fetchAll<ExecutionJob>(conn, selectSql(kJobColumns, "FROM execution_jobs WHERE status = ? ORDER BY id"),
                                {std::string(jobStatusName(status))}, readJob);
}

}  // namespace codecrew::store::sql
