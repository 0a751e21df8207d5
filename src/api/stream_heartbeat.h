// StreamHeartbeat: writes a comment line to every open event stream at a
// fixed interval, so that proxies and clients see a live connection while
// no event happens (SSE ": heartbeat" comments, 15 s by default). Streams
// that closed are forgotten on the next beat.
// Thread-safety: add() from any thread; one thread of its own does the
// writes (which never block). The destructor stops and joins it.
#pragma once

#include "http/router.h"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace codecrew::api {

class StreamHeartbeat {
 public:
  StreamHeartbeat(std::chrono::milliseconds interval, std::string line);
  ~StreamHeartbeat();
  StreamHeartbeat(const StreamHeartbeat&) = delete;
  StreamHeartbeat& operator=(const StreamHeartbeat&) = delete;

  void add(const std::shared_ptr<http::ResponseStream>& stream);
  std::chrono::milliseconds interval() const { return interval_; }

 private:
  void run();

  const std::chrono::milliseconds interval_;
  const std::string line_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::weak_ptr<http::ResponseStream>> streams_;  // guarded by mu_
  bool stopping_ = false;                                     // guarded by mu_
  std::thread thread_;
};

}  // namespace codecrew::api
