#include "store/sql/query_support.h"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <string>

namespace codecrew::store::sql {

core::Status validatePage(const PageRequest& page) {
  if (page.page < 1) {
    return core::Error::invalidArgument("page must be 1 or more", boost::json::object{{"page", page.page}});
  }
  if (page.page_size < 1 || page.page_size > kMaxPageSize) {
    return core::Error::invalidArgument("page_size must be between 1 and " + std::to_string(kMaxPageSize),
                                        boost::json::object{{"page_size", page.page_size}});
  }
  return {};
}

core::Error notFound(std::string_view what, Id id) {
  return core::Error::notFound(std::string(what) + " " + std::to_string(id) + " not found");
}

SqlValue sqlOpt(const std::optional<std::int64_t>& v) {
  if (v) return *v;
  return nullptr;
}

SqlValue sqlOpt(const std::optional<std::string>& v) {
  if (v) return *v;
  return nullptr;
}

SqlValue sqlJson(const boost::json::value& v) {
  if (v.is_null()) return nullptr;
  return boost::json::serialize(v);
}

core::Status requireOwned(Connection& conn, std::string_view table, std::string_view what, Id tenant_id, Id id) {
  std::string sql = "SELECT 1 FROM " + std::string(table) + " WHERE tenant_id = ? AND id = ?";
  auto st = conn.prepare(sql);
  if (!st.ok()) return std::move(st).error();
  st->bind(tenant_id, id);
  auto row = st->step();
  if (!row.ok()) return std::move(row).error();
  if (!*row) return notFound(what, id);
  return {};
}

core::Status requireOwnedIfSet(Connection& conn, std::string_view table, std::string_view what, Id tenant_id,
                               const std::optional<Id>& id) {
  if (!id) return {};
  return requireOwned(conn, table, what, tenant_id, *id);
}

core::Status requireWorkflowScope(Connection& conn, Id tenant_id, Id workflow_id,
                                  const std::optional<Id>& execution_id) {
  if (auto st = requireOwned(conn, "workflows", "workflow", tenant_id, workflow_id); !st.ok()) return st;
  if (!execution_id) return {};
  auto found = fetchInt(conn, "SELECT count(*) FROM executions WHERE tenant_id = ? AND workflow_id = ? AND id = ?",
                        {tenant_id, workflow_id, *execution_id});
  if (!found.ok()) return std::move(found).error();
  if (*found == 0) return notFound("execution", *execution_id);
  return {};
}

core::Result<std::int64_t> fetchInt(Connection& conn, std::string_view sql, const SqlParams& params) {
  auto st = conn.prepare(sql);
  if (!st.ok()) return std::move(st).error();
  st->bindParams(params);
  auto row = st->step();
  if (!row.ok()) return std::move(row).error();
  if (!*row) return std::int64_t{0};
  return st->i64(0);
}

core::Result<int> execute(Connection& conn, std::string_view sql, const SqlParams& params) {
  auto st = conn.prepare(sql);
  if (!st.ok()) return std::move(st).error();
  st->bindParams(params);
  if (auto r = st->run(); !r.ok()) return std::move(r).error();
  return conn.changes();
}

core::Status lockForUpdate(Connection& conn, std::string_view table, Id id) {
  if (conn.dialect() != Dialect::kPostgres) return {};
  auto row = fetchInt(conn, "SELECT id FROM " + std::string(table) + " WHERE id = ? FOR UPDATE", {id});
  if (!row.ok()) return std::move(row).error();
  return {};
}

core::Result<Id> insertReturningId(Connection& conn, std::string_view sql, const SqlParams& params) {
  auto st = conn.prepare(std::string(sql) + " RETURNING id");
  if (!st.ok()) return std::move(st).error();
  st->bindParams(params);
  auto row = st->step();
  if (!row.ok()) return std::move(row).error();
  if (!*row) return core::Error::internal("database: an INSERT returned no id");
  const Id id = st->i64(0);
  if (auto rest = st->run(); !rest.ok()) return std::move(rest).error();
  return id;
}

std::string selectSql(std::string_view columns, std::string_view rest) {
  return "SELECT " + std::string(columns) + " " + std::string(rest);
}

}  // namespace codecrew::store::sql
