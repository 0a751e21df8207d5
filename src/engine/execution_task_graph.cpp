// ExecutionRun, continued: a CrewAI crew's tasks. Each task waits for the
// tasks it comes after (TaskSpec::after: the previous task that is not
// async, and the async tasks a non-async task waits for) and for those its
// context names; the others run beside it, up to limits.max_parallel, on the
// PlanRunner. A task with human_input stops at an approval gate once its
// agent has answered; approving accepts the answer, asking for changes sends
// the comment back to the agent, which answers again (and is asked again).
#include "engine/execution_run.h"

#include "engine/plan_runner.h"

#include <algorithm>

namespace codecrew::engine {

namespace {

Plan taskGraph(const StageSpec& spec) {
  Plan plan;
  for (const auto& t : spec.tasks) {
    PlanTask pt;
    pt.id = t.name;
    pt.title = t.name;
    pt.depends_on = t.after;
    for (const auto& c : t.context)
      if (std::find(pt.depends_on.begin(), pt.depends_on.end(), c) == pt.depends_on.end()) pt.depends_on.push_back(c);
    plan.tasks.push_back(std::move(pt));
  }
  return plan;
}

const TaskSpec* taskNamed(const StageSpec& spec, const std::string& name) {
  for (const auto& t : spec.tasks)
    if (t.name == name) return &t;
  return nullptr;
}

}  // namespace

boost::asio::awaitable<ExecutionRun::StageResult> ExecutionRun::runTaskGraph(const StageSpec& spec,
                                                                             const std::string& visit) {
  Plan plan = taskGraph(spec);
  PlanRunOptions options;
  options.max_parallel = crew_.limits.max_parallel;
  options.lock_owner_prefix = visit + "/";
  for (const auto& name : cp_.progress[visit].tasks_done) options.completed[name] = cp_.outputs[name];
  PlanRunner runner(locks_, options);
  std::optional<AgentOutcome> stop;
  std::string stop_step;
  std::optional<std::pair<std::string, std::string>> gate;  // task, step waiting for human input
  auto fn = [&](const PlanTask& pt, TaskOutputs) -> boost::asio::awaitable<core::Result<std::string>> {
    const TaskSpec& task = *taskNamed(spec, pt.id);
    std::string step = visit + "/" + task.name;
    std::optional<AgentOutcome> s;
    auto out = co_await runAgent(task, step, taskPrompt(task, nullptr, {}), step, s);
    if (!out) co_return out.error();
    if (s) {
      if (!stop) {
        stop = s;
        stop_step = step;
      }
      co_return core::Error{core::ErrorCode::kFailedPrecondition, s->message, nullptr};
    }
    if (task.human_input && !cp_.gates_passed.count(std::string(kHumanInputGate) + task.name + "@" + step)) {
      if (!gate) gate.emplace(task.name, step);
      co_return core::Error{core::ErrorCode::kFailedPrecondition, task.name + " waits for human input", nullptr};
    }
    auto state = AgentRunState::fromJson(cp_.agents[step]);
    if (!state) co_return state.error();
    auto done = co_await completeTask(task, visit, *state);
    if (!done) co_return done.error();
    if (*done) co_return core::Error::internal("task " + task.name + " ended the run while completing");
    co_return cp_.outputs[task.name];
  };
  auto report = co_await runner.run(plan, fn);
  if (stop) co_return escalate(*stop, stop_step);
  if (gate) {
    // What the human is asked about, for whoever shows progress (`codecrew run`).
    if (auto st = AgentRunState::fromJson(cp_.agents[gate->second]))
      progress("human_input", boost::json::object{{"task", gate->first}, {"output", st->output}});
    auto paused = pause(std::string(kHumanInputGate) + gate->first, gate->second, "");
    if (!paused) co_return paused.error();
    co_return std::optional<RunOutcome>(*paused);
  }
  if (!report) co_return report.error();
  co_return std::optional<RunOutcome>();
}

core::Status ExecutionRun::decideHumanInput(const PendingApproval& pending, store::Decision decision,
                                            const std::string& comment) {
  if (decision != store::Decision::kRequestChanges) {
    cp_.gates_passed.insert(pending.gate + "@" + pending.step);
    return core::okStatus();
  }
  auto st = AgentRunState::fromJson(cp_.agents[pending.step]);
  if (!st) return st.error();
  st->finished = false;
  st->output.clear();
  st->structured = nullptr;
  st->seen_calls.clear();
  st->turns_without_change = 0;
  st->max_iterations = std::max(st->max_iterations, st->iteration) + std::max(1, st->max_iterations / 2);
  st->messages.push_back(llm::Message::user("Feedback on your answer: " + comment +
                                            "\n\nRevise your answer with this feedback and give the whole answer."));
  cp_.agents[pending.step] = st->toJson();
  return core::okStatus();
}

}  // namespace codecrew::engine
