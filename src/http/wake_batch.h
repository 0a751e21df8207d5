// WakeBatch: wake-ups of an I/O thread's connections, gathered from other
// threads and run by one handler on that thread. A live event fanned out to
// thousands of streams wakes each of their connections; posting one handler
// per connection from the fan-out thread woke the I/O thread (and paid its
// queue's lock and a context switch) once per connection. Here the first
// wake-up posts a handler and the ones that come before it runs ride on it.
// One per io_context (an asio service).
// Thread-safety: add() from any thread; the functions run on the
// io_context's thread, in the order they were added.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/execution_context.hpp>

#include <functional>
#include <mutex>
#include <vector>

namespace codecrew::http {

class WakeBatch final : public boost::asio::execution_context::service {
 public:
  static inline boost::asio::execution_context::id id;
  explicit WakeBatch(boost::asio::execution_context& context);

  // The batch of the context that `executor` belongs to.
  static WakeBatch& of(const boost::asio::any_io_executor& executor);

  // Runs fn on `executor` (one of this batch's context) soon.
  void add(const boost::asio::any_io_executor& executor, std::function<void()> fn);

 private:
  void shutdown() override;
  void runPending();

  std::mutex mu_;
  std::vector<std::function<void()>> pending_;  // guarded by mu_
};

}  // namespace codecrew::http
