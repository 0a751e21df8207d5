// WorkQueue: a fixed set of threads that run posted tasks, for the store
// reads of event feeds catching up (they must not run on the hub's
// dispatch thread, and the events layer has no I/O executor of its own).
// Thread-safety: post() from any thread, including a task. The destructor
// runs no more tasks (queued ones are dropped) and joins the threads; when
// it runs on one of them (a task held the last reference to the queue's
// owner), that thread is let go instead and ends on its own, since its loop
// keeps the state it reads alive.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace codecrew::events {

class WorkQueue {
 public:
  explicit WorkQueue(int threads);
  ~WorkQueue();
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  void post(std::function<void()> task);

 private:
  struct State {
    std::mutex mu;
    std::condition_variable cv;
    std::deque<std::function<void()>> tasks;  // guarded by mu
    bool stopping = false;                    // guarded by mu
  };
  static void run(const std::shared_ptr<State>& state);

  std::shared_ptr<State> state_ = std::make_shared<State>();
  std::vector<std::thread> threads_;
};

}  // namespace codecrew::events
