#include "app/interrupt_watch.h"

#include <pthread.h>

#include <ctime>

namespace codecrew::app {

InterruptWatch::InterruptWatch(std::function<void()> on_interrupt) {
  sigset_t interrupt;
  sigemptyset(&interrupt);
  sigaddset(&interrupt, SIGINT);
  pthread_sigmask(SIG_BLOCK, &interrupt, &previous_);
  thread_ = std::thread([this, interrupt, on_interrupt = std::move(on_interrupt)] {
    const timespec poll{0, 200'000'000};
    while (!stopping_.load()) {
      if (sigtimedwait(&interrupt, nullptr, &poll) == SIGINT) {
        on_interrupt();
        return;
      }
    }
  });
}

InterruptWatch::~InterruptWatch() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
  pthread_sigmask(SIG_SETMASK, &previous_, nullptr);
}

}  // namespace codecrew::app
