#include "engine/crew_engine.h"

#include "engine/engine_metrics.h"
#include "engine/execution_records.h"
#include "engine/execution_run.h"

#include <exception>

namespace codecrew::engine {

std::string_view runOutcomeName(RunOutcome outcome) {
  switch (outcome) {
    case RunOutcome::kCompleted: return "completed";
    case RunOutcome::kFailed: return "failed";
    case RunOutcome::kCancelled: return "cancelled";
    case RunOutcome::kWaitingApproval: return "waiting_approval";
  }
  return "failed";
}

CrewEngine::CrewEngine(EngineDeps deps) : deps_(std::move(deps)) {}

std::string CrewEngine::resumeHint(core::Id workflow_id, core::Id execution_id) {
  return "To resume: POST /workflows/" + std::to_string(workflow_id) + "/executions/" + std::to_string(execution_id) +
         "/resume, or `codecrew run --resume " + std::to_string(execution_id) + "`";
}

std::shared_ptr<std::atomic<bool>> CrewEngine::cancelFlag(core::Id execution_id) {
  std::lock_guard lock(mu_);
  auto& flag = cancel_flags_[execution_id];
  if (!flag) flag = std::make_shared<std::atomic<bool>>(false);
  return flag;
}

void CrewEngine::forget(core::Id execution_id) {
  std::lock_guard lock(mu_);
  cancel_flags_.erase(execution_id);
}

std::filesystem::path workspaceOf(const store::Execution& e, const std::filesystem::path& root) {
  if (!e.workspace.empty()) return e.workspace;
  return root / ("t" + std::to_string(e.tenant_id)) / ("e" + std::to_string(e.id));
}

boost::asio::awaitable<core::Result<RunOutcome>> CrewEngine::run(core::Id tenant_id, core::Id execution_id,
                                                                 std::shared_ptr<store::Store> run_store) {
  auto flag = cancelFlag(execution_id);
  EngineDeps deps = deps_;
  if (run_store) deps.store = std::move(run_store);
  core::Result<RunOutcome> outcome = RunOutcome::kFailed;
  std::string thrown;
  try {
    ExecutionRun run(deps, tenant_id, execution_id, flag);
    auto ran = co_await run.execute();
    run.endSpan(ran);
    outcome = std::move(ran);
  } catch (const std::exception& e) {
    thrown = e.what();
  }
  forget(execution_id);
  if (!thrown.empty()) outcome = core::Error::internal("the run stopped on an internal error: " + thrown);
  if (!outcome && !flag->load()) {
    const auto code = outcome.error().code;
    bool for_good = code != core::ErrorCode::kUnavailable && code != core::ErrorCode::kNotFound;
    if (for_good) {
      // It would fail the same way again: end it, so it holds no slot and
      // recovery does not pick it up.
      if (auto ok = markFailed(*deps.store, *deps.clock, tenant_id, execution_id, outcome.error().message); !ok)
        co_return ok.error();
      if (deps.metrics) deps.metrics->runEnded(RunOutcome::kFailed);
      co_return RunOutcome::kFailed;
    }
  }
  if (flag->load() && !outcome) co_return RunOutcome::kCancelled;
  if (outcome && deps.metrics) deps.metrics->runEnded(*outcome);
  co_return outcome;
}

void CrewEngine::requestStop(core::Id execution_id) {
  std::lock_guard lock(mu_);
  auto it = cancel_flags_.find(execution_id);
  if (it != cancel_flags_.end()) it->second->store(true);
}

core::Status CrewEngine::prepareResume(core::Id tenant_id, core::Id execution_id) {
  auto exec = deps_.store->getExecutionById(tenant_id, execution_id);
  if (!exec) return exec.error();
  return ExecutionRun::reopenForResume(*deps_.store, std::move(exec).value());
}

}  // namespace codecrew::engine
