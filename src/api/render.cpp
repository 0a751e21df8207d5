#include "api/render.h"

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
          {"fallback_of", opt(c.fallback_of)}};
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

}  // namespace codecrew::api
