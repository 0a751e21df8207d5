#include "http/io_threads.h"

#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <thread>

namespace codecrew::http {
namespace {

namespace asio = boost::asio;

// Marks an io_context made by makeIoContexts (asio's has_service finds it).
class OneThreadMark final : public asio::execution_context::service {
 public:
  static inline asio::execution_context::id id;
  explicit OneThreadMark(asio::execution_context& context) : service(context) {}

 private:
  void shutdown() override {}
};

}  // namespace

int threadsOr(int configured, int fallback) { return configured > 0 ? configured : std::max(1, fallback); }

std::vector<std::shared_ptr<asio::io_context>> makeIoContexts(int threads) {
  int n = threadsOr(threads, int(std::thread::hardware_concurrency()));
  // Concurrency hint 1: work a thread posts to its own context stays on its
  // private queue, without a lock or a wake-up of the reactor.
  std::vector<std::shared_ptr<asio::io_context>> out;
  for (int i = 0; i < n; ++i) {
    out.push_back(std::make_shared<asio::io_context>(1));
    asio::make_service<OneThreadMark>(*out.back());
  }
  return out;
}

bool runsOnOneThread(const asio::any_io_executor& executor) {
  if (!executor.target<asio::io_context::executor_type>()) return false;
  return asio::has_service<OneThreadMark>(asio::query(executor, asio::execution::context));
}

}  // namespace codecrew::http
