// SQL for what executions produce: code files, diffs and artifacts. Each
// function runs inside a transaction the caller (SqliteStore) has opened.
// Thread-safety: stateless; each call uses the connection it is given.
#pragma once

#include "store/sqlite/sqlite_connection.h"
#include "store/store.h"

namespace codecrew::store::sqlite {

Result<CodeFile> addCodeFile(SqliteConnection& conn, Millis now, const CodeFile& f);
Result<std::vector<CodeFile>> listCodeFiles(SqliteConnection& conn, Id tenant_id, Id workflow_id,
                                            std::optional<Id> execution_id);
Result<Diff> addDiff(SqliteConnection& conn, Millis now, const Diff& d);
Result<Page<Diff>> listDiffs(SqliteConnection& conn, Id tenant_id, Id workflow_id, std::optional<Id> execution_id,
                             const std::optional<std::string>& path, const PageRequest& page);
// An empty checksum is filled with the SHA-256 of the content.
Result<Artifact> addArtifact(SqliteConnection& conn, Millis now, const Artifact& a);
Result<Page<Artifact>> listArtifacts(SqliteConnection& conn, Id tenant_id, Id workflow_id,
                                     std::optional<Id> execution_id, const std::optional<std::string>& kind,
                                     const PageRequest& page);

}  // namespace codecrew::store::sqlite
