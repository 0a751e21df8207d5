// EventStore: the stored event log of each workflow, numbered by seq. What
// the event log's feeds read and its publishing decorator appends through.
// The contracts of store.h hold (tenant scoping, one transaction a call).
#pragma once

#include "store/store_types.h"

#include <cstdint>
#include <vector>

namespace codecrew::store {

class EventStore {
 public:
  virtual ~EventStore() = default;

  // Appends with the next seq of the workflow (1-based, no gaps).
  virtual Result<Event> appendEvent(const Event& e) = 0;
  // Events of the workflow with seq > after_seq, in seq order, at most limit.
  virtual Result<std::vector<Event>> listEvents(Id tenant_id, Id workflow_id, std::int64_t after_seq, int limit) = 0;
};

}  // namespace codecrew::store
