// SQL for workflows and executions. Each function runs inside a transaction
// the caller (SqlStore) has opened on conn; `now` is the store clock's time.
// Thread-safety: stateless; each call uses the connection it is given.
#pragma once

#include "store/sql/connection.h"
#include "store/store.h"

namespace codecrew::store::sql {

Result<Created<Workflow>> createWorkflow(Connection& conn, Millis now, const Workflow& w);
Result<Workflow> getWorkflow(Connection& conn, Id tenant_id, Id id);
Result<std::optional<Workflow>> findWorkflowByStory(Connection& conn, Id tenant_id, const std::string& story_id);
Result<Page<Workflow>> listWorkflows(Connection& conn, Id tenant_id, const WorkflowFilter& filter);
Status deleteWorkflow(Connection& conn, Id tenant_id, Id id);
Result<Workflow> updateWorkflowStatus(Connection& conn, Millis now, Id tenant_id, Id id, RunStatus status);

// The job's idempotency key for an execution: the caller's key scoped to its
// workflow ("wf<workflow_id>:<key>"), or "exec-<execution_id>" without one.
std::string jobKeyFor(Id workflow_id, Id execution_id, const std::optional<std::string>& idempotency_key);

Result<Created<Execution>> createExecution(Connection& conn, Millis now, Id tenant_id, Id workflow_id,
                                           const std::optional<std::string>& idempotency_key,
                                           const boost::json::value& meta);
Result<Execution> getExecution(Connection& conn, Id tenant_id, Id workflow_id, Id id);
Result<Execution> getExecutionById(Connection& conn, Id tenant_id, Id id);
Result<Page<Execution>> listExecutions(Connection& conn, Id tenant_id, Id workflow_id, const PageRequest& page);
Result<std::vector<Execution>> latestExecutions(Connection& conn, Id tenant_id, const std::vector<Id>& workflow_ids);
Result<Execution> updateExecution(Connection& conn, Millis now, const Execution& e);
// The execution's totals recomputed from its own LLM calls. Both of its
// queries read only that execution's calls (llm_calls_by_execution), so
// their cost does not grow with the tenant's history (indexes_test.cpp
// checks their plans).
Result<Execution> refreshExecutionTotals(Connection& conn, Millis now, Id tenant_id, Id execution_id);
// Their text (parameters: tenant id, execution id).
extern const char* const kExecutionModelsSql;
extern const char* const kExecutionTotalsSql;

}  // namespace codecrew::store::sql
