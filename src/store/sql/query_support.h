// Helpers shared by the SQL query functions: page validation, ownership
// checks that turn another tenant's object into kNotFound, and generic
// fetch-one / fetch-all / fetch-page over a row reader.
// Thread-safety: stateless; each call uses the connection it is given.
#pragma once

#include "core/result.h"
#include "store/sql/connection.h"
#include "store/store.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace codecrew::store::sql {

inline constexpr int kMaxPageSize = 200;

// kInvalidArgument unless page >= 1 and page_size is within 1..200.
core::Status validatePage(const PageRequest& page);

// kNotFound ("<what> <id> not found") unless `table` has a row with that id
// in the tenant. table is one of the schema's table names (never user input).
core::Status requireOwned(Connection& conn, std::string_view table, std::string_view what, Id tenant_id, Id id);
// The same for an optional reference: ok when absent.
core::Status requireOwnedIfSet(Connection& conn, std::string_view table, std::string_view what, Id tenant_id,
                               const std::optional<Id>& id);

// kNotFound unless the workflow is the tenant's and the execution, when
// given, is one of that workflow's.
core::Status requireWorkflowScope(Connection& conn, Id tenant_id, Id workflow_id,
                                  const std::optional<Id>& execution_id);

core::Error notFound(std::string_view what, Id id);

// "SELECT <columns> <rest>".
std::string selectSql(std::string_view columns, std::string_view rest);

// Query parameters for optional and JSON values (absent and JSON null are NULL).
SqlValue sqlOpt(const std::optional<std::int64_t>& v);
SqlValue sqlOpt(const std::optional<std::string>& v);
SqlValue sqlJson(const boost::json::value& v);

// Rows of sql (bound with params), each turned into a T by read.
template <typename T, typename Read>
core::Result<std::vector<T>> fetchAll(Connection& conn, std::string_view sql, const SqlParams& params, Read read) {
  auto st = conn.prepare(sql);
  if (!st.ok()) return std::move(st).error();
  st->bindParams(params);
  std::vector<T> out;
  while (true) {
    auto row = st->step();
    if (!row.ok()) return std::move(row).error();
    if (!*row) return out;
    out.push_back(read(*st));
  }
}

// The first row of sql, if any.
template <typename T, typename Read>
core::Result<std::optional<T>> fetchOne(Connection& conn, std::string_view sql, const SqlParams& params, Read read) {
  auto st = conn.prepare(sql);
  if (!st.ok()) return std::move(st).error();
  st->bindParams(params);
  auto row = st->step();
  if (!row.ok()) return std::move(row).error();
  if (!*row) return std::optional<T>();
  return std::optional<T>(read(*st));
}

// The first row of sql, or kNotFound naming what and id.
template <typename T, typename Read>
core::Result<T> fetchExisting(Connection& conn, std::string_view sql, const SqlParams& params, Read read,
                              std::string_view what, Id id) {
  auto one = fetchOne<T>(conn, sql, params, read);
  if (!one.ok()) return std::move(one).error();
  if (!*one) return notFound(what, id);
  return std::move(**one);
}

// A single integer computed by sql (count, max, ...); 0 for NULL.
core::Result<std::int64_t> fetchInt(Connection& conn, std::string_view sql, const SqlParams& params);

// One page of "SELECT columns FROM_WHERE ORDER BY order_by" plus the count
// of all matching rows. from_where starts with "FROM".
template <typename T, typename Read>
core::Result<Page<T>> fetchPage(Connection& conn, std::string_view columns, std::string_view from_where,
                                const SqlParams& params, std::string_view order_by, const PageRequest& page,
                                Read read) {
  if (auto st = validatePage(page); !st.ok()) return std::move(st).error();
  auto total = fetchInt(conn, "SELECT count(*) " + std::string(from_where), params);
  if (!total.ok()) return std::move(total).error();
  std::string sql = "SELECT " + std::string(columns) + " " + std::string(from_where) + " ORDER BY " +
                    std::string(order_by) + " LIMIT ? OFFSET ?";
  SqlParams all = params;
  all.emplace_back(static_cast<std::int64_t>(page.page_size));
  all.emplace_back(static_cast<std::int64_t>(page.page - 1) * page.page_size);
  auto items = fetchAll<T>(conn, sql, all, read);
  if (!items.ok()) return std::move(items).error();
  return Page<T>{std::move(items).value(), *total};
}

// Locks the row of `table` with that id until the transaction ends, where
// the database has row locks (PostgreSQL: SELECT ... FOR UPDATE; SQLite's
// single writer needs none). Taken before reading what the write then builds
// on (the next seq of a workflow's events), so writers on other connections
// queue instead of computing the same value. table is one of the schema's
// table names (never user input).
core::Status lockForUpdate(Connection& conn, std::string_view table, Id id);

// Runs an INSERT of one row into a table with an id column and returns the
// id the database gave it (INSERT ... RETURNING id, on both databases).
core::Result<Id> insertReturningId(Connection& conn, std::string_view sql, const SqlParams& params);

// Runs an INSERT/UPDATE/DELETE and returns the number of rows changed.
core::Result<int> execute(Connection& conn, std::string_view sql, const SqlParams& params);

}  // namespace codecrew::store::sql
