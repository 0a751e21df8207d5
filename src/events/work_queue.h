// WorkQueue: a fixed set of threads that run posted tasks, for the store
// reads of event feeds catching up (they must not run on the hub's
// dispatch thread, and the events layer has no I/O executor of its own).
// Thread-safety: post() from any thread, including a task. The destructor
// runs no more tasks (queued ones are dropped) and joins the threads.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
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
  void run();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;  // guarded by mu_
  bool stopping_ = false;                    // guarded by mu_
  std::vector<std::thread> threads_;
};

}  // namespace codecrew::events
