// FakeSandbox: a Sandbox that runs nothing. Tests script the results it
// returns (in order, or a default) and read back the commands it was given.
// Thread-safety: all methods are safe to call concurrently.
#pragma once

#include "tools/sandbox/sandbox.h"

#include <deque>
#include <mutex>

namespace codecrew::tools {

class FakeSandbox : public Sandbox {
 public:
  // Queues the answer to the next run() call.
  void pushResult(core::Result<SandboxResult> result);
  // The answer when the queue is empty (by default: exit code 0, no output).
  void setDefaultResult(SandboxResult result);
  // Every command run so far, in order.
  std::vector<SandboxCommand> commands() const;

  core::Result<SandboxResult> run(const SandboxCommand& command) override;

 private:
  mutable std::mutex mutex_;
  std::deque<core::Result<SandboxResult>> queued_;
  SandboxResult default_{.exitCode = 0};
  std::vector<SandboxCommand> commands_;
};

}  // namespace codecrew::tools
