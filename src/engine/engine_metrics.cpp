#include "engine/engine_metrics.h"

namespace codecrew::engine {

EngineMetrics::EngineMetrics(telemetry::Registry& r)
    : finished_(r.counter("codecrew_executions_finished_total",
                          "Execution runs on this process that ended the execution: completed, failed or cancelled.",
                          {"state"})),
      steps_(r.counter("codecrew_agent_steps_total", "Model turns taken by agents on this process.").with({})),
      loops_(r.counter("codecrew_loops_total",
                       "Stages sent back to an earlier one (TEST or REVIEW back to BUILD) on this process.")
                 .with({})),
      tools_(r.counter("codecrew_tool_calls_total", "Agents' tool calls, by tool and result (ok or error).",
                       {"tool", "result"})),
      budget_(llm::budgetExhaustedFamily(r).with({"execution"})),
      queue_wait_(r.histogram("codecrew_queue_wait_seconds",
                              "Time from an execution's job being queued to a worker of this process claiming it.", {},
                              {0.01, 0.05, 0.1, 0.5, 1, 5, 15, 30, 60, 300, 900, 3600})
                      .with({})) {}

void EngineMetrics::runEnded(RunOutcome outcome) {
  switch (outcome) {
    case RunOutcome::kCompleted: finished_.with({"completed"}).inc(); break;
    case RunOutcome::kFailed: finished_.with({"failed"}).inc(); break;
    case RunOutcome::kCancelled: finished_.with({"cancelled"}).inc(); break;
    case RunOutcome::kWaitingApproval: break;  // paused, not ended
  }
}

void EngineMetrics::toolCall(const std::string& tool, bool ok) { tools_.with({tool, ok ? "ok" : "error"}).inc(); }

}  // namespace codecrew::engine
