// SessionSweeper: deletes expired CrewCode sessions every interval, so they
// go (files, workflow, workspaces) even when nobody calls the session
// routes. A coroutine on the given executor waiting on a timer; no thread of
// its own.
// Thread-safety: start() and stop() may be called from any thread, once each.
#pragma once

#include "engine/crewcode_service.h"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>

namespace codecrew::engine {

class SessionSweeper : public std::enable_shared_from_this<SessionSweeper> {
 public:
  SessionSweeper(boost::asio::any_io_executor executor, std::shared_ptr<CrewCodeService> service,
                 std::chrono::milliseconds interval);
  void start();
  void stop();

 private:
  std::shared_ptr<CrewCodeService> service_;
  std::chrono::milliseconds interval_;
  boost::asio::steady_timer timer_;
};

}  // namespace codecrew::engine
