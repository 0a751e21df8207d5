#include "store/sql/session_queries.h"

#include "store/sql/query_support.h"

namespace codecrew::store::sql {
namespace {

// Sizes come from a correlated subquery so a session without files reads as
// 0; a file's size is its length in bytes.
std::string sessionSelect(const Connection& conn) {
  const std::string bytes = conn.dialect() == Dialect::kPostgres ? "octet_length(f.content)"
                                                                 : "length(CAST(f.content AS BLOB))";
  return "SELECT s.id, s.tenant_id, s.name, s.workflow_id, s.expires_at, s.created_at, s.updated_at, "
         "(SELECT count(*) FROM session_files f WHERE f.session_id = s.id), "
         "(SELECT coalesce(sum(" +
         bytes + "), 0) FROM session_files f WHERE f.session_id = s.id) FROM crew_sessions s ";
}

CrewSession readSession(const Statement& st) {
  CrewSession s;
  s.id = st.i64(0);
  s.tenant_id = st.i64(1);
  s.name = st.text(2);
  s.workflow_id = st.optI64(3);
  s.expires_at = st.i64(4);
  s.created_at = st.i64(5);
  s.updated_at = st.i64(6);
  s.file_count = st.i64(7);
  s.total_bytes = st.i64(8);
  return s;
}

SessionFile readFile(const Statement& st) {
  SessionFile f;
  f.tenant_id = st.i64(0);
  f.session_id = st.i64(1);
  f.path = st.text(2);
  f.content = st.text(3);
  f.updated_at = st.i64(4);
  return f;
}

constexpr std::string_view kFileSelect = "SELECT tenant_id, session_id, path, content, updated_at FROM session_files ";

}  // namespace

Result<CrewSession> createSession(Connection& conn, Millis now, const CrewSession& s) {
  auto tenant = fetchInt(conn, "SELECT count(*) FROM tenants WHERE id = ?", {s.tenant_id});
  if (!tenant.ok()) return std::move(tenant).error();
  if (*tenant == 0) return notFound("tenant", s.tenant_id);
  auto ins =
      insertReturningId(conn,
                        "INSERT INTO crew_sessions (tenant_id, name, workflow_id, expires_at, created_at, updated_at) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        {s.tenant_id, s.name, sqlOpt(s.workflow_id), s.expires_at, now, now});
  if (!ins.ok()) return std::move(ins).error();
  return getSession(conn, s.tenant_id, *ins);
}

Result<CrewSession> getSession(Connection& conn, Id tenant_id, Id id) {
  return fetchExisting<CrewSession>(conn, sessionSelect(conn) + "WHERE s.tenant_id = ? AND s.id = ?", {tenant_id, id},
                                    readSession, "session", id);
}

Result<CrewSession> updateSession(Connection& conn, Millis now, const CrewSession& s) {
  auto changed = execute(conn,
                         "UPDATE crew_sessions SET name = ?, workflow_id = ?, expires_at = ?, updated_at = ? "
                         "WHERE tenant_id = ? AND id = ?",
                         {s.name, sqlOpt(s.workflow_id), s.expires_at, now, s.tenant_id, s.id});
  if (!changed.ok()) return std::move(changed).error();
  if (*changed == 0) return notFound("session", s.id);
  return getSession(conn, s.tenant_id, s.id);
}

Result<CrewSession> writeSessionFiles(Connection& conn, Millis now, Id tenant_id, Id session_id,
                                      const std::vector<SessionFile>& files, const std::vector<std::string>& removed,
                                      Millis expires_at) {
  auto touched = execute(conn, "UPDATE crew_sessions SET expires_at = ?, updated_at = ? WHERE tenant_id = ? AND id = ?",
                         {expires_at, now, tenant_id, session_id});
  if (!touched.ok()) return std::move(touched).error();
  if (*touched == 0) return notFound("session", session_id);
  for (const auto& f : files) {
    if (f.path.empty()) return core::Error::invalidArgument("a session file needs a path");
    auto up = execute(conn,
                      "INSERT INTO session_files (tenant_id, session_id, path, content, created_at, updated_at) "
                      "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (session_id, path) DO UPDATE SET "
                      "content = excluded.content, updated_at = excluded.updated_at",
                      {tenant_id, session_id, f.path, f.content, now, now});
    if (!up.ok()) return std::move(up).error();
  }
  for (const auto& path : removed) {
    auto del = execute(conn, "DELETE FROM session_files WHERE tenant_id = ? AND session_id = ? AND path = ?",
                       {tenant_id, session_id, path});
    if (!del.ok()) return std::move(del).error();
  }
  return getSession(conn, tenant_id, session_id);
}

Result<std::vector<SessionFile>> listSessionFiles(Connection& conn, Id tenant_id, Id session_id) {
  if (auto st = requireOwned(conn, "crew_sessions", "session", tenant_id, session_id); !st.ok())
    return std::move(st).error();
  return fetchAll<SessionFile>(conn, std::string(kFileSelect) + "WHERE tenant_id = ? AND session_id = ? ORDER BY path",
                               {tenant_id, session_id}, readFile);
}

Result<SessionFile> getSessionFile(Connection& conn, Id tenant_id, Id session_id, const std::string& path) {
  if (auto st = requireOwned(conn, "crew_sessions", "session", tenant_id, session_id); !st.ok())
    return std::move(st).error();
  auto one = fetchOne<SessionFile>(conn,
                                   std::string(kFileSelect) + "WHERE tenant_id = ? AND session_id = ? AND path = ?",
                                   {tenant_id, session_id, path}, readFile);
  if (!one.ok()) return std::move(one).error();
  if (!*one)
    return core::Error{core::ErrorCode::kNotFound,
                       "session " + std::to_string(session_id) + " has no file '" + path + "'", nullptr};
  return std::move(**one);
}

Status deleteSession(Connection& conn, Id tenant_id, Id id) {
  auto changed = execute(conn, "DELETE FROM crew_sessions WHERE tenant_id = ? AND id = ?", {tenant_id, id});
  if (!changed.ok()) return std::move(changed).error();
  if (*changed == 0) return notFound("session", id);
  return {};
}

Result<std::vector<CrewSession>> listExpiredSessions(Connection& conn, Millis now, int limit) {
  if (limit < 1 || limit > kMaxExpiredBatch)
    return core::Error::invalidArgument("limit must be between 1 and " + std::to_string(kMaxExpiredBatch));
  return fetchAll<CrewSession>(conn,
                               sessionSelect(conn) + "WHERE s.expires_at <= ? ORDER BY s.expires_at, s.id LIMIT ?",
                               {now, static_cast<std::int64_t>(limit)}, readSession);
}

}  // namespace codecrew::store::sql
