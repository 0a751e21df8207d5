#include "api/stream_heartbeat.h"

#include <algorithm>

namespace codecrew::api {

StreamHeartbeat::StreamHeartbeat(std::chrono::milliseconds interval, std::string line)
    : interval_(std::max(interval, std::chrono::milliseconds(1))), line_(std::move(line)), thread_([this] { run(); }) {}

StreamHeartbeat::~StreamHeartbeat() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void StreamHeartbeat::add(const std::shared_ptr<http::ResponseStream>& stream) {
  std::lock_guard lock(mu_);
  streams_.push_back(stream);
}

void StreamHeartbeat::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    if (cv_.wait_for(lock, interval_, [&] { return stopping_; })) return;
    std::vector<std::shared_ptr<http::ResponseStream>> open;
    std::erase_if(streams_, [&](const std::weak_ptr<http::ResponseStream>& weak) {
      auto stream = weak.lock();
      if (!stream || stream->closed()) return true;
      open.push_back(std::move(stream));
      return false;
    });
    lock.unlock();
    for (const auto& stream : open) stream->write(line_);
    open.clear();  // the last reference to a stream may go here: outside the lock
    lock.lock();
  }
}

}  // namespace codecrew::api
