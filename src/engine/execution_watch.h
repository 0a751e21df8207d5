// ExecutionWatch: one-shot callbacks on the end of a queued run, for callers
// that started an execution and want its outcome (CrewCode's /generate and
// session updates, crews answering as models). The execution queue reports
// every finished run to finished(); a callback registered with
// whenFinished() before the execution was queued runs once, on the thread
// that finished the run, and is then forgotten. Runs that nobody watches
// pass through untouched.
// Thread-safety: every method may be called from any thread; callbacks run
// outside the watch's lock.
#pragma once

#include "core/ids.h"
#include "core/result.h"
#include "engine/crew_engine.h"

#include <functional>
#include <map>
#include <mutex>

namespace codecrew::engine {

class ExecutionWatch {
 public:
  using Callback = std::function<void(const core::Result<RunOutcome>&)>;

  // Registers fn for the next end of the execution's run (replacing any
  // earlier registration). Call before queueing the execution.
  void whenFinished(core::Id execution_id, Callback fn);
  // Drops a registration that will not be needed (the start failed).
  void forget(core::Id execution_id);
  // The queue's OnFinished: runs and forgets the execution's callback.
  void finished(core::Id execution_id, const core::Result<RunOutcome>& outcome);

 private:
  std::mutex mu_;
  std::map<core::Id, Callback> callbacks_;  // guarded by mu_
};

}  // namespace codecrew::engine
