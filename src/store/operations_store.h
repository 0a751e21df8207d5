// OperationsStore: what an operator watches of the whole database, every
// tenant at once (GET /metrics' gauges): executions by status, the queue's
// depth and its oldest wait, pending approvals and the oldest of them. The
// only reads across tenants besides the webhook lookups; nothing in it
// reaches an API response. The contracts of store.h hold.
#pragma once

#include "store/statuses.h"
#include "store/store_types.h"

#include <cstdint>
#include <map>
#include <optional>

namespace codecrew::store {

struct OperationalSnapshot {
  std::map<RunStatus, std::int64_t> executions;  // statuses with none are absent
  std::int64_t queued_jobs = 0;                  // jobs waiting for a worker
  std::optional<Millis> oldest_queued_at;        // when the longest-waiting one was (re)queued
  std::int64_t pending_approvals = 0;
  std::optional<Millis> oldest_approval_at;  // when the oldest pending one was requested
};

class OperationsStore {
 public:
  virtual ~OperationsStore() = default;
  virtual Result<OperationalSnapshot> operationalSnapshot() = 0;
};

}  // namespace codecrew::store
