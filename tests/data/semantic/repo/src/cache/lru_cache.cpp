#include "lru_cache.h"

bool LruCache::get(const std::string& key, std::string& value) {
  auto it = index_.find(key);
  if (it == index_.end()) return false;
  order_.splice(order_.begin(), order_, it->second);  // now the most recent
  value = it->second->second;
  return true;
}

void LruCache::put(const std::string& key, const std::string& value) {
  if (auto it = index_.find(key); it != index_.end()) order_.erase(it->second);
  order_.emplace_front(key, value);
  index_[key] = order_.begin();
  if (order_.size() > capacity_) evictOldest();
}

// Drops the entry at the back of the list: the least recently used one.
void LruCache::evictOldest() {
  index_.erase(order_.back().first);
  order_.pop_back();
}
