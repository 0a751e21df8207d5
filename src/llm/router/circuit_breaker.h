// CircuitBreaker: stops calling a provider's endpoint that keeps failing
// (the router keeps one per provider and endpoint kind).
//  closed    -> calls pass; `failure_threshold` consecutive failures open it.
//  open      -> calls are refused until `open_duration` has passed, then
//  half-open -> up to `half_open_probes` calls pass; `success_threshold`
//               successes close it, any failure opens it again.
// Only failures that say the provider is unwell count (server errors,
// timeouts, network errors, malformed answers); a 400 does not.
// Thread-safety: every method may be called from any thread.
#pragma once

#include "core/clock.h"

#include <chrono>
#include <memory>
#include <mutex>
#include <string_view>

namespace codecrew::llm {

struct BreakerPolicy {
  int failure_threshold = 5;
  std::chrono::milliseconds open_duration{30'000};
  int half_open_probes = 1;
  int success_threshold = 1;
};

class CircuitBreaker {
 public:
  enum class State { kClosed, kOpen, kHalfOpen };

  CircuitBreaker(BreakerPolicy policy, std::shared_ptr<core::Clock> clock);

  // True if a call may go ahead now (in half-open, takes a probe slot).
  bool allow();
  // True when this success closed the breaker (it was half-open).
  bool recordSuccess();
  // True when this failure opened the breaker.
  bool recordFailure();
  // The call that allow() admitted ended without saying anything about the
  // provider's health (cancelled, refused by a rate limit): frees its probe.
  void releaseProbe();
  State state();

 private:
  void refresh();  // open -> half-open when due; requires mu_

  BreakerPolicy policy_;
  std::shared_ptr<core::Clock> clock_;
  std::mutex mu_;
  State state_ = State::kClosed;                       // guarded by mu_
  int failures_ = 0;                                   // guarded by mu_
  int successes_ = 0;                                  // guarded by mu_
  int probes_in_flight_ = 0;                           // guarded by mu_
  std::chrono::steady_clock::time_point opened_at_{};  // guarded by mu_
};

std::string_view breakerStateName(CircuitBreaker::State state);

}  // namespace codecrew::llm
