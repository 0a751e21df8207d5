// SQL for the per-workflow event log. Each function runs inside a transaction
// the caller (SqlStore) has opened on conn; appendEvent relies on that
// transaction being a write transaction so seq = max + 1 cannot race.
// Thread-safety: stateless; each call uses the connection it is given.
#pragma once

#include "store/sql/connection.h"
#include "store/store.h"

namespace codecrew::store::sql {

inline constexpr int kMaxEventBatch = 10000;

Result<Event> appendEvent(Connection& conn, Millis now, const Event& e);
// limit must be within 1..kMaxEventBatch.
Result<std::vector<Event>> listEvents(Connection& conn, Id tenant_id, Id workflow_id, std::int64_t after_seq,
                                      int limit);

}  // namespace codecrew::store::sql
