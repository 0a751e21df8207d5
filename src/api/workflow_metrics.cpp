#include "api/workflow_metrics.h"
#include "api/schemas.h"

namespace codecrew::api {
namespace json = boost::json;

json::object RunMetrics::toJson() const {
  json::array m;
  for (const auto& s : models) m.push_back(json::value(s));
  json::object o{{"id", id},
                 {"status", store::runStatusName(status)},
                 {"total_calls", total_calls},
                 {"total_tokens", total_tokens},
                 {"total_cost", total_cost},
                 {"avg_latency_ms", avg_latency_ms},
                 {"models", std::move(m)}};
  if (!name.empty()) o["name"] = name;
  if (stage) o["stage"] = store::stageName(*stage);
  else o["executions"] = executions;
  return o;
}

RunMetrics executionMetrics(const store::Execution& e) {
  RunMetrics m;
  m.id = e.id;
  m.status = e.status;
  m.stage = e.stage;
  m.total_calls = e.total_calls;
  m.total_tokens = e.total_tokens;
  m.total_cost = e.total_cost;
  m.avg_latency_ms = e.avg_latency_ms;
  if (e.models.is_array())
    for (const auto& v : e.models.as_array())
      if (v.is_string()) m.models.insert(std::string(v.as_string()));
  return m;
}

core::Result<RunMetrics> workflowMetrics(store::WorkflowStore& workflows, store::ExecutionStore& executions,
                                         core::Id tenant_id, core::Id workflow_id) {
  auto w = workflows.getWorkflow(tenant_id, workflow_id);
  if (!w) return w.error();
  RunMetrics m;
  m.id = w->id;
  m.name = w->name;
  m.status = w->status;
  double latency_sum = 0;
  for (int page = 1;; ++page) {
    auto list = executions.listExecutions(tenant_id, workflow_id, {page, 200});
    if (!list) return list.error();
    for (const auto& e : list->items) {
      RunMetrics em = executionMetrics(e);
      m.executions++;
      m.total_calls += em.total_calls;
      m.total_tokens += em.total_tokens;
      m.total_cost += em.total_cost;
      latency_sum += em.avg_latency_ms * double(em.total_calls);
      m.models.insert(em.models.begin(), em.models.end());
    }
    if (std::int64_t(page) * 200 >= list->total || list->items.empty()) break;
  }
  m.avg_latency_ms = m.total_calls ? latency_sum / double(m.total_calls) : 0;
  return m;
}

json::object differences(const RunMetrics& a, const RunMetrics& b) {
  json::array added, removed;
  for (const auto& s : b.models)
    if (!a.models.count(s)) added.push_back(json::value(s));
  for (const auto& s : a.models)
    if (!b.models.count(s)) removed.push_back(json::value(s));
  json::object d{{"total_calls", b.total_calls - a.total_calls},
                 {"total_tokens", b.total_tokens - a.total_tokens},
                 {"total_cost", b.total_cost - a.total_cost},
                 {"avg_latency_ms", b.avg_latency_ms - a.avg_latency_ms},
                 {"models_added", std::move(added)},
                 {"models_removed", std::move(removed)},
                 {"same_status", a.status == b.status}};
  if (a.stage || b.stage) d["same_stage"] = a.stage == b.stage;
  if (!a.stage) d["executions"] = b.executions - a.executions;
  return d;
}

void addMetricsSchemas(SchemaMap& out) {
  out["RunMetrics"] = closedObject(R"({
      "id": {"type": "integer"}, "name": {"type": "string", "description": "a workflow's"},
      "status": {"$ref": "#/components/schemas/RunStatus"},
      "stage": {"type": "string", "description": "an execution's"},
      "executions": {"type": "integer", "description": "a workflow's"},
      "total_calls": {"type": "integer"}, "total_tokens": {"type": "integer"}, "total_cost": {"type": "number"},
      "avg_latency_ms": {"type": "number"}, "models": {"type": "array", "items": {"type": "string"}}})",
                                   {"name", "stage", "executions"});
  out["MetricsDifferences"] = closedObject(R"({
      "total_calls": {"type": "integer"}, "total_tokens": {"type": "integer"}, "total_cost": {"type": "number"},
      "avg_latency_ms": {"type": "number"},
      "models_added": {"type": "array", "items": {"type": "string"}},
      "models_removed": {"type": "array", "items": {"type": "string"}},
      "same_status": {"type": "boolean"}, "same_stage": {"type": "boolean"}, "executions": {"type": "integer"}})",
                                           {"same_stage", "executions"});
}

}  // namespace codecrew::api
