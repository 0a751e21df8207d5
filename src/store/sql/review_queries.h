// SQL for human review and code hosting: approvals (seed 002 HITL gates),
// pull requests and their checks. Each function runs inside a transaction the
// caller (SqlStore) has opened on conn.
// Thread-safety: stateless; each call uses the connection it is given.
#pragma once

#include "store/sql/connection.h"
#include "store/store.h"

namespace codecrew::store::sql {

// A new pending approval; requested_at 0 takes now.
Result<Approval> createApproval(Connection& conn, Millis now, const Approval& a);
Result<Approval> getApproval(Connection& conn, Id tenant_id, Id id);
// status: filter on that status; absent or empty: every status.
Result<Page<Approval>> listApprovals(Connection& conn, Id tenant_id, const std::optional<ApprovalStatus>& status,
                                     std::optional<Id> execution_id, const PageRequest& page);
// decision approve|reject|changes sets status approved|rejected|changes_requested.
Result<Approval> decideApproval(Connection& conn, Millis now, Id tenant_id, Id id, Decision decision,
                                const std::string& reviewer, const std::string& comment);

Result<PullRequest> upsertPullRequest(Connection& conn, Millis now, const PullRequest& pr);
Result<std::optional<PullRequest>> getPullRequest(Connection& conn, Id tenant_id, Id workflow_id);
Result<Check> upsertCheck(Connection& conn, Millis now, const Check& c);
Result<std::optional<PullRequest>> findPullRequestByBranch(Connection& conn, const std::string& repository,
                                                           const std::string& branch);
Result<std::optional<PullRequest>> findPullRequestByNumber(Connection& conn, const std::string& repository,
                                                           std::int64_t number);
Status dropChecksNotAt(Connection& conn, Id tenant_id, Id pull_request_id, const std::string& head_sha);
Result<Page<Check>> listChecks(Connection& conn, Id tenant_id, Id pull_request_id, const PageRequest& page);

}  // namespace codecrew::store::sql
