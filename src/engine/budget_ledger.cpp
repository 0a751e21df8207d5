#include "engine/budget_ledger.h"

#include <fmt/format.h>

namespace codecrew::engine {

std::string BudgetBreach::math() const {
  std::string out = scope + " budget exceeded: ";
  if (limit.tokens > 0 && spent.tokens + next_estimate > limit.tokens) {
    out += fmt::format("{} tokens spent", spent.tokens);
    if (next_estimate > 0) out += fmt::format(" + {} estimated for the next call", next_estimate);
    out += fmt::format(" = {} > {} allowed", spent.tokens + next_estimate, limit.tokens);
  } else {
    out += fmt::format("${:.4f} spent > ${:.4f} allowed", spent.cost, limit.cost);
  }
  return out;
}

std::optional<BudgetBreach> BudgetLedger::over(const std::string& scope, const BudgetLimit& limit, const Spend& spent,
                                               std::int64_t estimate) {
  bool tokens = limit.tokens > 0 && spent.tokens + estimate > limit.tokens;
  bool cost = limit.cost > 0 && spent.cost > limit.cost;
  if (!tokens && !cost) return std::nullopt;
  return BudgetBreach{scope, limit, spent, estimate};
}

std::optional<BudgetBreach> BudgetLedger::checkBefore(const std::string& agent, std::int64_t estimate) const {
  if (auto b = over("step", limits_.step, Spend{}, estimate)) return b;
  if (auto b = over("agent " + agent, limits_.agent, this->agent(agent), estimate)) return b;
  return over("execution", limits_.execution, total_, estimate);
}

std::optional<BudgetBreach> BudgetLedger::checkStep(const Spend& used) const {
  return over("step", limits_.step, used, 0);
}

void BudgetLedger::charge(const std::string& agent, const Spend& used) {
  total_.tokens += used.tokens;
  total_.cost += used.cost;
  agents_[agent].tokens += used.tokens;
  agents_[agent].cost += used.cost;
}

void BudgetLedger::extend(const std::string& scope) {
  auto grow = [](BudgetLimit& l, const BudgetLimit& base) {
    l.tokens += base.tokens;
    l.cost += base.cost;
  };
  if (scope == "execution") grow(limits_.execution, limits_.execution);
  else if (scope == "step") grow(limits_.step, limits_.step);
  else grow(limits_.agent, limits_.agent);
}

Spend BudgetLedger::agent(const std::string& name) const {
  auto it = agents_.find(name);
  return it == agents_.end() ? Spend{} : it->second;
}

boost::json::object BudgetLedger::snapshot(const std::string& agent) const {
  boost::json::object o{{"execution_tokens_spent", total_.tokens}, {"execution_cost_spent", total_.cost}};
  if (limits_.execution.tokens > 0) o["execution_tokens_left"] = limits_.execution.tokens - total_.tokens;
  if (limits_.execution.cost > 0) o["execution_cost_left"] = limits_.execution.cost - total_.cost;
  if (limits_.agent.tokens > 0) o["agent_tokens_left"] = limits_.agent.tokens - this->agent(agent).tokens;
  return o;
}

boost::json::object BudgetLedger::toJson() const {
  boost::json::object agents;
  for (const auto& [n, s] : agents_) agents[n] = boost::json::object{{"tokens", s.tokens}, {"cost", s.cost}};
  return boost::json::object{{"tokens", total_.tokens},
                             {"cost", total_.cost},
                             {"agents", std::move(agents)},
                             {"limits", boost::json::object{{"step_tokens", limits_.step.tokens},
                                                            {"agent_tokens", limits_.agent.tokens},
                                                            {"execution_tokens", limits_.execution.tokens},
                                                            {"step_cost", limits_.step.cost},
                                                            {"agent_cost", limits_.agent.cost},
                                                            {"execution_cost", limits_.execution.cost}}}};
}

namespace {
Spend spendOf(const boost::json::value& v) {
  Spend s;
  if (const auto* o = v.if_object()) {
    if (const auto* t = o->if_contains("tokens")) s.tokens = t->to_number<std::int64_t>();
    if (const auto* c = o->if_contains("cost")) s.cost = c->to_number<double>();
  }
  return s;
}
double numberAt(const boost::json::object& o, const char* key, double fallback) {
  const auto* v = o.if_contains(key);
  return v ? v->to_number<double>() : fallback;
}
}  // namespace

BudgetLedger BudgetLedger::fromJson(CrewBudgets limits, const boost::json::value& json) {
  BudgetLedger l(limits);
  const auto* o = json.if_object();
  if (!o) return l;
  l.total_ = spendOf(json);
  if (const auto* a = o->if_contains("agents"); a && a->is_object())
    for (const auto& [n, v] : a->as_object()) l.agents_[std::string(n)] = spendOf(v);
  if (const auto* lim = o->if_contains("limits"); lim && lim->is_object()) {
    const auto& m = lim->as_object();
    l.limits_.step.tokens = static_cast<std::int64_t>(numberAt(m, "step_tokens", limits.step.tokens));
    l.limits_.agent.tokens = static_cast<std::int64_t>(numberAt(m, "agent_tokens", limits.agent.tokens));
    l.limits_.execution.tokens = static_cast<std::int64_t>(numberAt(m, "execution_tokens", limits.execution.tokens));
    l.limits_.step.cost = numberAt(m, "step_cost", limits.step.cost);
    l.limits_.agent.cost = numberAt(m, "agent_cost", limits.agent.cost);
    l.limits_.execution.cost = numberAt(m, "execution_cost", limits.execution.cost);
  }
  return l;
}

}  // namespace codecrew::engine
