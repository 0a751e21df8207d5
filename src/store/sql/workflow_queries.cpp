#include "store/sql/workflow_queries.h"

#include "store/sql/query_support.h"

#include <boost/json/array.hpp>

#include <array>

namespace codecrew::store::sql {
namespace {

constexpr std::string_view kWorkflowColumns =
    "id, tenant_id, project_id, name, description, jira_story_id, repository_url, crew, status, created_at, "
    "updated_at, inputs";

Workflow readWorkflow(const Statement& s) {
  Workflow w;
  w.id = s.i64(0);
  w.tenant_id = s.i64(1);
  w.project_id = s.optI64(2);
  w.name = s.text(3);
  w.description = s.text(4);
  w.jira_story_id = s.optText(5);
  w.repository_url = s.text(6);
  w.crew = s.text(7);
  w.status = parseRunStatus(s.text(8)).value_or(RunStatus::kFailed);
  w.created_at = s.i64(9);
  w.updated_at = s.i64(10);
  w.inputs = s.isNull(11) ? boost::json::value(boost::json::object()) : s.json(11);
  return w;
}

constexpr std::string_view kExecutionColumns =
    "id, tenant_id, workflow_id, status, stage, started_at, finished_at, total_calls, total_tokens, total_cost, "
    "avg_latency_ms, models, meta, idempotency_key, error, created_at, updated_at, workspace, checkpoint, api_key_id, inputs, "
    "trace_parent, request_id";

Execution readExecution(const Statement& s) {
  Execution e;
  e.id = s.i64(0);
  e.tenant_id = s.i64(1);
  e.workflow_id = s.i64(2);
  e.status = parseRunStatus(s.text(3)).value_or(RunStatus::kFailed);
  e.stage = parseStage(s.text(4)).value_or(Stage::kFailed);
  e.started_at = s.optI64(5);
  e.finished_at = s.optI64(6);
  e.total_calls = s.i64(7);
  e.total_tokens = s.i64(8);
  e.total_cost = s.f64(9);
  e.avg_latency_ms = s.f64(10);
  e.models = s.isNull(11) ? boost::json::value(boost::json::array()) : s.json(11);
  e.meta = s.isNull(12) ? boost::json::value(boost::json::object()) : s.json(12);
  e.idempotency_key = s.optText(13);
  e.error = s.text(14);
  e.created_at = s.i64(15);
  e.updated_at = s.i64(16);
  e.workspace = s.text(17);
  if (!s.isNull(18)) e.checkpoint = s.json(18);
  e.api_key_id = s.optI64(19);
  e.inputs = s.isNull(20) ? boost::json::value(boost::json::object()) : s.json(20);
  e.trace_parent = s.text(21);
  e.request_id = s.text(22);
  return e;
}

SqlValue inputsColumn(const boost::json::value& inputs) {
  return sqlJson(inputs.is_object() ? inputs : boost::json::value(boost::json::object()));
}

SqlValue checkpointColumn(const boost::json::value& checkpoint) {
  if (checkpoint.is_null()) return SqlValue(nullptr);
  return sqlJson(checkpoint);
}

Result<std::optional<Execution>> findExecutionByKey(Connection& conn, Id tenant_id, Id workflow_id,
                                                    const std::string& key) {
  return fetchOne<Execution>(
      conn,
      selectSql(kExecutionColumns, "FROM executions WHERE tenant_id = ? AND workflow_id = ? AND idempotency_key = ?"),
      {tenant_id, workflow_id, key}, readExecution);
}

}  // namespace

Result<Created<Workflow>> createWorkflow(Connection& conn, Millis now, const Workflow& w) {
  if (w.name.empty()) return core::Error::invalidArgument("a workflow needs a name");
  if (auto st = requireOwnedIfSet(conn, "projects", "project", w.tenant_id, w.project_id); !st.ok()) {
    return std::move(st).error();
  }
  if (w.jira_story_id) {
    auto existing = findWorkflowByStory(conn, w.tenant_id, *w.jira_story_id);
    if (!existing.ok()) return std::move(existing).error();
    if (*existing) return Created<Workflow>{std::move(**existing), false};
  }
  auto ins = insertReturningId(
      conn,
      "INSERT INTO workflows (tenant_id, project_id, name, description, jira_story_id, "
      "repository_url, crew, status, created_at, updated_at, inputs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {w.tenant_id, sqlOpt(w.project_id), w.name, w.description, sqlOpt(w.jira_story_id), w.repository_url, w.crew,
       std::string(runStatusName(w.status)), now, now, inputsColumn(w.inputs)});
  if (!ins.ok()) return std::move(ins).error();
  auto created = getWorkflow(conn, w.tenant_id, *ins);
  if (!created.ok()) return std::move(created).error();
  return Created<Workflow>{std::move(created).value(), true};
}

Result<std::optional<Workflow>> findWorkflowByStory(Connection& conn, Id tenant_id, const std::string& story_id) {
  return fetchOne<Workflow>(conn,
                            selectSql(kWorkflowColumns, "FROM workflows WHERE tenant_id = ? AND jira_story_id = ?"),
                            {tenant_id, story_id}, readWorkflow);
}

Result<Workflow> getWorkflow(Connection& conn, Id tenant_id, Id id) {
  return fetchExisting<Workflow>(conn, selectSql(kWorkflowColumns, "FROM workflows WHERE tenant_id = ? AND id = ?"),
                                 {tenant_id, id}, readWorkflow, "workflow", id);
}

Result<Page<Workflow>> listWorkflows(Connection& conn, Id tenant_id, const WorkflowFilter& filter) {
  if (filter.status) {
    return fetchPage<Workflow>(conn, kWorkflowColumns, "FROM workflows WHERE tenant_id = ? AND status = ?",
                               {tenant_id, std::string(runStatusName(*filter.status))}, "id DESC", filter.page,
                               readWorkflow);
  }
  return fetchPage<Workflow>(conn, kWorkflowColumns, "FROM workflows WHERE tenant_id = ?", {tenant_id}, "id DESC",
                             filter.page, readWorkflow);
}

Status deleteWorkflow(Connection& conn, Id tenant_id, Id id) {
  auto changed = execute(conn, "DELETE FROM workflows WHERE tenant_id = ? AND id = ?", {tenant_id, id});
  if (!changed.ok()) return std::move(changed).error();
  if (*changed == 0) return notFound("workflow", id);
  return {};
}

Result<Workflow> updateWorkflowStatus(Connection& conn, Millis now, Id tenant_id, Id id, RunStatus status) {
  auto changed = execute(conn, "UPDATE workflows SET status = ?, updated_at = ? WHERE tenant_id = ? AND id = ?",
                         {std::string(runStatusName(status)), now, tenant_id, id});
  if (!changed.ok()) return std::move(changed).error();
  if (*changed == 0) return notFound("workflow", id);
  return getWorkflow(conn, tenant_id, id);
}

std::string jobKeyFor(Id workflow_id, Id execution_id, const std::optional<std::string>& idempotency_key) {
  if (idempotency_key) return "wf" + std::to_string(workflow_id) + ":" + *idempotency_key;
  return "exec-" + std::to_string(execution_id);
}

Result<Created<Execution>> createExecution(Connection& conn, Millis now, Id tenant_id, Id workflow_id,
                                           const std::optional<std::string>& idempotency_key,
                                           const boost::json::value& meta) {
  if (idempotency_key && idempotency_key->empty()) {
    return core::Error::invalidArgument("an idempotency key must not be empty");
  }
  if (auto st = requireOwned(conn, "workflows", "workflow", tenant_id, workflow_id); !st.ok()) {
    return std::move(st).error();
  }
  if (idempotency_key) {
    auto existing = findExecutionByKey(conn, tenant_id, workflow_id, *idempotency_key);
    if (!existing.ok()) return std::move(existing).error();
    if (*existing) return Created<Execution>{std::move(**existing), false};
  }
  boost::json::value stored_meta = meta.is_null() ? boost::json::value(boost::json::object()) : meta;
  auto ins =
      insertReturningId(conn,
                        "INSERT INTO executions (tenant_id, workflow_id, status, stage, models, meta, idempotency_key, "
                        "created_at, updated_at) VALUES (?, ?, 'pending', 'NEW', '[]', ?, ?, ?, ?)",
                        {tenant_id, workflow_id, sqlJson(stored_meta), sqlOpt(idempotency_key), now, now});
  if (!ins.ok()) return std::move(ins).error();
  const Id execution_id = *ins;
  auto job = execute(conn,
                     "INSERT INTO execution_jobs (tenant_id, execution_id, idempotency_key, status, created_at, "
                     "updated_at) VALUES (?, ?, ?, 'queued', ?, ?)",
                     {tenant_id, execution_id, jobKeyFor(workflow_id, execution_id, idempotency_key), now, now});
  if (!job.ok()) return std::move(job).error();
  auto created = getExecutionById(conn, tenant_id, execution_id);
  if (!created.ok()) return std::move(created).error();
  return Created<Execution>{std::move(created).value(), true};
}

Result<Execution> getExecution(Connection& conn, Id tenant_id, Id workflow_id, Id id) {
  return fetchExisting<Execution>(conn,
                                  selectSql(kExecutionColumns,
                                            "FROM executions WHERE tenant_id = ? AND workflow_id = ? AND id = ?"),
                                  {tenant_id, workflow_id, id}, readExecution, "execution", id);
}

Result<Execution> getExecutionById(Connection& conn, Id tenant_id, Id id) {
  return fetchExisting<Execution>(conn, selectSql(kExecutionColumns, "FROM executions WHERE tenant_id = ? AND id = ?"),
                                  {tenant_id, id}, readExecution, "execution", id);
}

Result<Page<Execution>> listExecutions(Connection& conn, Id tenant_id, Id workflow_id, const PageRequest& page) {
  if (auto st = requireOwned(conn, "workflows", "workflow", tenant_id, workflow_id); !st.ok()) {
    return std::move(st).error();
  }
  return fetchPage<Execution>(conn, kExecutionColumns, "FROM executions WHERE tenant_id = ? AND workflow_id = ?",
                              {tenant_id, workflow_id}, "id DESC", page, readExecution);
}

Result<std::vector<Execution>> latestExecutions(Connection& conn, Id tenant_id, const std::vector<Id>& workflow_ids) {
  if (workflow_ids.empty()) return std::vector<Execution>{};
  // executions_by_workflow (tenant_id, workflow_id, id) answers each MAX(id).
  std::string in = "?";
  for (std::size_t i = 1; i < workflow_ids.size(); ++i) in += ", ?";
  SqlParams params{tenant_id, tenant_id};
  for (Id id : workflow_ids) params.emplace_back(id);
  return fetchAll<Execution>(conn,
                             selectSql(kExecutionColumns,
                                       "FROM executions WHERE tenant_id = ? AND id IN (SELECT MAX(id) FROM executions "
                                       "WHERE tenant_id = ? AND workflow_id IN (" +
                                           in + ") GROUP BY workflow_id)"),
                             params, readExecution);
}

Result<Execution> updateExecution(Connection& conn, Millis now, const Execution& e) {
  auto changed =
      execute(conn,
              "UPDATE executions SET status = ?, stage = ?, started_at = ?, finished_at = ?, "
              "total_calls = ?, total_tokens = ?, total_cost = ?, avg_latency_ms = ?, models = ?, "
              "meta = ?, error = ?, workspace = ?, checkpoint = ?, api_key_id = ?, inputs = ?, trace_parent = ?, "
              "request_id = ?, updated_at = ? "
              "WHERE tenant_id = ? AND id = ?",
              {std::string(runStatusName(e.status)),
               std::string(stageName(e.stage)),
               sqlOpt(e.started_at),
               sqlOpt(e.finished_at),
               e.total_calls,
               e.total_tokens,
               e.total_cost,
               e.avg_latency_ms,
               sqlJson(e.models),
               sqlJson(e.meta),
               e.error,
               e.workspace,
               checkpointColumn(e.checkpoint),
               sqlOpt(std::optional<std::int64_t>(e.api_key_id)),
               inputsColumn(e.inputs),
               e.trace_parent,
               e.request_id,
               now,
               e.tenant_id,
               e.id});
  if (!changed.ok()) return std::move(changed).error();
  if (*changed == 0) return notFound("execution", e.id);
  return getExecutionById(conn, e.tenant_id, e.id);
}

// `model || ''` keeps the planner off llm_calls_by_model: ordered by model,
// that index would serve DISTINCT without a sort but reads every call of the
// tenant; a sort of one execution's few models is cheaper.
const char* const kExecutionModelsSql =
    "SELECT DISTINCT model || '' AS m FROM llm_calls WHERE tenant_id = ? AND execution_id = ? ORDER BY m";
const char* const kExecutionTotalsSql =
    "SELECT count(*), coalesce(sum(total_tokens), 0), coalesce(sum(cost), 0), coalesce(avg(response_time_ms), 0) "
    "FROM llm_calls WHERE tenant_id = ? AND execution_id = ?";

Result<Execution> refreshExecutionTotals(Connection& conn, Millis now, Id tenant_id, Id execution_id) {
  if (auto st = requireOwned(conn, "executions", "execution", tenant_id, execution_id); !st.ok()) {
    return std::move(st).error();
  }
  auto models = fetchAll<std::string>(conn, kExecutionModelsSql, {tenant_id, execution_id},
                                      [](const Statement& s) { return s.text(0); });
  if (!models.ok()) return std::move(models).error();
  boost::json::array model_list;
  for (auto& m : *models) model_list.emplace_back(m);
  auto changed = execute(conn,
                         std::string(
                             "UPDATE executions SET (total_calls, total_tokens, total_cost, avg_latency_ms) = (") +
                             kExecutionTotalsSql + "), models = ?, updated_at = ? WHERE tenant_id = ? AND id = ?",
                         {tenant_id, execution_id, sqlJson(model_list), now, tenant_id, execution_id});
  if (!changed.ok()) return std::move(changed).error();
  return getExecutionById(conn, tenant_id, execution_id);
}

}  // namespace codecrew::store::sql
