#include "store/sql/workspace_queries.h"

#include "store/sql/query_support.h"

namespace codecrew::store::sql {
namespace {

constexpr std::string_view kWorkspaceStepColumns =
    "id, tenant_id, execution_id, seq, commit_sha, commit_object, patch, encoding, created_at";

WorkspaceStep readWorkspaceStep(const Statement& s) {
  WorkspaceStep w;
  w.id = s.i64(0);
  w.tenant_id = s.i64(1);
  w.execution_id = s.i64(2);
  w.seq = s.i32(3);
  w.commit = s.text(4);
  w.object = s.text(5);
  w.patch = s.text(6);
  w.encoding = s.text(7);
  w.created_at = s.i64(8);
  return w;
}

core::Status checkEncoding(const WorkspaceStep& w) {
  if (w.encoding.empty() || w.encoding == "hex") return {};
  return core::Error::invalidArgument("unknown workspace step encoding '" + w.encoding + "'");
}

}  // namespace

Result<WorkspaceStep> addWorkspaceStep(Connection& conn, Millis now, const WorkspaceStep& w) {
  if (w.seq < 1) return core::Error::invalidArgument("a workspace commit's seq starts at 1");
  if (w.commit.empty()) return core::Error::invalidArgument("a workspace commit needs its sha");
  if (auto st = checkEncoding(w); !st.ok()) return std::move(st).error();
  if (auto st = requireOwned(conn, "executions", "execution", w.tenant_id, w.execution_id); !st.ok())
    return std::move(st).error();
  auto taken = fetchInt(conn, "SELECT count(*) FROM workspace_steps WHERE execution_id = ? AND seq = ?",
                        {w.execution_id, static_cast<std::int64_t>(w.seq)});
  if (!taken.ok()) return std::move(taken).error();
  if (*taken > 0)
    return core::Error{core::ErrorCode::kAlreadyExists,
                       "execution " + std::to_string(w.execution_id) + " has a workspace step " + std::to_string(w.seq),
                       nullptr};
  auto ins = insertReturningId(conn,
                               "INSERT INTO workspace_steps (tenant_id, execution_id, seq, commit_sha, commit_object, "
                               "patch, encoding, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                               {w.tenant_id, w.execution_id, static_cast<std::int64_t>(w.seq), w.commit, w.object,
                                w.patch, w.encoding, now});
  if (!ins.ok()) return std::move(ins).error();
  const Id id = *ins;
  return fetchExisting<WorkspaceStep>(conn, selectSql(kWorkspaceStepColumns, "FROM workspace_steps WHERE id = ?"), {id},
                                      readWorkspaceStep, "workspace step", id);
}

Status setWorkspaceChanges(Connection& conn, Millis now, const WorkspaceStep& w) {
  if (auto st = checkEncoding(w); !st.ok()) return st;
  if (auto st = requireOwned(conn, "executions", "execution", w.tenant_id, w.execution_id); !st.ok()) return st;
  auto removed = execute(conn, "DELETE FROM workspace_steps WHERE tenant_id = ? AND execution_id = ? AND seq = 0",
                         {w.tenant_id, w.execution_id});
  if (!removed.ok()) return std::move(removed).error();
  if (w.patch.empty()) return {};
  auto ins = execute(conn,
                     "INSERT INTO workspace_steps (tenant_id, execution_id, seq, patch, encoding, created_at) "
                     "VALUES (?, ?, 0, ?, ?, ?)",
                     {w.tenant_id, w.execution_id, w.patch, w.encoding, now});
  if (!ins.ok()) return std::move(ins).error();
  return {};
}

Result<std::vector<WorkspaceStep>> listWorkspaceSteps(Connection& conn, Id tenant_id, Id execution_id) {
  if (auto st = requireOwned(conn, "executions", "execution", tenant_id, execution_id); !st.ok())
    return std::move(st).error();
  return fetchAll<WorkspaceStep>(
      conn,
      selectSql(kWorkspaceStepColumns, "FROM workspace_steps WHERE tenant_id = ? AND execution_id = ? ORDER BY seq"),
      {tenant_id, execution_id}, readWorkspaceStep);
}

}  // namespace codecrew::store::sql
