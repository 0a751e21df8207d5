#include "engine/plan_runner.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <memory>
#include <optional>
#include <set>

namespace codecrew::engine {
namespace asio = boost::asio;

namespace {

struct RunState {
  explicit RunState(asio::any_io_executor ex) : wake(ex) {}
  asio::steady_timer wake;
  TaskOutputs outputs;
  std::set<std::string> running;
  std::optional<core::Error> failure;
};

bool dependenciesDone(const PlanTask& t, const TaskOutputs& outputs) {
  for (const auto& d : t.depends_on)
    if (!outputs.count(d)) return false;
  return true;
}

}  // namespace

asio::awaitable<core::Result<PlanRunReport>> PlanRunner::run(const Plan& plan, PlanTaskFn fn, PlanTaskDone on_done) {
  auto ex = co_await asio::this_coro::executor;
  auto state = std::make_shared<RunState>(ex);
  PlanRunReport report;
  for (const auto& [id, out] : options_.completed)
    if (plan.task(id)) state->outputs[id] = out;

  while (true) {
    bool all_done = state->outputs.size() == plan.tasks.size();
    if (all_done || (state->failure && state->running.empty())) break;
    if (!state->failure) {
      for (const auto& task : plan.tasks) {
        // A task may finish inside co_spawn (it starts inline), so look again before each start.
        if (state->failure || static_cast<int>(state->running.size()) >= options_.max_parallel) break;
        if (state->outputs.count(task.id) || state->running.count(task.id)) continue;
        if (!dependenciesDone(task, state->outputs)) continue;
        std::string owner = options_.lock_owner_prefix + task.id;
        if (!locks_.tryLockAll(task.files, owner)) continue;
        TaskOutputs deps;
        for (const auto& d : task.depends_on) deps[d] = state->outputs[d];
        state->running.insert(task.id);
        ++report.started;
        report.peak_parallelism = std::max<int>(report.peak_parallelism, static_cast<int>(state->running.size()));
        asio::co_spawn(
            ex,
            [state, &task, deps = std::move(deps), fn, owner, on_done, this]() mutable -> asio::awaitable<void> {
              auto result = co_await fn(task, std::move(deps));
              locks_.unlockAll(owner);
              state->running.erase(task.id);
              if (result) {
                state->outputs[task.id] = *result;
                if (on_done) on_done(task.id, *result);
              } else if (!state->failure) {
                core::Error e = result.error();
                e.message = "plan task " + task.id + " failed: " + e.message;
                state->failure = std::move(e);
              }
              state->wake.cancel();
            },
            asio::detached);
      }
    }
    if (state->running.empty()) {
      if (!state->failure && state->outputs.size() < plan.tasks.size())
        state->failure = core::Error::internal("plan runner stalled: no task can start");
      continue;
    }
    state->wake.expires_at(asio::steady_timer::time_point::max());
    boost::system::error_code ec;
    co_await state->wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  if (state->failure) co_return *state->failure;
  report.outputs = state->outputs;
  co_return report;
}

}  // namespace codecrew::engine
