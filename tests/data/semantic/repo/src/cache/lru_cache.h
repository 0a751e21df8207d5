#pragma once

#include <list>
#include <string>
#include <unordered_map>

// A fixed-capacity key-value cache that forgets the entry used longest ago.
class LruCache {
 public:
  explicit LruCache(std::size_t capacity) : capacity_(capacity) {}
  bool get(const std::string& key, std::string& value);
  void put(const std::string& key, const std::string& value);

 private:
  void evictOldest();
  std::size_t capacity_;
  std::list<std::pair<std::string, std::string>> order_;
  std::unordered_map<std::string, std::list<std::pair<std::string, std::string>>::iterator> index_;
};
