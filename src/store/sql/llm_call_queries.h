// SQL for LLM calls: recording them and the filtered, sorted, paged listing
// behind GET /conversations/{id}/llm-calls and the gateway's usage. Each
// function runs inside a transaction the caller (SqlStore) has opened.
// Thread-safety: stateless; each call uses the connection it is given.
#pragma once

#include "store/sql/connection.h"
#include "store/store.h"

#include <span>

namespace codecrew::store::sql {

// The sort keys listLlmCalls accepts, in the order error messages name them.
std::span<const std::string_view> llmCallSortKeys();

// timestamp 0 takes now. kNotFound when a referenced conversation,
// execution, API key or fallback call is not the tenant's.
Result<LlmCall> insertLlmCall(Connection& conn, Millis now, const LlmCall& call);
// The same without reading the row back; returns the new id.
Result<Id> insertLlmCallRow(Connection& conn, Millis now, const LlmCall& call);
// insertLlmCallRow for each call in order, stopping at the first error (the
// one that call alone would get). A reference found to be the tenant's is
// not looked up again for a later call of the batch.
Status insertLlmCallRows(Connection& conn, Millis now, const std::vector<LlmCall>& calls);
Result<LlmCall> getLlmCall(Connection& conn, Id tenant_id, Id id);
// Sorted by query.sort_by (ties by id, in the same direction). q matches a
// case-insensitive (ASCII) substring of model, status, error_code,
// request_data or response_data.
Result<Page<LlmCall>> listLlmCalls(Connection& conn, Id tenant_id, const LlmCallQuery& query);
// listLlmCalls over the workflow's calls, each with its conversation's agent.
Result<Page<AgentLlmCall>> listWorkflowLlmCalls(Connection& conn, Id tenant_id, Id workflow_id,
                                                const LlmCallQuery& query);
Result<LlmCallTotals> llmCallTotals(Connection& conn, Id tenant_id, const LlmCallQuery& query);

}  // namespace codecrew::store::sql
