// EngineMetrics: what the crew engine counts, for GET /metrics. Families
// (label values are enums and the crew's configured tool names, never ids):
//  codecrew_executions_finished_total{state}   runs that ended completed, failed or cancelled
//  codecrew_agent_steps_total                   model turns of agents
//  codecrew_loops_total                         stages sent back to an earlier one (TEST or REVIEW to BUILD)
//  codecrew_tool_calls_total{tool,result}       agents' tool calls, ok or error (a name the agent
//                                               may not use is "unknown")
//  codecrew_budget_exhausted_total{scope}       scope "execution": a run stopped on its budget
//  codecrew_queue_wait_seconds                  a job's wait from queued to claimed
// Thread-safety: every method is safe from any thread.
#pragma once

#include "engine/crew_engine.h"
#include "llm/router/router_metrics.h"
#include "telemetry/metrics.h"

#include <string>

namespace codecrew::engine {

class EngineMetrics {
 public:
  explicit EngineMetrics(telemetry::Registry& registry);

  void runEnded(RunOutcome outcome);
  void agentStep() { steps_.inc(); }
  void loopBack() { loops_.inc(); }
  void toolCall(const std::string& tool, bool ok);
  void budgetExhausted() { budget_.inc(); }
  void queueWait(double seconds) { queue_wait_.observe(seconds); }

 private:
  telemetry::Family<telemetry::Counter>& finished_;
  telemetry::Counter& steps_;
  telemetry::Counter& loops_;
  telemetry::Family<telemetry::Counter>& tools_;
  telemetry::Counter& budget_;
  telemetry::Histogram& queue_wait_;
};

}  // namespace codecrew::engine
