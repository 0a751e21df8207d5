// SQL for CrewCode sessions and their files. Each function runs inside a
// transaction the caller (SqlStore) has opened on conn.
// Thread-safety: stateless; each call uses the connection it is given.
#pragma once

#include "store/sql/connection.h"
#include "store/store.h"

namespace codecrew::store::sql {

inline constexpr int kMaxExpiredBatch = 1000;

Result<CrewSession> createSession(Connection& conn, Millis now, const CrewSession& s);
Result<CrewSession> getSession(Connection& conn, Id tenant_id, Id id);
Result<CrewSession> updateSession(Connection& conn, Millis now, const CrewSession& s);
Result<CrewSession> writeSessionFiles(Connection& conn, Millis now, Id tenant_id, Id session_id,
                                      const std::vector<SessionFile>& files, const std::vector<std::string>& removed,
                                      Millis expires_at);
Result<std::vector<SessionFile>> listSessionFiles(Connection& conn, Id tenant_id, Id session_id);
Result<SessionFile> getSessionFile(Connection& conn, Id tenant_id, Id session_id, const std::string& path);
Status deleteSession(Connection& conn, Id tenant_id, Id id);
// limit must be within 1..kMaxExpiredBatch.
Result<std::vector<CrewSession>> listExpiredSessions(Connection& conn, Millis now, int limit);

}  // namespace codecrew::store::sql
