// InterruptWatch: Ctrl-C (SIGINT) for a command that wants to say something
// before it exits. Made before any thread is started, it blocks SIGINT in the
// calling thread (so in every thread started afterwards) and waits for it on
// a thread of its own, which calls `on_interrupt` (once; it usually ends the
// process). Destruction stops the thread and restores the signal mask.
// Thread-safety: construct and destroy on one thread.
#pragma once

#include <signal.h>

#include <atomic>
#include <functional>
#include <thread>

namespace codecrew::app {

class InterruptWatch {
 public:
  explicit InterruptWatch(std::function<void()> on_interrupt);
  ~InterruptWatch();
  InterruptWatch(const InterruptWatch&) = delete;
  InterruptWatch& operator=(const InterruptWatch&) = delete;

 private:
  sigset_t previous_{};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace codecrew::app
