#include "tools/sandbox/fake_sandbox.h"

namespace codecrew::tools {

void FakeSandbox::pushResult(core::Result<SandboxResult> result) {
  std::lock_guard lock(mutex_);
  queued_.push_back(std::move(result));
}

void FakeSandbox::setDefaultResult(SandboxResult result) {
  std::lock_guard lock(mutex_);
  default_ = std::move(result);
}

std::vector<SandboxCommand> FakeSandbox::commands() const {
  std::lock_guard lock(mutex_);
  return commands_;
}

core::Result<SandboxResult> FakeSandbox::run(const SandboxCommand& command) {
  std::lock_guard lock(mutex_);
  commands_.push_back(command);
  if (queued_.empty()) return default_;
  auto next = std::move(queued_.front());
  queued_.pop_front();
  return next;
}

}  // namespace codecrew::tools
