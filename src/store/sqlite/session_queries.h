// SQL for CrewCode sessions and their files. Each function runs inside a
// transaction the caller (SqliteStore) has opened on conn.
// Thread-safety: stateless; each call uses the connection it is given.
#pragma once

#include "store/sqlite/sqlite_connection.h"
#include "store/store.h"

namespace codecrew::store::sqlite {

inline constexpr int kMaxExpiredBatch = 1000;

Result<CrewSession> createSession(SqliteConnection& conn, Millis now, const CrewSession& s);
Result<CrewSession> getSession(SqliteConnection& conn, Id tenant_id, Id id);
Result<CrewSession> updateSession(SqliteConnection& conn, Millis now, const CrewSession& s);
Result<CrewSession> writeSessionFiles(SqliteConnection& conn, Millis now, Id tenant_id, Id session_id,
                                      const std::vector<SessionFile>& files, const std::vector<std::string>& removed,
                                      Millis expires_at);
Result<std::vector<SessionFile>> listSessionFiles(SqliteConnection& conn, Id tenant_id, Id session_id);
Result<SessionFile> getSessionFile(SqliteConnection& conn, Id tenant_id, Id session_id, const std::string& path);
Status deleteSession(SqliteConnection& conn, Id tenant_id, Id id);
// limit must be within 1..kMaxExpiredBatch.
Result<std::vector<CrewSession>> listExpiredSessions(SqliteConnection& conn, Millis now, int limit);

}  // namespace codecrew::store::sqlite
