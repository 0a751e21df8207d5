// Clock: the only source of "now" in codecrew, so tests can move time by hand.
// SystemClock reads the real clocks; FakeClock is set and advanced by tests.
// Thread-safety: every implementation is safe to call from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>

namespace codecrew::core {

using Millis = std::int64_t;  // milliseconds since the Unix epoch (UTC)

class Clock {
 public:
  virtual ~Clock() = default;
  // Wall-clock time, for timestamps that are stored or shown.
  virtual Millis nowMillis() const = 0;
  // Monotonic time, for measuring durations and deadlines.
  virtual std::chrono::steady_clock::time_point steadyNow() const = 0;
};

class SystemClock final : public Clock {
 public:
  Millis nowMillis() const override;
  std::chrono::steady_clock::time_point steadyNow() const override;
  // A process-wide instance.
  static std::shared_ptr<Clock> instance();
};

class FakeClock final : public Clock {
 public:
  explicit FakeClock(Millis start = 1'700'000'000'000) : now_(start) {}
  Millis nowMillis() const override { return now_.load(); }
  std::chrono::steady_clock::time_point steadyNow() const override {
    return std::chrono::steady_clock::time_point(std::chrono::milliseconds(now_.load()));
  }
  void advance(std::chrono::milliseconds d) { now_ += d.count(); }
  void set(Millis t) { now_ = t; }

 private:
  std::atomic<Millis> now_;
};

}  // namespace codecrew::core
