#include "engine/crew.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <set>

namespace codecrew::engine {
namespace {

using core::Error;

std::string str(const YAML::Node& n, const char* key, std::string fallback = "") {
  const YAML::Node v = n[key];
  if (v && v.IsScalar()) return v.as<std::string>();
  return fallback;
}

template <typename T>
T num(const YAML::Node& n, const char* key, T fallback) {
  const YAML::Node v = n[key];
  return v && v.IsScalar() ? v.as<T>() : fallback;
}

std::vector<std::string> strList(const YAML::Node& n, const char* key) {
  std::vector<std::string> out;
  const YAML::Node v = n[key];
  if (v && v.IsSequence())
    for (const auto& item : v) out.push_back(item.as<std::string>());
  return out;
}

BudgetLimit budgetLimit(const YAML::Node& n) {
  if (!n || !n.IsMap()) return {};
  return BudgetLimit{num<std::int64_t>(n, "tokens", 0), num<double>(n, "cost", 0)};
}

core::Result<Escalation> escalation(const YAML::Node& n, const char* key, Escalation fallback) {
  std::string v = str(n, key);
  if (v.empty()) return fallback;
  if (v == "approval") return Escalation::kApproval;
  if (v == "fail") return Escalation::kFail;
  return Error::invalidArgument(std::string("limits.") + key + " must be approval or fail, not " + v);
}

AgentSpec parseAgent(const std::string& name, const YAML::Node& n) {
  AgentSpec a;
  a.name = name;
  a.role = str(n, "role", name);
  a.goal = str(n, "goal");
  a.backstory = str(n, "backstory");
  a.system_prompt = str(n, "system_prompt");
  a.model = str(n, "model", a.role);
  a.cheaper_model = str(n, "cheaper_model");
  a.tools = strList(n, "tools");
  a.max_iterations = num<int>(n, "max_iterations", a.max_iterations);
  a.context_window = num<std::int64_t>(n, "context_window", 0);
  a.max_output_tokens = num<std::int64_t>(n, "max_output_tokens", a.max_output_tokens);
  return a;
}

core::Result<TaskSpec> parseTask(const YAML::Node& n, const std::string& where) {
  TaskSpec t;
  t.name = str(n, "name");
  t.agent = str(n, "agent");
  t.description = str(n, "description");
  t.expected_output = str(n, "expected_output");
  t.context = strList(n, "context");
  t.artifact = str(n, "artifact");
  t.per_plan_task = num<bool>(n, "per_plan_task", false);
  std::string out = str(n, "output", "text");
  auto kind = parseOutputKind(out);
  if (!kind) return Error::invalidArgument(where + ".output: unknown output kind " + out);
  t.output = *kind;
  if (t.name.empty()) return Error::invalidArgument(where + ".name is required");
  if (t.agent.empty()) return Error::invalidArgument(where + ".agent is required");
  return t;
}

core::Status parseLimits(const YAML::Node& n, CrewLimits& l) {
  if (!n) return core::okStatus();
  l.max_test_loops = num<int>(n, "max_test_loops", l.max_test_loops);
  l.max_review_loops = num<int>(n, "max_review_loops", l.max_review_loops);
  l.max_parallel = num<int>(n, "max_parallel", l.max_parallel);
  l.guardrail_retries = num<int>(n, "guardrail_retries", l.guardrail_retries);
  l.stall_turns = num<int>(n, "stall_turns", l.stall_turns);
  l.safety_buffer_tokens = num<std::int64_t>(n, "safety_buffer_tokens", l.safety_buffer_tokens);
  l.test_command = str(n, "test_command");
  auto on_loop = escalation(n, "on_loop", l.on_loop);
  if (!on_loop) return on_loop.error();
  l.on_loop = *on_loop;
  auto on_budget = escalation(n, "on_budget", l.on_budget);
  if (!on_budget) return on_budget.error();
  l.on_budget = *on_budget;
  if (l.max_parallel < 1) return Error::invalidArgument("limits.max_parallel must be at least 1");
  return core::okStatus();
}

core::Status checkCrew(const CrewSpec& c) {
  if (c.name.empty()) return Error::invalidArgument("name is required");
  if (c.stages.empty()) return Error::invalidArgument("stages: a crew needs at least one stage");
  std::set<std::string> task_names;
  for (const auto& s : c.stages)
    for (const auto& t : s.tasks)
      if (!task_names.insert(t.name).second) return Error::invalidArgument("task name " + t.name + " is repeated");
  for (const auto& s : c.stages) {
    if (s.tasks.empty()) return Error::invalidArgument("stages." + std::string(stageName(s.stage)) + " has no tasks");
    for (const auto& t : s.tasks) {
      if (!c.agent(t.agent)) return Error::invalidArgument("task " + t.name + " names unknown agent " + t.agent);
      for (const auto& dep : t.context)
        if (!task_names.count(dep) || dep == t.name)
          return Error::invalidArgument("task " + t.name + " reads context of unknown task " + dep);
    }
  }
  for (const auto& g : c.gates) {
    auto colon = g.find(':');
    auto when = g.substr(0, colon);
    auto stage = colon == std::string::npos ? std::nullopt : parseStage(g.substr(colon + 1));
    if ((when != "after" && when != "before") || !stage || !c.stage(*stage))
      return Error::invalidArgument("gate " + g + " must be after:<STAGE> or before:<STAGE> of a listed stage");
  }
  return core::okStatus();
}

core::Result<CrewSpec> parseCrewNode(const YAML::Node& root) {
  if (!root.IsMap()) return Error::invalidArgument("a crew file must be a mapping");
  CrewSpec c;
  c.name = str(root, "name");
  c.description = str(root, "description");
  if (const YAML::Node agents = root["agents"]; agents && agents.IsMap())
    for (const auto& kv : agents) {
      auto name = kv.first.as<std::string>();
      c.agents.emplace(name, parseAgent(name, kv.second));
    }
  const YAML::Node stages = root["stages"];
  if (stages && !stages.IsSequence()) return Error::invalidArgument("stages must be a list");
  for (std::size_t i = 0; stages && i < stages.size(); ++i) {
    std::string where = "stages[" + std::to_string(i) + "]";
    auto stage = parseStage(str(stages[i], "stage"));
    if (!stage || !isWorkStage(*stage)) return Error::invalidArgument(where + ".stage is not a working stage");
    if (c.stage(*stage)) return Error::invalidArgument(where + ": stage listed twice");
    StageSpec s{*stage, {}};
    const YAML::Node tasks = stages[i]["tasks"];
    for (std::size_t j = 0; tasks && tasks.IsSequence() && j < tasks.size(); ++j) {
      auto t = parseTask(tasks[j], where + ".tasks[" + std::to_string(j) + "]");
      if (!t) return t.error();
      s.tasks.push_back(std::move(t).value());
    }
    c.stages.push_back(std::move(s));
  }
  std::sort(c.stages.begin(), c.stages.end(), [](const auto& a, const auto& b) { return a.stage < b.stage; });
  c.gates = strList(root, "gates");
  if (const YAML::Node b = root["budgets"]; b && b.IsMap())
    c.budgets = CrewBudgets{budgetLimit(b["step"]), budgetLimit(b["agent"]), budgetLimit(b["execution"])};
  if (auto ok = parseLimits(root["limits"], c.limits); !ok) return ok.error();
  if (auto ok = checkCrew(c); !ok) return ok.error();
  return c;
}

}  // namespace

std::string_view outputKindName(OutputKind kind) {
  switch (kind) {
    case OutputKind::kText: return "text";
    case OutputKind::kPlan: return "plan";
    case OutputKind::kTestReport: return "test_report";
    case OutputKind::kReview: return "review";
  }
  return "text";
}

std::optional<OutputKind> parseOutputKind(std::string_view name) {
  for (auto k : {OutputKind::kText, OutputKind::kPlan, OutputKind::kTestReport, OutputKind::kReview})
    if (outputKindName(k) == name) return k;
  return std::nullopt;
}

const AgentSpec* CrewSpec::agent(const std::string& n) const {
  auto it = agents.find(n);
  return it == agents.end() ? nullptr : &it->second;
}

const StageSpec* CrewSpec::stage(Stage s) const {
  for (const auto& st : stages)
    if (st.stage == s) return &st;
  return nullptr;
}

LifecycleOptions CrewSpec::lifecycleOptions() const {
  LifecycleOptions o;
  for (const auto& s : stages) o.stages.push_back(s.stage);
  o.max_test_loops = limits.max_test_loops;
  o.max_review_loops = limits.max_review_loops;
  return o;
}

bool CrewSpec::hasGate(const std::string& gate) const {
  return std::find(gates.begin(), gates.end(), gate) != gates.end();
}

core::Result<CrewSpec> parseCrewYaml(std::string_view yaml) {
  try {
    return parseCrewNode(YAML::Load(std::string(yaml)));
  } catch (const YAML::Exception& e) {
    return Error::invalidArgument(std::string("crew YAML: ") + e.what());
  }
}

std::string renderTemplate(std::string_view text, const std::map<std::string, std::string>& values) {
  std::string out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto open = text.find("{{", pos);
    if (open == std::string_view::npos) break;
    auto close = text.find("}}", open + 2);
    if (close == std::string_view::npos) break;
    std::string key(text.substr(open + 2, close - open - 2));
    key.erase(0, key.find_first_not_of(' '));
    key.erase(key.find_last_not_of(' ') + 1);
    out.append(text.substr(pos, open - pos));
    auto it = values.find(key);
    if (it != values.end()) {
      out += it->second;
    } else {
      out.append(text.substr(open, close + 2 - open));
    }
    pos = close + 2;
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace codecrew::engine
