// CancelToken: lets whoever started an outgoing call (an agent step, an HTTP
// handler whose client went away) stop it. Operations register a callback
// with onCancel(); cancel() runs every registered callback once.
// Thread-safety: every method may be called from any thread. Callbacks run on
// the thread that calls cancel() (or registers after cancellation) and must
// only post work to the operation's own executor.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

namespace codecrew::http {

class CancelToken {
 public:
  using Callback = std::function<void()>;

  static std::shared_ptr<CancelToken> create() { return std::make_shared<CancelToken>(); }

  // Marks the token cancelled and runs every registered callback once.
  // Later calls do nothing.
  void cancel();
  bool cancelled() const;

  // Registers fn to run at cancellation; runs it at once if already cancelled.
  // Returns a handle for remove(); 0 when fn already ran.
  std::uint64_t onCancel(Callback fn);
  // Forgets a registration (the operation finished).
  void remove(std::uint64_t handle);

 private:
  mutable std::mutex mu_;
  bool cancelled_ = false;                       // guarded by mu_
  std::uint64_t next_ = 1;                       // guarded by mu_
  std::map<std::uint64_t, Callback> callbacks_;  // guarded by mu_
};

// Removes a registration when it goes out of scope.
class CancelRegistration {
 public:
  CancelRegistration(std::shared_ptr<CancelToken> token, CancelToken::Callback fn) : token_(std::move(token)) {
    if (token_) handle_ = token_->onCancel(std::move(fn));
  }
  ~CancelRegistration() {
    if (token_ && handle_ != 0) token_->remove(handle_);
  }
  CancelRegistration(const CancelRegistration&) = delete;
  CancelRegistration& operator=(const CancelRegistration&) = delete;

 private:
  std::shared_ptr<CancelToken> token_;
  std::uint64_t handle_ = 0;
};

}  // namespace codecrew::http
