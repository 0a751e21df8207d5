#include "llm/router/circuit_breaker.h"

namespace codecrew::llm {

CircuitBreaker::CircuitBreaker(BreakerPolicy policy, std::shared_ptr<core::Clock> clock)
    : policy_(policy), clock_(std::move(clock)) {}

void CircuitBreaker::refresh() {
  if (state_ == State::kOpen && clock_->steadyNow() - opened_at_ >= policy_.open_duration) {
    state_ = State::kHalfOpen;
    successes_ = 0;
    probes_in_flight_ = 0;
  }
}

bool CircuitBreaker::allow() {
  std::lock_guard lock(mu_);
  refresh();
  switch (state_) {
    case State::kClosed: return true;
    case State::kOpen: return false;
    case State::kHalfOpen:
      if (probes_in_flight_ >= policy_.half_open_probes) return false;
      ++probes_in_flight_;
      return true;
  }
  return false;
}

bool CircuitBreaker::recordSuccess() {
  std::lock_guard lock(mu_);
  failures_ = 0;
  if (state_ == State::kHalfOpen) {
    if (probes_in_flight_ > 0) --probes_in_flight_;
    if (++successes_ >= policy_.success_threshold) {
      state_ = State::kClosed;
      return true;
    }
  }
  return false;
}

bool CircuitBreaker::recordFailure() {
  std::lock_guard lock(mu_);
  if (state_ == State::kOpen) return false;  // a call admitted before it opened
  if (state_ == State::kHalfOpen || ++failures_ >= policy_.failure_threshold) {
    state_ = State::kOpen;
    opened_at_ = clock_->steadyNow();
    failures_ = 0;
    probes_in_flight_ = 0;
    return true;
  }
  return false;
}

void CircuitBreaker::releaseProbe() {
  std::lock_guard lock(mu_);
  if (state_ == State::kHalfOpen && probes_in_flight_ > 0) --probes_in_flight_;
}

CircuitBreaker::State CircuitBreaker::state() {
  std::lock_guard lock(mu_);
  refresh();
  return state_;
}

std::string_view breakerStateName(CircuitBreaker::State state) {
  switch (state) {
    case CircuitBreaker::State::kClosed: return "closed";
    case CircuitBreaker::State::kOpen: return "open";
    case CircuitBreaker::State::kHalfOpen: return "half_open";
  }
  return "closed";
}

}  // namespace codecrew::llm
