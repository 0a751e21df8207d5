#include "store/sql/output_queries.h"

#include "core/crypto.h"
#include "store/sql/query_support.h"

namespace codecrew::store::sql {
namespace {

constexpr std::string_view kCodeFileColumns =
    "id, tenant_id, workflow_id, conversation_id, execution_id, filename, content, file_type, created_at";

CodeFile readCodeFile(const Statement& s) {
  CodeFile f;
  f.id = s.i64(0);
  f.tenant_id = s.i64(1);
  f.workflow_id = s.i64(2);
  f.conversation_id = s.optI64(3);
  f.execution_id = s.optI64(4);
  f.filename = s.text(5);
  f.content = s.text(6);
  f.file_type = s.text(7);
  f.created_at = s.i64(8);
  return f;
}

constexpr std::string_view kDiffColumns = "id, tenant_id, workflow_id, execution_id, path, diff, created_at";

Diff readDiff(const Statement& s) {
  Diff d;
  d.id = s.i64(0);
  d.tenant_id = s.i64(1);
  d.workflow_id = s.i64(2);
  d.execution_id = s.optI64(3);
  d.path = s.text(4);
  d.diff = s.text(5);
  d.created_at = s.i64(6);
  return d;
}

constexpr std::string_view kArtifactColumns =
    "id, tenant_id, workflow_id, execution_id, kind, uri, checksum, content, created_at";

Artifact readArtifact(const Statement& s) {
  Artifact a;
  a.id = s.i64(0);
  a.tenant_id = s.i64(1);
  a.workflow_id = s.i64(2);
  a.execution_id = s.optI64(3);
  a.kind = s.text(4);
  a.uri = s.text(5);
  a.checksum = s.text(6);
  a.content = s.text(7);
  a.created_at = s.i64(8);
  return a;
}

// "FROM table WHERE tenant_id = ? AND workflow_id = ?" plus the optional
// execution and extra column filters.
std::pair<std::string, SqlParams> scopedWhere(std::string_view table, Id tenant_id, Id workflow_id,
                                              std::optional<Id> execution_id, std::string_view extra_column,
                                              const std::optional<std::string>& extra_value) {
  std::pair<std::string, SqlParams> out{"FROM " + std::string(table) + " WHERE tenant_id = ? AND workflow_id = ?",
                                        {tenant_id, workflow_id}};
  if (execution_id) {
    out.first += " AND execution_id = ?";
    out.second.emplace_back(*execution_id);
  }
  if (extra_value) {
    out.first += " AND " + std::string(extra_column) + " = ?";
    out.second.emplace_back(*extra_value);
  }
  return out;
}

}  // namespace

Result<CodeFile> addCodeFile(Connection& conn, Millis now, const CodeFile& f) {
  if (f.filename.empty()) return core::Error::invalidArgument("a code file needs a filename");
  if (auto st = requireWorkflowScope(conn, f.tenant_id, f.workflow_id, f.execution_id); !st.ok()) {
    return std::move(st).error();
  }
  if (auto st = requireOwnedIfSet(conn, "conversations", "conversation", f.tenant_id, f.conversation_id); !st.ok()) {
    return std::move(st).error();
  }
  auto ins =
      insertReturningId(conn,
                        "INSERT INTO code_files (tenant_id, workflow_id, conversation_id, execution_id, filename, "
                        "content, file_type, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        {f.tenant_id, f.workflow_id, sqlOpt(f.conversation_id), sqlOpt(f.execution_id), f.filename,
                         f.content, f.file_type, now});
  if (!ins.ok()) return std::move(ins).error();
  const Id id = *ins;
  return fetchExisting<CodeFile>(conn, selectSql(kCodeFileColumns, "FROM code_files WHERE id = ?"), {id}, readCodeFile,
                                 "code file", id);
}

Result<std::vector<CodeFile>> listCodeFiles(Connection& conn, Id tenant_id, Id workflow_id,
                                            std::optional<Id> execution_id) {
  if (auto st = requireOwned(conn, "workflows", "workflow", tenant_id, workflow_id); !st.ok()) {
    return std::move(st).error();
  }
  auto [where, params] = scopedWhere("code_files", tenant_id, workflow_id, execution_id, "", std::nullopt);
  return fetchAll<CodeFile>(conn, selectSql(kCodeFileColumns, where + " ORDER BY id"), params, readCodeFile);
}

Result<Diff> addDiff(Connection& conn, Millis now, const Diff& d) {
  if (d.path.empty()) return core::Error::invalidArgument("a diff needs a path");
  if (auto st = requireWorkflowScope(conn, d.tenant_id, d.workflow_id, d.execution_id); !st.ok()) {
    return std::move(st).error();
  }
  auto ins = insertReturningId(conn,
                               "INSERT INTO diffs (tenant_id, workflow_id, execution_id, path, diff, created_at) "
                               "VALUES (?, ?, ?, ?, ?, ?)",
                               {d.tenant_id, d.workflow_id, sqlOpt(d.execution_id), d.path, d.diff, now});
  if (!ins.ok()) return std::move(ins).error();
  const Id id = *ins;
  return fetchExisting<Diff>(conn, selectSql(kDiffColumns, "FROM diffs WHERE id = ?"), {id}, readDiff, "diff", id);
}

Result<Page<Diff>> listDiffs(Connection& conn, Id tenant_id, Id workflow_id, std::optional<Id> execution_id,
                             const std::optional<std::string>& path, const PageRequest& page) {
  if (auto st = requireOwned(conn, "workflows", "workflow", tenant_id, workflow_id); !st.ok()) {
    return std::move(st).error();
  }
  auto [where, params] = scopedWhere("diffs", tenant_id, workflow_id, execution_id, "path", path);
  return fetchPage<Diff>(conn, kDiffColumns, where, params, "path ASC, id ASC", page, readDiff);
}

Result<Artifact> addArtifact(Connection& conn, Millis now, const Artifact& a) {
  if (a.kind.empty()) return core::Error::invalidArgument("an artifact needs a kind");
  if (auto st = requireWorkflowScope(conn, a.tenant_id, a.workflow_id, a.execution_id); !st.ok()) {
    return std::move(st).error();
  }
  const std::string checksum = a.checksum.empty() ? core::sha256Hex(a.content) : a.checksum;
  auto ins =
      insertReturningId(conn,
                        "INSERT INTO artifacts (tenant_id, workflow_id, execution_id, kind, uri, checksum, content, "
                        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        {a.tenant_id, a.workflow_id, sqlOpt(a.execution_id), a.kind, a.uri, checksum, a.content, now});
  if (!ins.ok()) return std::move(ins).error();
  const Id id = *ins;
  return fetchExisting<Artifact>(conn, selectSql(kArtifactColumns, "FROM artifacts WHERE id = ?"), {id}, readArtifact,
                                 "artifact", id);
}

Result<Artifact> getArtifact(Connection& conn, Id tenant_id, Id workflow_id, Id id) {
  return fetchExisting<Artifact>(conn,
                                 selectSql(kArtifactColumns,
                                           "FROM artifacts WHERE id = ? AND tenant_id = ? AND "
                                           "workflow_id = ?"),
                                 {id, tenant_id, workflow_id}, readArtifact, "artifact", id);
}

Result<Page<Artifact>> listArtifacts(Connection& conn, Id tenant_id, Id workflow_id, std::optional<Id> execution_id,
                                     const std::optional<std::string>& kind, const PageRequest& page) {
  if (auto st = requireOwned(conn, "workflows", "workflow", tenant_id, workflow_id); !st.ok()) {
    return std::move(st).error();
  }
  auto [where, params] = scopedWhere("artifacts", tenant_id, workflow_id, execution_id, "kind", kind);
  return fetchPage<Artifact>(conn, kArtifactColumns, where, params, "id ASC", page, readArtifact);
}

}  // namespace codecrew::store::sql
