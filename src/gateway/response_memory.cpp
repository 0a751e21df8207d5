#include "gateway/response_memory.h"

namespace codecrew::gateway {

namespace {

std::size_t sizeOf(const std::vector<llm::Message>& conversation) {
  std::size_t bytes = 0;
  for (const auto& m : conversation) {
    bytes += m.content.size() + m.name.size() + m.tool_call_id.size() + 64;
    for (const auto& c : m.tool_calls) bytes += c.id.size() + c.name.size() + c.arguments.size();
    for (const auto& i : m.images) bytes += i.url.size() + i.base64_data.size();
  }
  return bytes;
}

}  // namespace

ResponseMemory::ResponseMemory(std::size_t max_entries, std::size_t max_bytes)
    : max_entries_(max_entries), max_bytes_(max_bytes) {}

void ResponseMemory::forget(std::map<Key, Entry>::iterator it) {
  bytes_ -= it->second.bytes;
  oldest_first_.erase(it->second.age);
  entries_.erase(it);
}

void ResponseMemory::remember(core::Id tenant, const std::string& id, std::vector<llm::Message> conversation) {
  if (max_entries_ == 0) return;
  std::size_t bytes = sizeOf(conversation);
  if (bytes > max_bytes_) return;  // larger than the whole memory: never kept
  auto kept = std::make_shared<const std::vector<llm::Message>>(std::move(conversation));
  std::lock_guard lock(mu_);
  Key key{tenant, id};
  if (auto it = entries_.find(key); it != entries_.end()) forget(it);
  while (!oldest_first_.empty() && (entries_.size() >= max_entries_ || bytes_ + bytes > max_bytes_))
    forget(entries_.find(oldest_first_.front()));
  oldest_first_.push_back(key);
  entries_.emplace(key, Entry{std::move(kept), bytes, std::prev(oldest_first_.end())});
  bytes_ += bytes;
}

std::optional<std::vector<llm::Message>> ResponseMemory::recall(core::Id tenant, const std::string& id) const {
  std::shared_ptr<const std::vector<llm::Message>> found;
  {
    std::lock_guard lock(mu_);
    auto it = entries_.find(Key{tenant, id});
    if (it == entries_.end()) return std::nullopt;
    found = it->second.conversation;
  }
  return *found;
}

std::size_t ResponseMemory::size() const {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace codecrew::gateway
