// ResponseMemory: the conversations behind the Responses API's response ids,
// kept in server memory so that a call naming previous_response_id continues
// one. Each tenant sees only its own ids. Bounded: at most `max_entries`
// conversations and `max_bytes` of their text in all; past either, the
// oldest are forgotten (a call naming a forgotten id is told it is unknown).
// Thread-safety: every method may be called from any thread.
#pragma once

#include "core/ids.h"
#include "llm/types.h"

#include <cstddef>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace codecrew::gateway {

class ResponseMemory {
 public:
  ResponseMemory(std::size_t max_entries, std::size_t max_bytes);

  // Keeps `conversation` (the messages up to and including the answer)
  // under (tenant, id), replacing an entry of the same id.
  void remember(core::Id tenant, const std::string& id, std::vector<llm::Message> conversation);
  // The conversation kept under (tenant, id), or nothing.
  std::optional<std::vector<llm::Message>> recall(core::Id tenant, const std::string& id) const;
  std::size_t size() const;

 private:
  using Key = std::pair<core::Id, std::string>;
  struct Entry {
    std::shared_ptr<const std::vector<llm::Message>> conversation;
    std::size_t bytes = 0;
    std::list<Key>::iterator age;
  };
  void forget(std::map<Key, Entry>::iterator it);

  std::size_t max_entries_;
  std::size_t max_bytes_;
  mutable std::mutex mu_;
  std::map<Key, Entry> entries_;  // guarded by mu_
  std::list<Key> oldest_first_;   // guarded by mu_
  std::size_t bytes_ = 0;         // guarded by mu_
};

}  // namespace codecrew::gateway
