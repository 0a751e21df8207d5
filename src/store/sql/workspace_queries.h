// SQL for the workspace steps of executions (store/workspace_store.h). Each
// function runs inside a transaction the caller (SqlStore) has opened on
// conn.
// Thread-safety: stateless; each call uses the connection it is given.
#pragma once

#include "store/sql/connection.h"
#include "store/store.h"

#include <vector>

namespace codecrew::store::sql {

Result<WorkspaceStep> addWorkspaceStep(Connection& conn, Millis now, const WorkspaceStep& step);
Status setWorkspaceChanges(Connection& conn, Millis now, const WorkspaceStep& changes);
Result<std::vector<WorkspaceStep>> listWorkspaceSteps(Connection& conn, Id tenant_id, Id execution_id);

}  // namespace codecrew::store::sql
