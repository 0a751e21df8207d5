#include "engine/execution_watch.h"

namespace codecrew::engine {

void ExecutionWatch::whenFinished(core::Id execution_id, Callback fn) {
  std::lock_guard lock(mu_);
  callbacks_[execution_id] = std::move(fn);
}

void ExecutionWatch::forget(core::Id execution_id) {
  std::lock_guard lock(mu_);
  callbacks_.erase(execution_id);
}

void ExecutionWatch::finished(core::Id execution_id, const core::Result<RunOutcome>& outcome) {
  Callback fn;
  {
    std::lock_guard lock(mu_);
    auto it = callbacks_.find(execution_id);
    if (it == callbacks_.end()) return;
    fn = std::move(it->second);
    callbacks_.erase(it);
  }
  fn(outcome);
}

}  // namespace codecrew::engine
