#include "http/client/cancel_token.h"

#include <vector>

namespace codecrew::http {

void CancelToken::cancel() {
  std::map<std::uint64_t, Callback> to_run;
  {
    std::lock_guard lock(mu_);
    if (cancelled_) return;
    cancelled_ = true;
    to_run.swap(callbacks_);
  }
  for (auto& [handle, fn] : to_run) fn();
}

bool CancelToken::cancelled() const {
  std::lock_guard lock(mu_);
  return cancelled_;
}

std::uint64_t CancelToken::onCancel(Callback fn) {
  {
    std::lock_guard lock(mu_);
    if (!cancelled_) {
      auto handle = next_++;
      callbacks_.emplace(handle, std::move(fn));
      return handle;
    }
  }
  fn();
  return 0;
}

void CancelToken::remove(std::uint64_t handle) {
  std::lock_guard lock(mu_);
  callbacks_.erase(handle);
}

}  // namespace codecrew::http
