// SQL for what executions produce: code files, diffs and artifacts. Each
// function runs inside a transaction the caller (SqlStore) has opened.
// Thread-safety: stateless; each call uses the connection it is given.
#pragma once

#include "store/sql/connection.h"
#include "store/store.h"

namespace codecrew::store::sql {

Result<CodeFile> addCodeFile(Connection& conn, Millis now, const CodeFile& f);
Result<std::vector<CodeFile>> listCodeFiles(Connection& conn, Id tenant_id, Id workflow_id,
                                            std::optional<Id> execution_id);
Result<Diff> addDiff(Connection& conn, Millis now, const Diff& d);
Result<Page<Diff>> listDiffs(Connection& conn, Id tenant_id, Id workflow_id, std::optional<Id> execution_id,
                             const std::optional<std::string>& path, const PageRequest& page);
// An empty checksum is filled with the SHA-256 of the content.
Result<Artifact> addArtifact(Connection& conn, Millis now, const Artifact& a);
Result<Artifact> getArtifact(Connection& conn, Id tenant_id, Id workflow_id, Id id);
Result<Page<Artifact>> listArtifacts(Connection& conn, Id tenant_id, Id workflow_id, std::optional<Id> execution_id,
                                     const std::optional<std::string>& kind, const PageRequest& page);

}  // namespace codecrew::store::sql
