#include "store/sql/review_queries.h"

#include "store/sql/query_support.h"

#include <boost/json/object.hpp>

namespace codecrew::store::sql {
namespace {

constexpr std::string_view kApprovalColumns =
    "id, tenant_id, workflow_id, execution_id, gate, status, requested_at, decided_at, decision, reviewer, comment";

Approval readApproval(const Statement& s) {
  Approval a;
  a.id = s.i64(0);
  a.tenant_id = s.i64(1);
  a.workflow_id = s.i64(2);
  a.execution_id = s.i64(3);
  a.gate = s.text(4);
  a.status = parseApprovalStatus(s.text(5)).value_or(ApprovalStatus::kPending);
  a.requested_at = s.i64(6);
  a.decided_at = s.optI64(7);
  if (auto d = s.optText(8)) a.decision = parseDecision(*d);
  a.reviewer = s.text(9);
  a.comment = s.text(10);
  return a;
}

constexpr std::string_view kPullRequestColumns =
    "id, tenant_id, workflow_id, number, url, title, state, head_branch, base_branch, head_sha, created_at, "
    "updated_at, repository, draft, fix_attempts, fingerprints, loop_state, loop_reason";

PullRequest readPullRequest(const Statement& s) {
  PullRequest p;
  p.id = s.i64(0);
  p.tenant_id = s.i64(1);
  p.workflow_id = s.i64(2);
  p.number = s.i64(3);
  p.url = s.text(4);
  p.title = s.text(5);
  p.state = s.text(6);
  p.head_branch = s.text(7);
  p.base_branch = s.text(8);
  p.head_sha = s.text(9);
  p.created_at = s.i64(10);
  p.updated_at = s.i64(11);
  p.repository = s.text(12);
  p.draft = s.i64(13) != 0;
  p.fix_attempts = static_cast<int>(s.i64(14));
  p.fingerprints = s.json(15);
  if (!p.fingerprints.is_array()) p.fingerprints = boost::json::array();
  p.loop_state = s.text(16);
  p.loop_reason = s.text(17);
  return p;
}

constexpr std::string_view kCheckColumns =
    "id, tenant_id, pull_request_id, name, status, conclusion, url, created_at, updated_at, head_sha, summary, "
    "output";

Check readCheck(const Statement& s) {
  Check c;
  c.id = s.i64(0);
  c.tenant_id = s.i64(1);
  c.pull_request_id = s.i64(2);
  c.name = s.text(3);
  c.status = s.text(4);
  c.conclusion = s.text(5);
  c.url = s.text(6);
  c.created_at = s.i64(7);
  c.updated_at = s.i64(8);
  c.head_sha = s.text(9);
  c.summary = s.text(10);
  c.output = s.text(11);
  return c;
}

}  // namespace

Result<Approval> createApproval(Connection& conn, Millis now, const Approval& a) {
  if (a.gate.empty()) return core::Error::invalidArgument("an approval needs a gate");
  if (auto st = requireWorkflowScope(conn, a.tenant_id, a.workflow_id, a.execution_id); !st.ok()) {
    return std::move(st).error();
  }
  auto ins = insertReturningId(
      conn,
      "INSERT INTO approvals (tenant_id, workflow_id, execution_id, gate, status, requested_at, "
      "reviewer, comment) VALUES (?, ?, ?, ?, 'pending', ?, '', '')",
      {a.tenant_id, a.workflow_id, a.execution_id, a.gate, a.requested_at > 0 ? a.requested_at : now});
  if (!ins.ok()) return std::move(ins).error();
  return getApproval(conn, a.tenant_id, *ins);
}

Result<Approval> getApproval(Connection& conn, Id tenant_id, Id id) {
  return fetchExisting<Approval>(conn, selectSql(kApprovalColumns, "FROM approvals WHERE tenant_id = ? AND id = ?"),
                                 {tenant_id, id}, readApproval, "approval", id);
}

Result<Page<Approval>> listApprovals(Connection& conn, Id tenant_id, const std::optional<ApprovalStatus>& status,
                                     std::optional<Id> execution_id, const PageRequest& page) {
  std::string where = "FROM approvals WHERE tenant_id = ?";
  SqlParams params{tenant_id};
  if (status) {
    where += " AND status = ?";
    params.emplace_back(std::string(approvalStatusName(*status)));
  }
  if (execution_id) {
    if (auto st = requireOwned(conn, "executions", "execution", tenant_id, *execution_id); !st.ok()) {
      return std::move(st).error();
    }
    where += " AND execution_id = ?";
    params.emplace_back(*execution_id);
  }
  return fetchPage<Approval>(conn, kApprovalColumns, where, params, "id ASC", page, readApproval);
}

Result<Approval> decideApproval(Connection& conn, Millis now, Id tenant_id, Id id, Decision decision,
                                const std::string& reviewer, const std::string& comment) {
  auto current = getApproval(conn, tenant_id, id);
  if (!current.ok()) return current;
  if (current->status != ApprovalStatus::kPending) {
    return core::Error::conflict("approval " + std::to_string(id) + " was already decided (" +
                                 std::string(approvalStatusName(current->status)) + ")");
  }
  auto changed = execute(conn,
                         "UPDATE approvals SET status = ?, decision = ?, reviewer = ?, comment = ?, decided_at = ? "
                         "WHERE tenant_id = ? AND id = ? AND status = 'pending'",
                         {std::string(approvalStatusName(statusAfter(decision))), std::string(decisionName(decision)),
                          reviewer, comment, now, tenant_id, id});
  if (!changed.ok()) return std::move(changed).error();
  return getApproval(conn, tenant_id, id);
}

Result<PullRequest> upsertPullRequest(Connection& conn, Millis now, const PullRequest& pr) {
  if (auto st = requireOwned(conn, "workflows", "workflow", pr.tenant_id, pr.workflow_id); !st.ok()) {
    return std::move(st).error();
  }
  auto up = execute(conn,
                    "INSERT INTO pull_requests (tenant_id, workflow_id, number, url, title, state, head_branch, "
                    "base_branch, head_sha, created_at, updated_at, repository, draft, fix_attempts, fingerprints, "
                    "loop_state, loop_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (workflow_id) DO UPDATE SET number = excluded.number, url = excluded.url, "
                    "title = excluded.title, state = excluded.state, head_branch = excluded.head_branch, "
                    "base_branch = excluded.base_branch, head_sha = excluded.head_sha, "
                    "updated_at = excluded.updated_at, repository = excluded.repository, draft = excluded.draft, "
                    "fix_attempts = excluded.fix_attempts, fingerprints = excluded.fingerprints, "
                    "loop_state = excluded.loop_state, loop_reason = excluded.loop_reason",
                    {pr.tenant_id, pr.workflow_id, pr.number, pr.url, pr.title, pr.state, pr.head_branch,
                     pr.base_branch, pr.head_sha, now, now, pr.repository, std::int64_t{pr.draft ? 1 : 0},
                     std::int64_t{pr.fix_attempts},
                     sqlJson(pr.fingerprints.is_array() ? pr.fingerprints : boost::json::value(boost::json::array())),
                     pr.loop_state.empty() ? std::string("idle") : pr.loop_state, pr.loop_reason});
  if (!up.ok()) return std::move(up).error();
  auto stored = getPullRequest(conn, pr.tenant_id, pr.workflow_id);
  if (!stored.ok()) return std::move(stored).error();
  if (!*stored) return core::Error::internal("pull request vanished after upsert");
  if (!pr.head_sha.empty()) {  // the checks of an earlier head go with it
    auto dropped = execute(conn,
                           "DELETE FROM checks WHERE tenant_id = ? AND pull_request_id = ? AND head_sha <> '' AND "
                           "head_sha <> ?",
                           {pr.tenant_id, (*stored)->id, pr.head_sha});
    if (!dropped.ok()) return std::move(dropped).error();
  }
  return std::move(**stored);
}

Result<std::optional<PullRequest>> getPullRequest(Connection& conn, Id tenant_id, Id workflow_id) {
  if (auto st = requireOwned(conn, "workflows", "workflow", tenant_id, workflow_id); !st.ok()) {
    return std::move(st).error();
  }
  return fetchOne<PullRequest>(conn,
                               selectSql(kPullRequestColumns,
                                         "FROM pull_requests WHERE tenant_id = ? AND workflow_id = ?"),
                               {tenant_id, workflow_id}, readPullRequest);
}

Result<Check> upsertCheck(Connection& conn, Millis now, const Check& c) {
  if (c.name.empty()) return core::Error::invalidArgument("a check needs a name");
  if (auto st = requireOwned(conn, "pull_requests", "pull request", c.tenant_id, c.pull_request_id); !st.ok()) {
    return std::move(st).error();
  }
  auto up = execute(conn,
                    "INSERT INTO checks (tenant_id, pull_request_id, name, status, conclusion, url, created_at, "
                    "updated_at, head_sha, summary, output) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (pull_request_id, name) DO UPDATE SET "
                    "status = excluded.status, conclusion = excluded.conclusion, url = excluded.url, "
                    "updated_at = excluded.updated_at, head_sha = excluded.head_sha, summary = excluded.summary, "
                    "output = excluded.output",
                    {c.tenant_id, c.pull_request_id, c.name, c.status, c.conclusion, c.url, now, now, c.head_sha,
                     c.summary, c.output});
  if (!up.ok()) return std::move(up).error();
  return fetchExisting<Check>(conn,
                              selectSql(kCheckColumns,
                                        "FROM checks WHERE tenant_id = ? AND pull_request_id = ? AND name = ?"),
                              {c.tenant_id, c.pull_request_id, c.name}, readCheck, "check", c.pull_request_id);
}

Result<std::optional<PullRequest>> findPullRequestByBranch(Connection& conn, const std::string& repository,
                                                           const std::string& branch) {
  return fetchOne<PullRequest>(conn,
                               selectSql(kPullRequestColumns,
                                         "FROM pull_requests WHERE repository = ? AND head_branch = ? "
                                         "ORDER BY id DESC LIMIT 1"),
                               {repository, branch}, readPullRequest);
}

Result<std::optional<PullRequest>> findPullRequestByNumber(Connection& conn, const std::string& repository,
                                                           std::int64_t number) {
  return fetchOne<PullRequest>(conn,
                               selectSql(kPullRequestColumns,
                                         "FROM pull_requests WHERE repository = ? AND number = ? "
                                         "ORDER BY id DESC LIMIT 1"),
                               {repository, number}, readPullRequest);
}

Status dropChecksNotAt(Connection& conn, Id tenant_id, Id pull_request_id, const std::string& head_sha) {
  auto r = execute(conn, "DELETE FROM checks WHERE tenant_id = ? AND pull_request_id = ? AND head_sha <> ?",
                   {tenant_id, pull_request_id, head_sha});
  if (!r.ok()) return std::move(r).error();
  return core::okStatus();
}

Result<Page<Check>> listChecks(Connection& conn, Id tenant_id, Id pull_request_id, const PageRequest& page) {
  if (auto st = requireOwned(conn, "pull_requests", "pull request", tenant_id, pull_request_id); !st.ok()) {
    return std::move(st).error();
  }
  return fetchPage<Check>(conn, kCheckColumns, "FROM checks WHERE tenant_id = ? AND pull_request_id = ?",
                          {tenant_id, pull_request_id}, "name ASC, id ASC", page, readCheck);
}

}  // namespace codecrew::store::sql
