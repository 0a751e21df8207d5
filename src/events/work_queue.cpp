#include "events/work_queue.h"

#include "core/log.h"

#include <algorithm>

namespace codecrew::events {

WorkQueue::WorkQueue(int threads) {
  for (int i = 0; i < std::max(1, threads); ++i) threads_.emplace_back([state = state_] { run(state); });
}

WorkQueue::~WorkQueue() {
  std::deque<std::function<void()>> dropped;  // destroyed outside the lock
  {
    std::lock_guard lock(state_->mu);
    state_->stopping = true;
    dropped.swap(state_->tasks);
  }
  state_->cv.notify_all();
  for (auto& t : threads_) {
    if (t.get_id() == std::this_thread::get_id()) t.detach();  // it ends when this task returns
    else t.join();
  }
}

void WorkQueue::post(std::function<void()> task) {
  {
    std::lock_guard lock(state_->mu);
    if (state_->stopping) return;
    state_->tasks.push_back(std::move(task));
  }
  state_->cv.notify_one();
}

void WorkQueue::run(const std::shared_ptr<State>& state) {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(state->mu);
      state->cv.wait(lock, [&] { return state->stopping || !state->tasks.empty(); });
      if (state->stopping) return;
      task = std::move(state->tasks.front());
      state->tasks.pop_front();
    }
    try {
      task();
    } catch (const std::exception& e) {
      core::log::error("event work task threw", {{"error", e.what()}});
    }
  }
}

}  // namespace codecrew::events
