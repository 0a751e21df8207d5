// SessionStore: CrewCode sessions: a user's project files kept between
// diff-mode requests, with an expiry. The contracts of store.h hold (tenant
// scoping, one transaction a call), except listExpiredSessions, which spans
// tenants (the sweeper's query).
#pragma once

#include "store/store_types.h"

#include <string>
#include <vector>

namespace codecrew::store {

class SessionStore {
 public:
  virtual ~SessionStore() = default;

  // Stores a session (name, workflow_id, expires_at) with no files.
  virtual Result<CrewSession> createSession(const CrewSession& s) = 0;
  virtual Result<CrewSession> getSession(Id tenant_id, Id id) = 0;
  // Writes name, workflow_id and expires_at. kNotFound if no such session.
  virtual Result<CrewSession> updateSession(const CrewSession& s) = 0;
  // Inserts or replaces `files` and removes the paths in `removed` (absent
  // ones are ignored), and sets the session's expires_at, in one transaction.
  virtual Result<CrewSession> writeSessionFiles(Id tenant_id, Id session_id, const std::vector<SessionFile>& files,
                                                const std::vector<std::string>& removed, Millis expires_at) = 0;
  // The session's files with their content, by path.
  virtual Result<std::vector<SessionFile>> listSessionFiles(Id tenant_id, Id session_id) = 0;
  // kNotFound names the path when the session has no such file.
  virtual Result<SessionFile> getSessionFile(Id tenant_id, Id session_id, const std::string& path) = 0;
  // Deletes the session and its files (its workflow is left to the caller).
  virtual Status deleteSession(Id tenant_id, Id id) = 0;
  // Sessions of every tenant whose expires_at <= now, oldest first, at most limit.
  virtual Result<std::vector<CrewSession>> listExpiredSessions(Millis now, int limit) = 0;
};

}  // namespace codecrew::store
