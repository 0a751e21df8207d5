#include "api/crew_render.h"
#include "api/schemas.h"

#include "engine/crew_inputs.h"

#include <algorithm>

namespace codecrew::api {
namespace json = boost::json;
namespace {

json::array strings(const std::vector<std::string>& values) {
  json::array out;
  for (const auto& v : values) out.emplace_back(v);
  return out;
}

json::object taskJson(const engine::TaskSpec& t) {
  json::object out{{"name", t.name},
                   {"agent", t.agent},
                   {"description", t.description},
                   {"expected_output", t.expected_output},
                   {"output", engine::outputKindName(t.output)},
                   {"context", strings(t.context)},
                   {"per_plan_task", t.per_plan_task}};
  out["artifact"] = t.artifact.empty() ? json::value(nullptr) : json::value(t.artifact);
  if (t.async_execution) out["async_execution"] = true;
  if (t.human_input) out["human_input"] = true;
  if (t.markdown) out["markdown"] = true;
  if (!t.output_file.empty()) out["output_file"] = t.output_file;
  if (t.tools) out["tools"] = strings(*t.tools);
  return out;
}

json::object agentJson(const engine::AgentSpec& a) {
  json::object out{{"name", a.name},
                   {"role", a.role},
                   {"goal", a.goal},
                   {"model", a.model},
                   {"tools", strings(a.tools)},
                   {"max_iterations", a.max_iterations}};
  if (!a.backstory.empty()) out["backstory"] = a.backstory;
  if (!a.cheaper_model.empty()) out["cheaper_model"] = a.cheaper_model;
  if (!a.llm.empty()) out["llm"] = a.llm;
  if (a.allow_delegation) out["allow_delegation"] = true;
  return out;
}

json::object limitJson(const engine::BudgetLimit& l) { return {{"tokens", l.tokens}, {"cost", l.cost}}; }

const char* escalationName(engine::Escalation e) { return e == engine::Escalation::kApproval ? "approval" : "fail"; }

}  // namespace

json::object crewToJson(const engine::CrewSpec& crew) {
  std::vector<std::string> order;  // agents in the order the stages use them
  json::array stages;
  for (const auto& s : crew.stages) {
    json::array tasks;
    std::vector<std::string> agents;
    for (const auto& t : s.tasks) {
      tasks.push_back(taskJson(t));
      if (std::find(agents.begin(), agents.end(), t.agent) == agents.end()) agents.push_back(t.agent);
      if (std::find(order.begin(), order.end(), t.agent) == order.end()) order.push_back(t.agent);
    }
    stages.push_back(
        json::object{{"name", engine::stageName(s.stage)}, {"agents", strings(agents)}, {"tasks", std::move(tasks)}});
  }
  for (const auto& [name, a] : crew.agents)
    if (std::find(order.begin(), order.end(), name) == order.end()) order.push_back(name);
  json::array agents;
  for (const auto& name : order)
    if (const auto* a = crew.agent(name)) agents.push_back(agentJson(*a));
  const auto& l = crew.limits;
  json::array inputs;  // a CrewAI crew's {name} placeholders: what a start must fill
  for (const auto& n : engine::crewPlaceholders(crew)) inputs.emplace_back(n);
  return {{"name", crew.name},
          {"description", crew.description},
          {"inputs", std::move(inputs)},
          {"stages", std::move(stages)},
          {"agents", std::move(agents)},
          {"gates", strings(crew.gates)},
          {"budgets", json::object{{"step", limitJson(crew.budgets.step)},
                                   {"agent", limitJson(crew.budgets.agent)},
                                   {"execution", limitJson(crew.budgets.execution)}}},
          {"limits", json::object{{"max_test_loops", l.max_test_loops},
                                  {"max_review_loops", l.max_review_loops},
                                  {"max_parallel", l.max_parallel},
                                  {"on_loop", escalationName(l.on_loop)},
                                  {"on_budget", escalationName(l.on_budget)}}}};
}

void addCrewRenderSchemas(SchemaMap& out) {
  out["Crew"] = closedObject(R"({
      "name": {"type": "string"}, "description": {"type": "string"},
      "inputs": {"type": "array", "items": {"type": "string"},
        "description": "a CrewAI crew's {name} placeholders: the inputs a start must fill"},
      "stages": {"type": "array", "items": {"type": "object", "additionalProperties": false,
        "required": ["name", "agents", "tasks"], "properties": {
          "name": {"type": "string"}, "agents": {"type": "array", "items": {"type": "string"}},
          "tasks": {"type": "array", "items": {"$ref": "#/components/schemas/CrewTask"}}}}},
      "agents": {"type": "array", "items": {"$ref": "#/components/schemas/CrewAgent"}},
      "gates": {"type": "array", "items": {"type": "string"}},
      "budgets": {"type": "object", "additionalProperties": false, "required": ["step", "agent", "execution"],
        "properties": {"step": {"$ref": "#/components/schemas/BudgetLimit"},
          "agent": {"$ref": "#/components/schemas/BudgetLimit"},
          "execution": {"$ref": "#/components/schemas/BudgetLimit"}}},
      "limits": {"type": "object", "additionalProperties": false,
        "required": ["max_test_loops", "max_review_loops", "max_parallel", "on_loop", "on_budget"], "properties": {
          "max_test_loops": {"type": "integer"}, "max_review_loops": {"type": "integer"},
          "max_parallel": {"type": "integer"},
          "on_loop": {"type": "string", "enum": ["approval", "fail"]},
          "on_budget": {"type": "string", "enum": ["approval", "fail"]}}}})");
  out["CrewTask"] = closedObject(R"({
      "name": {"type": "string"}, "agent": {"type": "string"}, "description": {"type": "string"},
      "expected_output": {"type": "string"}, "output": {"type": "string"},
      "context": {"type": "array", "items": {"type": "string"}}, "per_plan_task": {"type": "boolean"},
      "artifact": {"type": ["string", "null"]},
      "async_execution": {"type": "boolean", "enum": [true]}, "human_input": {"type": "boolean", "enum": [true]},
      "markdown": {"type": "boolean", "enum": [true]}, "output_file": {"type": "string"},
      "tools": {"type": "array", "items": {"type": "string"}, "description": "the task's own tools, over its agent's"}})",
                                 {"async_execution", "human_input", "markdown", "output_file", "tools"});
  out["CrewAgent"] = closedObject(R"({
      "name": {"type": "string"}, "role": {"type": "string"}, "goal": {"type": "string"},
      "backstory": {"type": "string"}, "model": {"type": "string"}, "cheaper_model": {"type": "string"},
      "tools": {"type": "array", "items": {"type": "string"}}, "max_iterations": {"type": "integer"},
      "llm": {"type": "string", "description": "a CrewAI agent's own llm"},
      "allow_delegation": {"type": "boolean", "enum": [true]}})",
                                  {"backstory", "cheaper_model", "llm", "allow_delegation"});
  out["BudgetLimit"] = closedObject(R"({"tokens": {"type": "integer", "description": "0: unlimited"},
      "cost": {"type": "number", "description": "0: unlimited"}})");
}

}  // namespace codecrew::api
