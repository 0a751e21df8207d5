#include "llm/router/sleeper.h"

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace codecrew::llm {

namespace asio = boost::asio;

asio::awaitable<void> AsioSleeper::sleep(std::chrono::milliseconds duration) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  timer.expires_after(duration);
  boost::system::error_code ec;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

asio::awaitable<void> FakeSleeper::sleep(std::chrono::milliseconds duration) {
  {
    std::lock_guard lock(mu_);
    sleeps_.push_back(duration);
  }
  core::Millis target = clock_->nowMillis() + duration.count();
  co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
  if (clock_->nowMillis() < target) clock_->set(target);
}

std::vector<std::chrono::milliseconds> FakeSleeper::sleeps() const {
  std::lock_guard lock(mu_);
  return sleeps_;
}

}  // namespace codecrew::llm
