#include "api/key_cache.h"

#include <algorithm>

namespace codecrew::api {

KeyCache::KeyCache(std::shared_ptr<core::Clock> clock, std::chrono::milliseconds ttl, std::size_t max_entries)
    : clock_(std::move(clock)),
      ttl_(std::max(ttl, std::chrono::milliseconds::zero())),
      max_entries_(std::max<std::size_t>(max_entries, 1)) {}

std::optional<KeyCache::Hit> KeyCache::find(const std::string& key_hash) const {
  if (ttl_.count() == 0) return std::nullopt;
  auto now = clock_->steadyNow();
  std::lock_guard lock(mu_);
  auto it = entries_.find(key_hash);
  if (it == entries_.end() || now >= it->second.expires_at) return std::nullopt;
  return it->second.hit;
}

void KeyCache::insert(const std::string& key_hash, const Principal& principal,
                      std::optional<core::Millis> last_used_at) {
  if (ttl_.count() == 0) return;
  auto now = clock_->steadyNow();
  Entry entry{Hit{principal, last_used_at}, now + ttl_};
  std::lock_guard lock(mu_);
  if (auto it = entries_.find(key_hash); it != entries_.end()) {
    it->second = std::move(entry);
    return;
  }
  if (entries_.size() >= max_entries_) makeRoomLocked(now);
  entries_.emplace(key_hash, std::move(entry));
}

std::size_t KeyCache::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

void KeyCache::makeRoomLocked(std::chrono::steady_clock::time_point now) {
  std::erase_if(entries_, [now](const Map::value_type& e) { return now >= e.second.expires_at; });
  if (entries_.size() >= max_entries_) entries_.clear();
}

}  // namespace codecrew::api
