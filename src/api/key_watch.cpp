#include "api/key_watch.h"

#include "core/log.h"

#include <algorithm>

namespace codecrew::api {

core::Status checkKeyInStore(store::TenantStore& keys, const std::string& key_hash) {
  auto found = keys.findApiKeyByHash(key_hash);
  if (!found) return found.error();
  if (!*found) return core::Error::unauthenticated("invalid API key");
  if ((*found)->revoked_at) return core::Error::unauthenticated("API key revoked");
  return core::okStatus();
}

KeyWatch::KeyWatch(std::shared_ptr<store::TenantStore> keys, std::chrono::milliseconds interval)
    : keys_(std::move(keys)), interval_(std::max(interval, std::chrono::milliseconds(1000))) {}

KeyWatch::~KeyWatch() {
  std::thread thread;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    thread.swap(thread_);
  }
  cv_.notify_all();
  if (thread.joinable()) thread.join();
}

void KeyWatch::watch(const std::string& key_hash, Stream stream) {
  if (key_hash.empty()) return;
  std::lock_guard lock(mu_);
  streams_[key_hash].push_back(std::move(stream));
  if (!thread_.joinable() && !stopping_) thread_ = std::thread([this] { run(); });
}

void KeyWatch::checkNow() {
  std::vector<std::string> hashes;
  {
    std::lock_guard lock(mu_);
    for (const auto& [hash, streams] : streams_) hashes.push_back(hash);
  }
  for (const auto& hash : hashes) {
    auto valid = checkKeyInStore(*keys_, hash);
    if (!valid && valid.error().code != core::ErrorCode::kUnauthenticated) {
      core::log::warn("live stream key check failed; streams stay open", {{"error", valid.error().message}});
      continue;
    }
    std::vector<Stream> streams;
    {
      std::lock_guard lock(mu_);
      auto it = streams_.find(hash);
      if (it == streams_.end()) continue;
      if (valid) {
        std::erase_if(it->second, [](const Stream& s) { return s.closed(); });
        if (!it->second.empty()) continue;
      }
      streams.swap(it->second);
      streams_.erase(it);
    }
    if (valid) continue;
    for (auto& stream : streams) {
      if (!stream.closed()) stream.revoke(valid.error());
    }
  }
}

std::size_t KeyWatch::size() const {
  std::lock_guard lock(mu_);
  std::size_t n = 0;
  for (const auto& [hash, streams] : streams_) n += streams.size();
  return n;
}

void KeyWatch::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    if (cv_.wait_for(lock, interval_, [&] { return stopping_; })) return;
    lock.unlock();
    checkNow();
    lock.lock();
  }
}

}  // namespace codecrew::api
