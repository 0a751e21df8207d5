// SQL for workflows and executions. Each function runs inside a transaction
// the caller (SqliteStore) has opened on conn; `now` is the store clock's time.
// Thread-safety: stateless; each call uses the connection it is given.
#pragma once

#include "store/sqlite/sqlite_connection.h"
#include "store/store.h"

namespace codecrew::store::sqlite {

Result<Created<Workflow>> createWorkflow(SqliteConnection& conn, Millis now, const Workflow& w);
Result<Workflow> getWorkflow(SqliteConnection& conn, Id tenant_id, Id id);
Result<std::optional<Workflow>> findWorkflowByStory(SqliteConnection& conn, Id tenant_id, const std::string& story_id);
Result<Page<Workflow>> listWorkflows(SqliteConnection& conn, Id tenant_id, const WorkflowFilter& filter);
Status deleteWorkflow(SqliteConnection& conn, Id tenant_id, Id id);
Result<Workflow> updateWorkflowStatus(SqliteConnection& conn, Millis now, Id tenant_id, Id id, RunStatus status);

// The job's idempotency key for an execution: the caller's key scoped to its
// workflow ("wf<workflow_id>:<key>"), or "exec-<execution_id>" without one.
std::string jobKeyFor(Id workflow_id, Id execution_id, const std::optional<std::string>& idempotency_key);

Result<Created<Execution>> createExecution(SqliteConnection& conn, Millis now, Id tenant_id, Id workflow_id,
                                           const std::optional<std::string>& idempotency_key,
                                           const boost::json::value& meta);
Result<Execution> getExecution(SqliteConnection& conn, Id tenant_id, Id workflow_id, Id id);
Result<Execution> getExecutionById(SqliteConnection& conn, Id tenant_id, Id id);
Result<Page<Execution>> listExecutions(SqliteConnection& conn, Id tenant_id, Id workflow_id, const PageRequest& page);
Result<std::vector<Execution>> latestExecutions(SqliteConnection& conn, Id tenant_id,
                                                const std::vector<Id>& workflow_ids);
Result<Execution> updateExecution(SqliteConnection& conn, Millis now, const Execution& e);
Result<Execution> refreshExecutionTotals(SqliteConnection& conn, Millis now, Id tenant_id, Id execution_id);

}  // namespace codecrew::store::sqlite
