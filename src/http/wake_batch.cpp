#include "http/wake_batch.h"

#include <boost/asio/post.hpp>

namespace codecrew::http {

namespace asio = boost::asio;

WakeBatch::WakeBatch(asio::execution_context& context) : service(context) {}

WakeBatch& WakeBatch::of(const asio::any_io_executor& executor) {
  return asio::use_service<WakeBatch>(asio::query(executor, asio::execution::context));
}

void WakeBatch::add(const asio::any_io_executor& executor, std::function<void()> fn) {
  bool first = false;
  {
    std::lock_guard lock(mu_);
    first = pending_.empty();
    pending_.push_back(std::move(fn));
  }
  if (first) asio::post(executor, [this] { runPending(); });
}

void WakeBatch::runPending() {
  std::vector<std::function<void()>> batch;
  {
    std::lock_guard lock(mu_);
    batch.swap(pending_);
  }
  for (auto& fn : batch) fn();
}

void WakeBatch::shutdown() {
  std::vector<std::function<void()>> dropped;
  std::lock_guard lock(mu_);
  dropped.swap(pending_);
}

}  // namespace codecrew::http
