// ExecutionCheckpoint: everything needed to resume an execution exactly where
// it stopped (SPEC §3): the lifecycle state, the budget ledger, the plan and
// its progress, each stage visit's finished tasks, every agent run's state
// (conversation, pending model reply, loop counters), task outputs, the open
// approval, the git branch and base, the commits made, and what the store
// keeps of the workspace (workspace_store.h) to rebuild it on another host
// (workspace_rebuild.h). It is stored as
// JSON in the execution's own checkpoint column (never the client's meta),
// written in the same store transaction as the records of the step it
// follows, by the engine only. A checkpoint of another version is refused.
// Thread-safety: a plain value.
#pragma once

#include "core/result.h"
#include "engine/agent_loop.h"
#include "engine/budget_ledger.h"
#include "engine/lifecycle.h"
#include "engine/plan.h"
#include "engine/plan_runner.h"

#include <map>
#include <optional>
#include <set>
#include <string>

namespace codecrew::engine {

inline constexpr int kCheckpointVersion = 1;

struct PendingApproval {
  core::Id id = 0;
  std::string gate;   // "after:PLANNING", "before:DEPLOY", "escalation:loop", ...
  std::string step;   // escalations: the agent step that escalated
  std::string scope;  // budget escalations: the breached scope
};

struct StageProgress {
  std::set<std::string> tasks_done;
  TaskOutputs plan_done;  // per-plan-task outputs
};

// What the store holds of the workspace: enough to make it again where it
// is missing (another host's disk). Steps are rows of workspace_steps.
struct WorkspaceLog {
  std::string head;            // the last commit the store holds ("" : nothing held, the workspace is the only copy)
  int steps = 0;               // the commits held: steps 1..steps
  bool base_in_store = false;  // step 1 is the base itself (no repository has it); else it comes from repository_url
  std::string changes;         // sha256 of the uncommitted changes held (step 0); "" none
  std::string copy;            // the id of the workspace copy the checkpoint was written from

  bool held() const { return !head.empty(); }
};

struct ExecutionCheckpoint {
  boost::json::value lifecycle;  // Lifecycle::toJson()
  boost::json::value budget;     // BudgetLedger::toJson()
  std::string branch;
  std::string base_commit;
  std::optional<Plan> plan;
  std::map<std::string, int> visits;                 // stage name -> visits started
  std::map<std::string, StageProgress> progress;     // "<STAGE>#<visit>" -> progress
  std::map<std::string, boost::json::value> agents;  // step key -> AgentRunState json
  std::map<std::string, std::string> outputs;        // crew task name -> latest output
  std::optional<PendingApproval> approval;
  std::set<std::string> gates_passed;          // "before:DEPLOY#0"
  std::string feedback;                        // test failures, review or approver comments
  std::map<std::string, std::string> commits;  // stage visit -> sha
  WorkspaceLog workspace_log;
  bool resumable_failure = false;  // failed on a budget: resume may continue
  // Delivery (delivery.h): the commit pushed to the code host ("" none yet).
  std::string delivered;
  // A follow-up execution the server started on an open pull request (a
  // fix of failed checks, an answer to a review): "fix_checks" or
  // "review"; it runs the built-in "fix" crew with `feedback` and delivers
  // by pushing and commenting. Set only by the server when it creates the
  // execution, never from a request.
  std::string follow_up;

  boost::json::object toJson() const;
  static core::Result<ExecutionCheckpoint> fromJson(const boost::json::value& json);
};

}  // namespace codecrew::engine
