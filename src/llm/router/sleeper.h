// Sleeper: how the router waits (backoff, Retry-After, rate limits) without
// holding a thread. AsioSleeper waits on a steady_timer of the calling
// coroutine's executor; FakeSleeper moves a FakeClock forward instead, so
// tests of retries and limits run instantly and deterministically.
// Thread-safety: both are safe to use from any number of coroutines.
#pragma once

#include "core/clock.h"

#include <boost/asio/awaitable.hpp>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <vector>

namespace codecrew::llm {

class Sleeper {
 public:
  virtual ~Sleeper() = default;
  // Resumes the caller after at least `duration` (of the clock it pairs with).
  virtual boost::asio::awaitable<void> sleep(std::chrono::milliseconds duration) = 0;
};

class AsioSleeper final : public Sleeper {
 public:
  boost::asio::awaitable<void> sleep(std::chrono::milliseconds duration) override;
};

// Sets the clock to max(now, start + duration) after yielding once to the
// executor, so concurrent sleepers interleave as they would in real time.
class FakeSleeper final : public Sleeper {
 public:
  explicit FakeSleeper(std::shared_ptr<core::FakeClock> clock) : clock_(std::move(clock)) {}
  boost::asio::awaitable<void> sleep(std::chrono::milliseconds duration) override;

  // Every duration asked for, in order.
  std::vector<std::chrono::milliseconds> sleeps() const;

 private:
  std::shared_ptr<core::FakeClock> clock_;
  mutable std::mutex mu_;
  std::vector<std::chrono::milliseconds> sleeps_;  // guarded by mu_
};

}  // namespace codecrew::llm
