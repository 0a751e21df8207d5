#include "store/sql/operations_queries.h"

#include "store/sql/query_support.h"

namespace codecrew::store::sql {

Result<OperationalSnapshot> operationalSnapshot(Connection& conn) {
  OperationalSnapshot out;
  struct Count {
    std::string status;
    std::int64_t count = 0;
  };
  auto counts = fetchAll<Count>(conn, "SELECT status, count(*) FROM executions GROUP BY status", {},
                                [](const Statement& s) {
                                  return Count{s.text(0), s.i64(1)};
                                });
  if (!counts.ok()) return std::move(counts).error();
  for (const auto& c : *counts)
    if (auto status = parseRunStatus(c.status)) out.executions[*status] = c.count;
  struct Waiting {
    std::int64_t count = 0;
    std::optional<Millis> oldest;
  };
  auto read = [](const Statement& s) { return Waiting{s.i64(0), s.optI64(1)}; };
  // A job's updated_at is when it was last queued: at its start, or when a
  // worker handed it back or a resume queued it again.
  auto jobs = fetchOne<Waiting>(conn, "SELECT count(*), min(updated_at) FROM execution_jobs WHERE status = 'queued'",
                                {}, read);
  if (!jobs.ok()) return std::move(jobs).error();
  if (*jobs) {
    out.queued_jobs = (*jobs)->count;
    out.oldest_queued_at = (*jobs)->oldest;
  }
  auto approvals = fetchOne<Waiting>(conn, "SELECT count(*), min(requested_at) FROM approvals WHERE status = 'pending'",
                                     {}, read);
  if (!approvals.ok()) return std::move(approvals).error();
  if (*approvals) {
    out.pending_approvals = (*approvals)->count;
    out.oldest_approval_at = (*approvals)->oldest;
  }
  return out;
}

}  // namespace codecrew::store::sql
