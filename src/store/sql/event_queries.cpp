#include "store/sql/event_queries.h"

#include "store/sql/query_support.h"

namespace codecrew::store::sql {
namespace {

constexpr std::string_view kEventColumns = "id, tenant_id, workflow_id, execution_id, seq, type, data, created_at";

Event readEvent(const Statement& s) {
  Event e;
  e.id = s.i64(0);
  e.tenant_id = s.i64(1);
  e.workflow_id = s.i64(2);
  e.execution_id = s.optI64(3);
  e.seq = s.i64(4);
  e.type = s.text(5);
  e.data = s.json(6);
  e.created_at = s.i64(7);
  return e;
}

}  // namespace

Result<Event> appendEvent(Connection& conn, Millis now, const Event& e) {
  if (e.type.empty()) return core::Error::invalidArgument("an event needs a type");
  if (auto st = requireWorkflowScope(conn, e.tenant_id, e.workflow_id, e.execution_id); !st.ok()) {
    return std::move(st).error();
  }
  // One appender of a workflow at a time, until its commit: seqs are taken
  // in order, and seq n+1 is never visible before n.
  if (auto locked = lockForUpdate(conn, "workflows", e.workflow_id); !locked.ok()) return std::move(locked).error();
  auto last = fetchInt(conn, "SELECT coalesce(max(seq), 0) FROM events WHERE workflow_id = ?", {e.workflow_id});
  if (!last.ok()) return std::move(last).error();
  auto ins = insertReturningId(conn,
                               "INSERT INTO events (tenant_id, workflow_id, execution_id, seq, type, data, created_at) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?)",
                               {e.tenant_id, e.workflow_id, sqlOpt(e.execution_id), *last + 1, e.type, sqlJson(e.data),
                                now});
  if (!ins.ok()) return std::move(ins).error();
  const Id id = *ins;
  return fetchExisting<Event>(conn, selectSql(kEventColumns, "FROM events WHERE id = ?"), {id}, readEvent, "event", id);
}

Result<std::vector<Event>> listEvents(Connection& conn, Id tenant_id, Id workflow_id, std::int64_t after_seq,
                                      int limit) {
  if (limit < 1 || limit > kMaxEventBatch) {
    return core::Error::invalidArgument("limit must be between 1 and " + std::to_string(kMaxEventBatch));
  }
  if (auto st = requireOwned(conn, "workflows", "workflow", tenant_id, workflow_id); !st.ok()) {
    return std::move(st).error();
  }
  return fetchAll<Event>(
      conn,
      selectSql(kEventColumns, "FROM events WHERE tenant_id = ? AND workflow_id = ? AND seq > ? ORDER BY seq LIMIT ?"),
      {tenant_id, workflow_id, after_seq, static_cast<std::int64_t>(limit)}, readEvent);
}

}  // namespace codecrew::store::sql
