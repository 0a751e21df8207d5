#include "engine/session_sweeper.h"

#include "core/log.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace codecrew::engine {
namespace asio = boost::asio;

SessionSweeper::SessionSweeper(asio::any_io_executor executor, std::shared_ptr<CrewCodeService> service,
                               std::chrono::milliseconds interval)
    : service_(std::move(service)), interval_(interval), timer_(std::move(executor)) {}

void SessionSweeper::start() {
  auto self = shared_from_this();
  asio::co_spawn(
      timer_.get_executor(),
      [self]() -> asio::awaitable<void> {
        for (;;) {
          self->timer_.expires_after(self->interval_);
          boost::system::error_code ec;
          co_await self->timer_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
          if (ec) co_return;  // stopped
          if (auto swept = self->service_->sweepExpired(); !swept)
            core::log::warn("cannot delete expired CrewCode sessions", {{"error", swept.error().message}});
        }
      },
      asio::detached);
}

void SessionSweeper::stop() {
  asio::post(timer_.get_executor(), [self = shared_from_this()] { self->timer_.cancel(); });
}

}  // namespace codecrew::engine
