// LlmCallStore: the record of every model call, whoever made it: an agent in
// a conversation, an execution, or a gateway caller by API key. What the
// call recorders and the gateway's usage limits need, and the API's call
// listings. The contracts of store.h hold (tenant scoping, one transaction a
// call).
#pragma once

#include "store/store_types.h"

#include <optional>
#include <string>
#include <vector>

namespace codecrew::store {

// The query behind GET /conversations/{id}/llm-calls (seed 001), GET
// /workflows/{id}/llm-calls and the gateway's usage listing. Filters combine
// with AND.
struct LlmCallQuery {
  PageRequest page;
  std::optional<Id> conversation_id;
  std::optional<Id> execution_id;
  // Calls of the workflow's executions or conversations; kNotFound when the
  // workflow is not the tenant's, or execution_id is not one of its executions.
  std::optional<Id> workflow_id;
  std::optional<std::string> agent;  // the agent of the call's conversation (exact match)
  std::optional<Id> api_key_id;
  std::string sort_by = "timestamp";  // timestamp|model|total_tokens|response_time_ms|cost|id
  bool descending = true;
  std::optional<std::string> model;  // exact match
  std::optional<std::string> q;      // substring of model, status, error_code, request or response data
  std::optional<Millis> date_from;   // timestamp >= date_from
  std::optional<Millis> date_to;     // timestamp <= date_to
};

// An LLM call with the agent of its conversation ("" when it has none).
struct AgentLlmCall {
  LlmCall call;
  std::string agent;
};

struct LlmCallTotals {
  std::int64_t calls = 0;
  std::int64_t total_tokens = 0;
  double total_cost = 0;
  double avg_latency_ms = 0;
  std::vector<std::string> models;  // distinct, sorted
};

class LlmCallStore {
 public:
  virtual ~LlmCallStore() = default;

  virtual Result<LlmCall> insertLlmCall(const LlmCall& call) = 0;
  // Many calls in one transaction (the gateway's batched writer).
  virtual Status insertLlmCalls(const std::vector<LlmCall>& calls) = 0;
  virtual Result<LlmCall> getLlmCall(Id tenant_id, Id id) = 0;
  // kInvalidArgument for an unknown sort_by or page outside 1..; page_size 1..200.
  virtual Result<Page<LlmCall>> listLlmCalls(Id tenant_id, const LlmCallQuery& query) = 0;
  // Totals over the calls matching the query's filters (paging ignored).
  virtual Result<LlmCallTotals> llmCallTotals(Id tenant_id, const LlmCallQuery& query) = 0;
  // listLlmCalls over the workflow's calls (query.workflow_id is set to
  // workflow_id), each with the agent of its conversation; kNotFound when the
  // workflow is not the tenant's.
  virtual Result<Page<AgentLlmCall>> listWorkflowLlmCalls(Id tenant_id, Id workflow_id, const LlmCallQuery& query) = 0;
};

}  // namespace codecrew::store
