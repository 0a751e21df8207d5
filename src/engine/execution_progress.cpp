#include "engine/execution_progress.h"

#include <boost/json.hpp>

#include <algorithm>
#include <set>

namespace codecrew::engine {
namespace json = boost::json;

std::optional<std::int64_t> BudgetUse::tokensLeft() const {
  if (!tokens_limit) return std::nullopt;
  return std::max<std::int64_t>(0, *tokens_limit - tokens_used);
}

std::optional<double> BudgetUse::costLeft() const {
  if (!cost_limit) return std::nullopt;
  return std::max(0.0, *cost_limit - cost_used);
}

namespace {

std::string textAt(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

double numberAt(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_number() ? v->to_number<double>() : 0;
}

std::vector<std::string> textsAt(const json::object& o, std::string_view key) {
  std::vector<std::string> out;
  if (const auto* a = o.if_contains(key); a && a->is_array())
    for (const auto& v : a->as_array())
      if (v.is_string()) out.emplace_back(v.as_string());
  return out;
}

// A limit of 0 (or less) means none.
template <typename T>
std::optional<T> limitAt(const json::object* limits, std::string_view key) {
  if (!limits) return std::nullopt;
  double v = numberAt(*limits, key);
  if (v <= 0) return std::nullopt;
  return static_cast<T>(v);
}

void readBudget(const json::object& budget, ExecutionProgress& p) {
  const auto* lv = budget.if_contains("limits");
  const json::object* limits = lv ? lv->if_object() : nullptr;
  p.execution_budget.tokens_used = static_cast<std::int64_t>(numberAt(budget, "tokens"));
  p.execution_budget.cost_used = numberAt(budget, "cost");
  p.execution_budget.tokens_limit = limitAt<std::int64_t>(limits, "execution_tokens");
  p.execution_budget.cost_limit = limitAt<double>(limits, "execution_cost");
  p.step_tokens_limit = limitAt<std::int64_t>(limits, "step_tokens");
  p.step_cost_limit = limitAt<double>(limits, "step_cost");
  if (const auto* agents = budget.if_contains("agents"); agents && agents->is_object()) {
    for (const auto& [name, use] : agents->as_object()) {
      if (!use.is_object()) continue;
      BudgetUse b;
      b.tokens_used = static_cast<std::int64_t>(numberAt(use.as_object(), "tokens"));
      b.cost_used = numberAt(use.as_object(), "cost");
      b.tokens_limit = limitAt<std::int64_t>(limits, "agent_tokens");
      b.cost_limit = limitAt<double>(limits, "agent_cost");
      p.agent_budgets.emplace(std::string(name), b);
    }
  }
}

void readPlan(const json::object& plan, const json::object* progress, ExecutionProgress& p) {
  p.plan_summary = textAt(plan, "summary");
  std::set<std::string> done;
  if (progress)
    for (const auto& [visit, v] : *progress)
      if (const auto* o = v.if_object())
        if (const auto* pd = o->if_contains("plan_done"); pd && pd->is_object())
          for (const auto& [id, output] : pd->as_object()) done.emplace(id);
  if (const auto* tasks = plan.if_contains("tasks"); tasks && tasks->is_array()) {
    for (const auto& t : tasks->as_array()) {
      const auto* o = t.if_object();
      if (!o) continue;
      PlanTaskProgress task;
      task.id = textAt(*o, "id");
      task.title = textAt(*o, "title");
      task.description = textAt(*o, "description");
      task.files = textsAt(*o, "files");
      task.depends_on = textsAt(*o, "depends_on");
      task.done = done.count(task.id) > 0;
      p.plan_tasks.push_back(std::move(task));
    }
  }
}

}  // namespace

ExecutionProgress progressOf(const store::Execution& e) {
  ExecutionProgress p;
  p.stage = e.stage;
  const auto* cp = e.checkpoint.if_object();
  if (!cp) return p;
  if (const auto* lv = cp->if_contains("lifecycle"); lv && lv->is_object()) {
    const auto& lc = lv->as_object();
    if (auto paused = store::parseStage(textAt(lc, "paused_at"))) {
      p.paused_at = *paused;
      p.stage = *paused;
    }
    p.test_loops = static_cast<int>(numberAt(lc, "test_loops"));
    p.review_loops = static_cast<int>(numberAt(lc, "review_loops"));
  }
  if (const auto* vs = cp->if_contains("visits"); vs && vs->is_object())
    for (const auto& [stage, n] : vs->as_object())
      if (n.is_number()) p.visits.emplace(std::string(stage), n.to_number<int>());
  p.branch = textAt(*cp, "branch");
  p.base_commit = textAt(*cp, "base_commit");
  if (const auto* b = cp->if_contains("budget"); b && b->is_object()) readBudget(b->as_object(), p);
  const auto* pv = cp->if_contains("progress");
  const json::object* progress = pv ? pv->if_object() : nullptr;
  if (const auto* plan = cp->if_contains("plan"); plan && plan->is_object()) readPlan(plan->as_object(), progress, p);
  if (progress)
    for (const auto& [visit, v] : *progress)
      if (const auto* o = v.if_object())
        for (auto& task : textsAt(*o, "tasks_done")) p.tasks_done.push_back({std::string(visit), std::move(task)});
  p.gates_passed = textsAt(*cp, "gates_passed");
  if (const auto* a = cp->if_contains("approval"); a && a->is_object()) {
    const auto* id = a->as_object().if_contains("id");
    if (id && id->is_number()) p.gate_pending = PendingGate{id->to_number<core::Id>(), textAt(a->as_object(), "gate")};
  }
  if (const auto* cs = cp->if_contains("commits"); cs && cs->is_object())
    for (const auto& [visit, sha] : cs->as_object())
      if (sha.is_string()) p.commits.emplace(std::string(visit), std::string(sha.as_string()));
  return p;
}

}  // namespace codecrew::engine
