// PlanRunner: executes a validated Plan. Every task whose dependencies are
// done starts at once, up to max_parallel at a time, provided it can take the
// locks of all the files it declares (FileLockTable); a task whose files are
// held waits for the holder to finish. Each task receives the outputs of its
// dependencies. Tasks already completed (a resumed execution) are not run
// again; their recorded outputs flow to dependents as before. The first
// failing task stops new starts; running tasks finish; the failure is returned.
//
// Thread-safety: the runner's bookkeeping and the task coroutines run on the
// executor of the coroutine that awaits run(); that executor must be a strand
// or a single-threaded io_context.
#pragma once

#include "core/result.h"
#include "engine/file_locks.h"
#include "engine/plan.h"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <map>
#include <string>

namespace codecrew::engine {

using TaskOutputs = std::map<std::string, std::string>;
// Runs one task; dependency_outputs holds the outputs of the ids it depends on.
using PlanTaskFn =
    std::function<boost::asio::awaitable<core::Result<std::string>>(const PlanTask&, TaskOutputs dependency_outputs)>;
// Told about each task that completes (e.g. to checkpoint), in completion order.
using PlanTaskDone = std::function<void(const std::string& id, const std::string& output)>;

struct PlanRunOptions {
  int max_parallel = 4;
  TaskOutputs completed;  // outputs of tasks finished before (resume)
  std::string lock_owner_prefix = "task:";
};

struct PlanRunReport {
  TaskOutputs outputs;       // every task's output, resumed ones included
  int peak_parallelism = 0;  // the most tasks that ran at once
  int started = 0;           // tasks started by this run
};

class PlanRunner {
 public:
  PlanRunner(FileLockTable& locks, PlanRunOptions options) : locks_(locks), options_(std::move(options)) {}

  boost::asio::awaitable<core::Result<PlanRunReport>> run(const Plan& plan, PlanTaskFn fn, PlanTaskDone on_done = {});

 private:
  FileLockTable& locks_;
  PlanRunOptions options_;
};

}  // namespace codecrew::engine
