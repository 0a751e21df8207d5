// Aggregate metrics of a workflow or an execution, and the differences
// between two of them, for the compare endpoints.
// Thread-safety: pure functions over thread-safe stores.
#pragma once

#include "core/result.h"
#include "store/execution_store.h"
#include "store/models.h"
#include "store/workflow_store.h"

#include <boost/json/object.hpp>

#include <optional>
#include <set>
#include <string>

namespace codecrew::api {

struct RunMetrics {
  core::Id id = 0;
  std::string name;
  store::RunStatus status = store::RunStatus::kPending;
  std::optional<store::Stage> stage;  // executions only
  std::int64_t executions = 0;        // workflows only
  std::int64_t total_calls = 0;
  std::int64_t total_tokens = 0;
  double total_cost = 0;
  double avg_latency_ms = 0;  // weighted by calls
  std::set<std::string> models;
  boost::json::object toJson() const;
};

// Sums over every execution of the workflow. kNotFound if it is not the tenant's.
core::Result<RunMetrics> workflowMetrics(store::WorkflowStore& workflows, store::ExecutionStore& executions,
                                         core::Id tenant_id, core::Id workflow_id);
RunMetrics executionMetrics(const store::Execution& e);

// b minus a for the numbers; models only in b ("added") or only in a ("removed").
boost::json::object differences(const RunMetrics& a, const RunMetrics& b);

}  // namespace codecrew::api
