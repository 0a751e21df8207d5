// AgentLoop: one agent working one task through native function calling.
// Each turn is one LLM call (through ModelClient) followed by the program's
// own execution of the tool calls it asked for; a tool result enters the
// conversation only as the answer to a tool_call_id the model issued, with
// what the tool really returned. The loop is bounded by max_iterations and
// detects loops (the same tool with the same arguments again while the
// workspace has not changed) and stalls (stall_turns turns without a change
// to the workspace); either ends the run with an escalation, never a spin.
// Structured outputs (plan, test report, review) are validated; a violation
// goes back to the agent at most guardrail_retries times.
//
// Durability: every turn is journalled twice through StepJournal, each time in
// one store transaction with that turn's records: once when the model's reply
// arrives (so a crash never pays for it again: a resumed run finds the reply
// in AgentRunState::pending and goes straight to its tool calls) and once
// after the tool calls. Resuming with the journalled state repeats no
// completed call.
// Thread-safety: run() for one AgentRunState at a time, on that execution's strand.
#pragma once

#include "core/result.h"
#include "engine/budget_ledger.h"
#include "engine/context_fitter.h"
#include "engine/crew.h"
#include "engine/engine_metrics.h"
#include "engine/file_locks.h"
#include "engine/model_client.h"
#include "store/models.h"
#include "telemetry/tracer.h"
#include "tools/tool_registry.h"

#include <boost/asio/awaitable.hpp>
#include <boost/json/value.hpp>

#include <atomic>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace codecrew::engine {

struct AgentRunState {
  std::vector<llm::Message> messages;
  int iteration = 0;                         // LLM calls made
  int max_iterations = 0;                    // allowance (raised after an approved escalation)
  std::optional<llm::ChatResponse> pending;  // a reply whose tool calls have not run yet
  std::vector<std::string> seen_calls;       // tool+args since the workspace last changed
  int turns_without_change = 0;
  int guardrail_retries = 0;
  std::string policy_role;
  std::optional<core::Id> conversation_id;
  bool finished = false;
  std::string output;
  boost::json::value structured;  // the validated output, for structured tasks

  boost::json::object toJson() const;
  static core::Result<AgentRunState> fromJson(const boost::json::value& json);
};

// The records of one journalled turn, written with the checkpoint.
struct TurnRecords {
  std::vector<store::Message> messages;                            // conversation_id filled by the journal
  std::vector<std::pair<std::string, boost::json::value>> events;  // type, data
};

class StepJournal {
 public:
  virtual ~StepJournal() = default;
  // Writes records and the run's new state in one transaction; creates the
  // conversation first when state has none (and sets its id).
  virtual core::Status commit(AgentRunState& state, TurnRecords records) = 0;
  // Creates the step's conversation when state has none (or finds the one a
  // stopped run made), so that the first LLM call is recorded against it
  // too; its id is checkpointed with the step's first commit.
  virtual core::Status open(AgentRunState& state) = 0;
};

enum class AgentOutcomeKind { kCompleted, kEscalate, kFailed, kCancelled };

struct AgentOutcome {
  AgentOutcomeKind kind = AgentOutcomeKind::kCompleted;
  std::string reason;   // loop, stall, max_iterations, budget, guardrail, error, store
  std::string message;  // for people
  std::optional<BudgetBreach> breach;
  // reason "store": the store's error. kUnavailable (the database went away)
  // and kFailedPrecondition (the lease was lost) end the run without failing
  // the execution: it resumes from its checkpoint.
  std::optional<core::Error> store_error;
};

// A store write of the turn failed: what it was, and the store's error.
inline AgentOutcome storeFailure(const std::string& what, const core::Error& error) {
  return AgentOutcome{AgentOutcomeKind::kFailed, "store", what + error.message, std::nullopt, error};
}

struct AgentTask {
  const AgentSpec* agent = nullptr;
  std::string step;        // "<STAGE>/<task>[/<plan task>]#<loop>": the cassette step key
  std::string lock_owner;  // for FileLockTable
  OutputKind output = OutputKind::kText;
  int guardrail_retries = 2;
  int stall_turns = 4;
  std::int64_t safety_buffer = 1024;
};

struct AgentEnv {
  ModelClient& model;
  const tools::ToolRegistry& tools;
  tools::ToolContext& tool_context;
  FileLockTable& locks;
  BudgetLedger& budget;
  StepJournal& journal;
  const std::atomic<bool>& cancelled;
  core::Id tenant_id = 0;
  core::Id execution_id = 0;
  std::optional<core::Id> api_key_id;  // the key that started the execution: its calls count against it
  // Live progress (one line per event) for `codecrew run`.
  std::function<void(const std::string& kind, const boost::json::object& data)> progress;
  // Delegation (CrewAI's allow_delegation): tools offered beside the agent's
  // own, whose calls `delegate` answers (a coworker's whole answer, or an
  // error the agent is told) before the other calls of the turn run.
  std::vector<llm::ToolSpec> delegation_tools;
  std::function<boost::asio::awaitable<core::Result<std::string>>(const llm::ToolCall&)> delegate;
  // Observability: the agent's span (the parent of its model and tool calls'
  // spans), the tracer for its tool calls' spans (null: none), the X-Request-Id
  // kept on its model calls, and the engine's metrics (null: none).
  telemetry::TraceContext trace;
  const telemetry::Tracer* tracer = nullptr;
  std::string request_id;
  EngineMetrics* metrics = nullptr;
};

class AgentLoop {
 public:
  AgentLoop(AgentEnv env, AgentTask task) : env_(std::move(env)), task_(std::move(task)) {}

  // Runs until the agent finishes, escalates, fails or is cancelled.
  boost::asio::awaitable<AgentOutcome> run(AgentRunState& state);

 private:
  boost::asio::awaitable<std::optional<AgentOutcome>> callModel(AgentRunState& state);
  boost::asio::awaitable<void> runDelegations(const AgentRunState& state);
  std::optional<AgentOutcome> runTools(AgentRunState& state);
  std::optional<AgentOutcome> finishTurn(AgentRunState& state);
  boost::json::value invokeTool(const llm::ToolCall& call, bool& changed);
  std::vector<llm::ToolSpec> offeredTools() const;
  // The prompt shrunk (older turns and large results cut) to what the
  // breached budget still allows, if that is enough for the call.
  std::optional<FitResult> shrinkToBudget(const FitResult& fit, const BudgetBreach& breach, FitOptions options) const;
  void report(const std::string& kind, boost::json::object data) const;

  AgentEnv env_;
  AgentTask task_;
  std::map<std::string, boost::json::value> delegated_;  // tool_call_id -> result, this turn
};

}  // namespace codecrew::engine
