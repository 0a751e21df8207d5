// ExecutionProgress: what an execution's checkpoint says about where it is,
// as a typed view for readers outside the engine (the API, the web UI, the
// CLI): the stage and where it waits, the loop counts, the budget used and
// left per scope, the plan's tasks with their states, the stage tasks done,
// the gates passed and pending, the branch and its commits. The checkpoint
// itself stays the engine's private format; nothing outside reads it.
// Thread-safety: pure functions over plain values.
#pragma once

#include "store/models.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace codecrew::engine {

struct BudgetUse {
  std::int64_t tokens_used = 0;
  double cost_used = 0;
  std::optional<std::int64_t> tokens_limit;  // none: unlimited
  std::optional<double> cost_limit;
  std::optional<std::int64_t> tokensLeft() const;
  std::optional<double> costLeft() const;
};

struct PlanTaskProgress {
  std::string id;
  std::string title;
  std::string description;
  std::vector<std::string> files;
  std::vector<std::string> depends_on;
  bool done = false;
};

struct StageTaskProgress {
  std::string visit;  // "<STAGE>#<n>"
  std::string task;   // the crew task's name
};

struct PendingGate {
  core::Id approval_id = 0;
  std::string gate;  // "after:PLANNING", "before:DEPLOY", "escalation:..."
};

struct ExecutionProgress {
  store::Stage stage = store::Stage::kNew;  // the current stage, or the one it waits in
  std::optional<store::Stage> paused_at;    // the stage an approval holds, while one does
  int test_loops = 0;
  int review_loops = 0;
  std::map<std::string, int> visits;  // stage -> visits started
  std::string branch;
  std::string base_commit;
  BudgetUse execution_budget;
  std::map<std::string, BudgetUse> agent_budgets;  // agent -> its use (agent limits)
  std::optional<std::int64_t> step_tokens_limit;
  std::optional<double> step_cost_limit;
  std::optional<std::string> plan_summary;
  std::vector<PlanTaskProgress> plan_tasks;  // the planner's order
  std::vector<StageTaskProgress> tasks_done;
  std::vector<std::string> gates_passed;  // "before:DEPLOY#0"
  std::optional<PendingGate> gate_pending;
  std::map<std::string, std::string> commits;  // stage visit -> sha
};

// The view of an execution (an empty one before its first step, with the
// execution's stage). Tolerates a checkpoint it cannot fully read: what it
// cannot read is left out.
ExecutionProgress progressOf(const store::Execution& execution);

}  // namespace codecrew::engine
