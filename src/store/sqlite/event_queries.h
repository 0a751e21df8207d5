// SQL for the per-workflow event log. Each function runs inside a transaction
// the caller (SqliteStore) has opened on conn; appendEvent relies on that
// transaction being a write transaction so seq = max + 1 cannot race.
// Thread-safety: stateless; each call uses the connection it is given.
#pragma once

#include "store/sqlite/sqlite_connection.h"
#include "store/store.h"

namespace codecrew::store::sqlite {

inline constexpr int kMaxEventBatch = 10000;

Result<Event> appendEvent(SqliteConnection& conn, Millis now, const Event& e);
// limit must be within 1..kMaxEventBatch.
Result<std::vector<Event>> listEvents(SqliteConnection& conn, Id tenant_id, Id workflow_id, std::int64_t after_seq,
                                      int limit);

}  // namespace codecrew::store::sqlite
