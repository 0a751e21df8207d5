// Crew: the definition of a team of agents and how it walks the lifecycle
// (SPEC §4), read from YAML. A crew names its agents (role, goal, system
// prompt template, model policy role, tools allowed, iteration bounds,
// budgets), its stages (each a list of tasks given to agents), its approval
// gates ("after:PLANNING", "before:DEPLOY") and its limits.
//
//   name: sdlc
//   agents:
//     planner: {role: planner, goal: ..., system_prompt: "...{{goal}}...",
//               model: planner, tools: [read_file, list_files], max_iterations: 8}
//   stages:
//     - stage: PLANNING
//       tasks: [{name: plan, agent: planner, description: ..., output: plan,
//                artifact: plan}]
//   gates: [after:PLANNING]
//   budgets: {step: {tokens: 20000}, agent: {tokens: 200000}, execution: {tokens: 1000000, cost: 5}}
//   limits: {max_test_loops: 3, max_review_loops: 2, max_parallel: 4, guardrail_retries: 2,
//            stall_turns: 4, on_loop: approval}
//
// CrewAI users bring agents.yaml and tasks.yaml: importCrewAi
// (engine/crewai_import.h) makes them a crew of one BUILD stage whose tasks
// run in the order written, as CrewAI's sequential process does.
// Thread-safety: plain values; parsing is pure.
#pragma once

#include "core/result.h"
#include "engine/lifecycle.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace codecrew::engine {

struct BudgetLimit {
  std::int64_t tokens = 0;  // 0: no limit
  double cost = 0;          // US dollars; 0: no limit
};

struct CrewBudgets {
  BudgetLimit step;       // one agent step (one LLM call)
  BudgetLimit agent;      // everything one agent spends in the execution
  BudgetLimit execution;  // the whole execution
};

struct AgentSpec {
  std::string name;  // key in the crew
  std::string role;  // planner, architect, developer, tester, reviewer, deployer, ...
  std::string goal;
  std::string backstory;
  std::string system_prompt;  // template: {{goal}}, {{role}}, {{agent_goal}}, {{backstory}}, {{crew}}
  std::string model;          // the llm Router role (policy) this agent calls through
  std::string cheaper_model;  // policy to switch to when a budget runs short ("" : none)
  std::vector<std::string> tools;
  int max_iterations = 12;
  std::int64_t context_window = 0;  // 0: the model's own, or 128000
  std::int64_t max_output_tokens = 4096;
  std::string llm;                // a model name ("openai/gpt-4o") asked for on every call; "": the policy's
  bool allow_delegation = false;  // may hand work or questions to the crew's other agents
};

// What an agent's final answer must be: free text, or a structured output
// validated against the engine's schema of that name.
enum class OutputKind { kText, kPlan, kTestReport, kReview };
std::string_view outputKindName(OutputKind kind);
std::optional<OutputKind> parseOutputKind(std::string_view name);

struct TaskSpec {
  std::string name;
  std::string agent;
  std::string description;  // template, like system_prompt
  std::string expected_output;
  std::vector<std::string> context;  // names of earlier tasks whose output this one reads
  OutputKind output = OutputKind::kText;
  std::string artifact;        // artifact kind to store the output as ("" : none)
  bool per_plan_task = false;  // BUILD: run once per task of the plan, in parallel
  // CrewAI's task options (engine/crewai_import.h).
  std::vector<std::string> after;                 // tasks that must end first (order, awaited async tasks)
  bool async_execution = false;                   // runs beside the tasks after it until one waits for it
  bool human_input = false;                       // an approval gate after the task (human_input:<step>)
  bool markdown = false;                          // the answer is asked for in Markdown
  std::string output_file;                        // the answer is also written there in the workspace
  std::optional<std::vector<std::string>> tools;  // replaces the agent's tools for this task
};

struct StageSpec {
  Stage stage = Stage::kBuild;
  std::vector<TaskSpec> tasks;
};

enum class Escalation { kApproval, kFail };

struct CrewLimits {
  int max_test_loops = 3;
  int max_review_loops = 2;
  int max_parallel = 4;
  int guardrail_retries = 2;
  int stall_turns = 4;
  Escalation on_loop = Escalation::kApproval;
  Escalation on_budget = Escalation::kFail;
  std::int64_t safety_buffer_tokens = 1024;
  std::string test_command;  // run in the sandbox at the end of TEST when set
};

struct CrewSpec {
  std::string name;
  std::string description;
  std::map<std::string, AgentSpec> agents;
  std::vector<StageSpec> stages;  // lifecycle order
  std::vector<std::string> gates;
  CrewBudgets budgets;
  CrewLimits limits;
  // Imported from CrewAI: {name} placeholders are filled from the inputs
  // (engine/crew_inputs.h) and the tasks run as a graph of their order,
  // context and async_execution.
  bool crewai = false;
  std::vector<std::string> warnings;  // what the import could not carry over, for the log

  const AgentSpec* agent(const std::string& name) const;
  const StageSpec* stage(Stage s) const;
  LifecycleOptions lifecycleOptions() const;
  bool hasGate(const std::string& gate) const;
};

// Parses and checks a crew: every task names a known agent, stages are
// working stages listed once, gates are after:/before: a listed stage.
// kInvalidArgument names the offending key.
core::Result<CrewSpec> parseCrewYaml(std::string_view yaml);

// Replaces {{key}} placeholders; unknown keys are left as they are.
std::string renderTemplate(std::string_view text, const std::map<std::string, std::string>& values);

}  // namespace codecrew::engine
