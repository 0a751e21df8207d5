#include "engine/crew_engine.h"

#include "engine/execution_run.h"

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
  return "To resume: POST /workflows/" + std::to_string(workflow_id) + "/executions/" +
         std::to_string(execution_id) + "/resume, or `codecrew run --resume " + std::to_string(execution_id) + "`";
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

boost::asio::awaitable<core::Result<RunOutcome>> CrewEngine::run(core::Id tenant_id, core::Id execution_id) {
  auto flag = cancelFlag(execution_id);
  ExecutionRun run(deps_, tenant_id, execution_id, flag);
  auto outcome = co_await run.execute();
  forget(execution_id);
  co_return outcome;
}

core::Status CrewEngine::cancel(core::Id tenant_id, core::Id execution_id) {
  auto exec = deps_.store->getExecutionById(tenant_id, execution_id);
  if (!exec) return exec.error();
  if (exec->status == "completed" || exec->status == "failed" || exec->status == "cancelled")
    return core::Error::conflict("execution " + std::to_string(execution_id) + " has already ended (" +
                                 exec->status + ")");
  bool running = false;
  {
    std::lock_guard lock(mu_);
    auto it = cancel_flags_.find(execution_id);
    if (it != cancel_flags_.end()) {
      it->second->store(true);
      running = true;
    }
  }
  if (running) return core::okStatus();
  return ExecutionRun::markCancelled(*deps_.store, *deps_.clock, std::move(exec).value());
}

core::Status CrewEngine::prepareResume(core::Id tenant_id, core::Id execution_id) {
  auto exec = deps_.store->getExecutionById(tenant_id, execution_id);
  if (!exec) return exec.error();
  return ExecutionRun::reopenForResume(*deps_.store, std::move(exec).value());
}

}  // namespace codecrew::engine
