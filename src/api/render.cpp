#include "api/render.h"

#include "api/schemas.h"
#include "core/time_format.h"

namespace codecrew::api {
namespace json = boost::json;
namespace {

json::value ts(core::Millis t) { return json::value(core::formatIso8601(t)); }

json::value ts(const std::optional<core::Millis>& t) { return t ? ts(*t) : json::value(nullptr); }

template <typename T>
json::value opt(const std::optional<T>& v) {
  return v ? json::value(*v) : json::value(nullptr);
}

}  // namespace

json::object toJson(const store::Workflow& w) {
  return {{"id", w.id},
          {"name", w.name},
          {"description", w.description},
          {"jira_story_id", opt(w.jira_story_id)},
          {"repository_url", w.repository_url},
          {"crew", w.crew},
          {"inputs", w.inputs},
          {"project_id", opt(w.project_id)},
          {"status", store::runStatusName(w.status)},
          {"created_at", ts(w.created_at)},
          {"updated_at", ts(w.updated_at)}};
}

namespace {

json::value optNumber(const std::optional<std::int64_t>& v) { return v ? json::value(*v) : json::value(nullptr); }
json::value optNumber(const std::optional<double>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::object budgetJson(const engine::BudgetUse& b) {
  return {{"tokens_used", b.tokens_used},
          {"cost_used", b.cost_used},
          {"tokens_limit", optNumber(b.tokens_limit)},
          {"cost_limit", optNumber(b.cost_limit)},
          {"tokens_left", optNumber(b.tokensLeft())},
          {"cost_left", optNumber(b.costLeft())}};
}

json::array textArray(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& s : items) out.emplace_back(s);
  return out;
}

}  // namespace

json::object toJson(const engine::ExecutionProgress& p) {
  json::object visits, agents, commits;
  for (const auto& [stage, n] : p.visits) visits[stage] = n;
  for (const auto& [agent, use] : p.agent_budgets) agents[agent] = budgetJson(use);
  for (const auto& [visit, sha] : p.commits) commits[visit] = sha;
  json::value plan = nullptr;
  if (p.plan_summary || !p.plan_tasks.empty()) {
    json::array tasks;
    for (const auto& t : p.plan_tasks)
      tasks.push_back(json::object{{"id", t.id},
                                   {"title", t.title},
                                   {"description", t.description},
                                   {"files", textArray(t.files)},
                                   {"depends_on", textArray(t.depends_on)},
                                   {"state", t.done ? "done" : "pending"}});
    plan = json::object{{"summary", p.plan_summary.value_or("")}, {"tasks", std::move(tasks)}};
  }
  json::array done;
  for (const auto& t : p.tasks_done) done.push_back(json::object{{"visit", t.visit}, {"task", t.task}});
  json::value pending = nullptr;
  if (p.gate_pending)
    pending = json::object{{"approval_id", p.gate_pending->approval_id}, {"gate", p.gate_pending->gate}};
  return {{"stage", store::stageName(p.stage)},
          {"paused_at", p.paused_at ? json::value(store::stageName(*p.paused_at)) : json::value(nullptr)},
          {"loops", json::object{{"test", p.test_loops}, {"review", p.review_loops}}},
          {"visits", std::move(visits)},
          {"branch", p.branch.empty() ? json::value(nullptr) : json::value(p.branch)},
          {"base_commit", p.base_commit.empty() ? json::value(nullptr) : json::value(p.base_commit)},
          {"budget", json::object{{"execution", budgetJson(p.execution_budget)},
                                  {"agents", std::move(agents)},
                                  {"step_limits", json::object{{"tokens", optNumber(p.step_tokens_limit)},
                                                               {"cost", optNumber(p.step_cost_limit)}}}}},
          {"plan", std::move(plan)},
          {"tasks_done", std::move(done)},
          {"gates", json::object{{"passed", textArray(p.gates_passed)}, {"pending", std::move(pending)}}},
          {"commits", std::move(commits)}};
}

json::object toJson(const store::Execution& e) {
  return {{"id", e.id},
          {"workflow_id", e.workflow_id},
          {"status", store::runStatusName(e.status)},
          {"stage", store::stageName(e.stage)},
          {"started_at", ts(e.started_at)},
          {"finished_at", ts(e.finished_at)},
          {"total_calls", e.total_calls},
          {"total_tokens", e.total_tokens},
          {"total_cost", e.total_cost},
          {"avg_latency_ms", e.avg_latency_ms},
          {"models", e.models},
          {"meta", e.meta},
          {"inputs", e.inputs},
          {"progress", toJson(engine::progressOf(e))},
          {"idempotency_key", opt(e.idempotency_key)},
          {"error", e.error.empty() ? json::value(nullptr) : json::value(e.error)},
          {"created_at", ts(e.created_at)},
          {"updated_at", ts(e.updated_at)}};
}

json::object toJson(const store::ExecutionJob& j) {
  return {{"id", j.id},
          {"execution_id", j.execution_id},
          {"idempotency_key", j.idempotency_key},
          {"status", store::jobStatusName(j.status)},
          {"attempts", j.attempts},
          {"max_attempts", j.max_attempts},
          {"created_at", ts(j.created_at)},
          {"updated_at", ts(j.updated_at)}};
}

json::object toJson(const store::Conversation& c) {
  return {{"id", c.id},
          {"workflow_id", c.workflow_id},
          {"execution_id", opt(c.execution_id)},
          {"agent", c.agent},
          {"step", c.step},
          {"prompt", c.prompt},
          {"output", c.output},
          {"details", c.details},
          {"timestamp", ts(c.timestamp)},
          {"total_tokens_used", c.total_tokens_used},
          {"total_cost", c.total_cost}};
}

json::object toJson(const store::Message& m) {
  return {{"id", m.id},
          {"conversation_id", m.conversation_id},
          {"role", m.role},
          {"content", m.content},
          {"artifacts", m.artifacts},
          {"message_metadata", m.message_metadata},
          {"created_at", ts(m.created_at)}};
}

json::object toJson(const store::LlmCall& c) {
  return {{"id", c.id},
          {"conversation_id", opt(c.conversation_id)},
          {"execution_id", opt(c.execution_id)},
          {"provider", c.provider},
          {"model", c.model},
          {"prompt_tokens", c.prompt_tokens},
          {"completion_tokens", c.completion_tokens},
          {"total_tokens", c.total_tokens},
          {"max_tokens", opt(c.max_tokens)},
          {"total_tokens_requested", c.total_tokens_requested},
          {"response_time_ms", c.response_time_ms},
          {"status", store::callStatusName(c.status)},
          {"error_code", c.error_code.empty() ? json::value(nullptr) : json::value(c.error_code)},
          {"truncated_sections", c.truncated_sections},
          {"prompt_hash", c.prompt_hash},
          {"response_hash", c.response_hash},
          {"budget_snapshot", c.budget_snapshot},
          {"cost", c.cost},
          {"timestamp", ts(c.timestamp)},
          {"request_data", c.request_data},
          {"response_data", c.response_data},
          {"attempt", c.attempt},
          {"fallback_of", opt(c.fallback_of)},
          {"request_id", c.request_id.empty() ? json::value(nullptr) : json::value(c.request_id)},
          {"trace_id", c.trace_id.empty() ? json::value(nullptr) : json::value(c.trace_id)},
          {"span_id", c.span_id.empty() ? json::value(nullptr) : json::value(c.span_id)}};
}

json::object toJson(const store::CodeFile& f) {
  return {{"id", f.id},
          {"conversation_id", opt(f.conversation_id)},
          {"execution_id", opt(f.execution_id)},
          {"filename", f.filename},
          {"content", f.content},
          {"file_type", f.file_type},
          {"created_at", ts(f.created_at)}};
}

json::object toJson(const store::Diff& d) {
  return {{"id", d.id},     {"workflow_id", d.workflow_id},  {"execution_id", opt(d.execution_id)}, {"path", d.path},
          {"diff", d.diff}, {"created_at", ts(d.created_at)}};
}

json::object toJson(const store::Artifact& a) {
  return {{"id", a.id},
          {"workflow_id", a.workflow_id},
          {"execution_id", opt(a.execution_id)},
          {"kind", a.kind},
          {"uri", a.uri},
          {"checksum", a.checksum},
          {"content", a.content},
          {"created_at", ts(a.created_at)}};
}

json::object toJson(const store::PullRequest& pr) {
  return {{"id", pr.id},
          {"workflow_id", pr.workflow_id},
          {"number", pr.number},
          {"url", pr.url},
          {"title", pr.title},
          {"state", pr.state},
          {"head_branch", pr.head_branch},
          {"base_branch", pr.base_branch},
          {"head_sha", pr.head_sha},
          {"repository", pr.repository},
          {"draft", pr.draft},
          {"loop", json::object{{"state", pr.loop_state},
                                {"reason", pr.loop_reason},
                                {"fix_attempts", pr.fix_attempts},
                                {"fingerprints", pr.fingerprints}}},
          {"created_at", ts(pr.created_at)},
          {"updated_at", ts(pr.updated_at)}};
}

json::object toJson(const store::Check& c) {
  return {{"id", c.id},
          {"pull_request_id", c.pull_request_id},
          {"name", c.name},
          {"status", c.status},
          {"conclusion", c.conclusion.empty() ? json::value(nullptr) : json::value(c.conclusion)},
          {"url", c.url},
          {"head_sha", c.head_sha},
          {"summary", c.summary},
          {"output", c.output},
          {"updated_at", ts(c.updated_at)}};
}

json::object toJson(const store::Approval& a) {
  return {{"id", a.id},
          {"workflow_id", a.workflow_id},
          {"execution_id", a.execution_id},
          {"gate", a.gate},
          {"status", store::approvalStatusName(a.status)},
          {"requested_at", ts(a.requested_at)},
          {"decided_at", ts(a.decided_at)},
          {"decision", a.decision ? json::value(store::decisionName(*a.decision)) : json::value(nullptr)},
          {"reviewer", a.reviewer},
          {"comment", a.comment}};
}

// The schemas of the bodies above, field for field (see api/schemas.h).
void addRenderSchemas(SchemaMap& out) {
  // http::Response::error's body, which every failure of the API answers.
  out["Error"] = closedObject(R"({"error": {"type": "object", "additionalProperties": false,
      "required": ["code", "message", "details"],
      "properties": {"code": {"type": "string"}, "message": {"type": "string"},
        "details": {"description": "more about the failure, e.g. the field"}}}})");
  out["RunStatus"] = parseSchema(
      R"({"type": "string", "enum": ["pending", "running", "waiting_approval", "completed", "failed", "cancelled"]})");
  out["CrewInputs"] = parseSchema(R"({"type": "object", "additionalProperties": {"type": "string"},
      "description": "a CrewAI crew's inputs: each fills its {name} placeholders"})");
  out["Workflow"] = closedObject(R"({
      "id": {"type": "integer"}, "name": {"type": "string"}, "description": {"type": "string"},
      "jira_story_id": {"type": ["string", "null"]}, "repository_url": {"type": "string"},
      "crew": {"type": "string", "description": "the crew template that runs it"},
      "inputs": {"$ref": "#/components/schemas/CrewInputs"},
      "project_id": {"type": ["integer", "null"]}, "status": {"$ref": "#/components/schemas/RunStatus"},
      "created_at": {"type": "string", "format": "date-time"},
      "updated_at": {"type": "string", "format": "date-time"}})");
  out["BudgetUse"] = closedObject(R"({
      "tokens_used": {"type": "integer"}, "cost_used": {"type": "number"},
      "tokens_limit": {"type": ["integer", "null"], "description": "null: unlimited"},
      "cost_limit": {"type": ["number", "null"], "description": "null: unlimited"},
      "tokens_left": {"type": ["integer", "null"]}, "cost_left": {"type": ["number", "null"]}})");
  out["ExecutionProgress"] = closedObject(R"({
      "stage": {"type": "string"}, "paused_at": {"type": ["string", "null"]},
      "loops": {"type": "object", "additionalProperties": false, "required": ["test", "review"],
                "properties": {"test": {"type": "integer"}, "review": {"type": "integer"}}},
      "visits": {"type": "object", "additionalProperties": {"type": "integer"}, "description": "stage -> visits"},
      "branch": {"type": ["string", "null"]}, "base_commit": {"type": ["string", "null"]},
      "budget": {"type": "object", "additionalProperties": false, "required": ["execution", "agents", "step_limits"],
        "properties": {
          "execution": {"$ref": "#/components/schemas/BudgetUse"},
          "agents": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/BudgetUse"}},
          "step_limits": {"type": "object", "additionalProperties": false, "required": ["tokens", "cost"],
            "properties": {"tokens": {"type": ["integer", "null"]}, "cost": {"type": ["number", "null"]}}}}},
      "plan": {"oneOf": [{"type": "null"}, {"type": "object", "additionalProperties": false,
        "required": ["summary", "tasks"], "properties": {"summary": {"type": "string"}, "tasks": {"type": "array",
          "items": {"type": "object", "additionalProperties": false,
            "required": ["id", "title", "description", "files", "depends_on", "state"],
            "properties": {"id": {"type": "string"}, "title": {"type": "string"}, "description": {"type": "string"},
              "files": {"type": "array", "items": {"type": "string"}},
              "depends_on": {"type": "array", "items": {"type": "string"}},
              "state": {"type": "string", "enum": ["done", "pending"]}}}}}}]},
      "tasks_done": {"type": "array", "items": {"type": "object", "additionalProperties": false,
        "required": ["visit", "task"], "properties": {"visit": {"type": "string"}, "task": {"type": "string"}}}},
      "gates": {"type": "object", "additionalProperties": false, "required": ["passed", "pending"], "properties": {
        "passed": {"type": "array", "items": {"type": "string"}},
        "pending": {"oneOf": [{"type": "null"}, {"type": "object", "additionalProperties": false,
          "required": ["approval_id", "gate"],
          "properties": {"approval_id": {"type": "integer"}, "gate": {"type": "string"}}}]}}},
      "commits": {"type": "object", "additionalProperties": {"type": "string"}, "description": "visit -> commit"}})");
  out["Execution"] = closedObject(R"({
      "id": {"type": "integer"}, "workflow_id": {"type": "integer"}, "status": {"$ref": "#/components/schemas/RunStatus"},
      "stage": {"type": "string"},
      "started_at": {"type": ["string", "null"], "description": "ISO-8601 date-time"},
      "finished_at": {"type": ["string", "null"], "description": "ISO-8601 date-time"},
      "total_calls": {"type": "integer"}, "total_tokens": {"type": "integer"}, "total_cost": {"type": "number"},
      "avg_latency_ms": {"type": "number"},
      "models": {"type": "array", "items": {"type": "string"}, "description": "the model names used"},
      "meta": {"type": "object", "description": "the client's labels given at start"},
      "inputs": {"$ref": "#/components/schemas/CrewInputs", "description": "the inputs given at the start, over the workflow's"},
      "progress": {"$ref": "#/components/schemas/ExecutionProgress"},
      "idempotency_key": {"type": ["string", "null"]}, "error": {"type": ["string", "null"]},
      "created_at": {"type": "string", "format": "date-time"},
      "updated_at": {"type": "string", "format": "date-time"}})");
  out["ExecutionJob"] = closedObject(R"({
      "id": {"type": "integer"}, "execution_id": {"type": "integer"}, "idempotency_key": {"type": "string"},
      "status": {"type": "string", "enum": ["queued", "running", "succeeded", "failed", "cancelled", "paused"]},
      "attempts": {"type": "integer"}, "max_attempts": {"type": "integer"},
      "created_at": {"type": "string", "format": "date-time"},
      "updated_at": {"type": "string", "format": "date-time"}})");
  out["Conversation"] = closedObject(R"({
      "id": {"type": "integer"}, "workflow_id": {"type": "integer"}, "execution_id": {"type": ["integer", "null"]},
      "agent": {"type": "string"}, "step": {"type": "string"}, "prompt": {"type": "string"},
      "output": {"type": "string"}, "details": {"type": "string"}, "timestamp": {"type": "string", "format": "date-time"},
      "total_tokens_used": {"type": "integer"}, "total_cost": {"type": "number"}})");
  out["Message"] = closedObject(R"({
      "id": {"type": "integer"}, "conversation_id": {"type": "integer"}, "role": {"type": "string"},
      "content": {"type": "string"}, "artifacts": {}, "message_metadata": {},
      "created_at": {"type": "string", "format": "date-time"}})");
  out["LlmCall"] = closedObject(R"({
      "id": {"type": "integer"}, "conversation_id": {"type": ["integer", "null"]},
      "execution_id": {"type": ["integer", "null"]}, "provider": {"type": "string"}, "model": {"type": "string"},
      "prompt_tokens": {"type": "integer"}, "completion_tokens": {"type": "integer"},
      "total_tokens": {"type": "integer"}, "max_tokens": {"type": ["integer", "null"]},
      "total_tokens_requested": {"type": "integer"}, "response_time_ms": {"type": "number"},
      "status": {"type": "string", "enum": ["success", "failed", "truncated", "skipped"]},
      "error_code": {"type": ["string", "null"]}, "truncated_sections": {}, "prompt_hash": {"type": "string"},
      "response_hash": {"type": "string"}, "budget_snapshot": {}, "cost": {"type": "number"},
      "timestamp": {"type": "string", "format": "date-time"},
      "request_data": {"description": "the request, redacted"}, "response_data": {"description": "the answer, redacted"},
      "attempt": {"type": "integer"}, "fallback_of": {"type": ["integer", "null"]},
      "request_id": {"type": ["string", "null"],
        "description": "X-Request-Id of the request the call was made for; an execution's calls: the request that started it"},
      "trace_id": {"type": ["string", "null"], "description": "the OpenTelemetry trace of the call, 32 hex digits"},
      "span_id": {"type": ["string", "null"],
        "description": "the call's own span when it was traced, 16 hex digits"}})");
  out["CodeFile"] = closedObject(R"({
      "id": {"type": "integer"}, "conversation_id": {"type": ["integer", "null"]},
      "execution_id": {"type": ["integer", "null"]}, "filename": {"type": "string"}, "content": {"type": "string"},
      "file_type": {"type": "string"}, "created_at": {"type": "string", "format": "date-time"}})");
  out["Diff"] = closedObject(R"({
      "id": {"type": "integer"}, "workflow_id": {"type": "integer"}, "execution_id": {"type": ["integer", "null"]},
      "path": {"type": "string"}, "diff": {"type": "string", "description": "unified diff"},
      "created_at": {"type": "string", "format": "date-time"}})");
  out["Artifact"] = closedObject(R"({
      "id": {"type": "integer"}, "workflow_id": {"type": "integer"}, "execution_id": {"type": ["integer", "null"]},
      "kind": {"type": "string"}, "uri": {"type": "string"}, "checksum": {"type": "string"},
      "content": {"type": "string"}, "created_at": {"type": "string", "format": "date-time"}})");
  out["PullRequest"] = closedObject(R"({
      "id": {"type": "integer"}, "workflow_id": {"type": "integer"}, "number": {"type": "integer"},
      "url": {"type": "string"}, "title": {"type": "string"}, "state": {"type": "string"},
      "head_branch": {"type": "string"}, "base_branch": {"type": "string"}, "head_sha": {"type": "string"},
      "repository": {"type": "string", "description": "owner/name on the code host"},
      "draft": {"type": "boolean"},
      "loop": {"type": "object", "additionalProperties": false,
               "description": "the loop that fixes failed checks and answers reviews",
               "properties": {
                 "state": {"type": "string", "enum": ["idle", "fixing", "needs_human"]},
                 "reason": {"type": "string"}, "fix_attempts": {"type": "integer"},
                 "fingerprints": {"type": "array", "items": {"type": "string"}}},
               "required": ["state", "reason", "fix_attempts", "fingerprints"]},
      "created_at": {"type": "string", "format": "date-time"},
      "updated_at": {"type": "string", "format": "date-time"}})");
  out["Check"] = closedObject(R"({
      "id": {"type": "integer"}, "pull_request_id": {"type": "integer"}, "name": {"type": "string"},
      "status": {"type": "string"}, "conclusion": {"type": ["string", "null"]}, "url": {"type": "string"},
      "head_sha": {"type": "string"}, "summary": {"type": "string"},
      "output": {"type": "string", "description": "the tail of the check's output"},
      "updated_at": {"type": "string", "format": "date-time"}})");
  out["Approval"] = closedObject(R"({
      "id": {"type": "integer"}, "workflow_id": {"type": "integer"}, "execution_id": {"type": "integer"},
      "gate": {"type": "string"},
      "status": {"type": "string", "enum": ["pending", "approved", "rejected", "changes_requested"]},
      "requested_at": {"type": "string", "format": "date-time"},
      "decided_at": {"type": ["string", "null"], "description": "ISO-8601 date-time"},
      "decision": {"type": ["string", "null"], "enum": ["approve", "reject", "changes", null]},
      "reviewer": {"type": "string"}, "comment": {"type": "string"}})");
}

}  // namespace codecrew::api
