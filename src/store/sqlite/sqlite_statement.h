// Statement: one prepared SQLite statement borrowed from a connection's cache
// for the length of a query. Binding is positional (1-based) with typed
// overloads; JSON values are stored as their serialized text, JSON null as
// SQL NULL. On destruction the statement is reset and handed back to the
// cache (or finalized, when it was prepared outside the cache).
// Thread-safety: none; a Statement belongs to the thread that holds its
// connection.
#pragma once

#include "core/result.h"

#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

namespace codecrew::store::sqlite {

// Turns a SQLite result code and message into an Error: constraint
// violations become kAlreadyExists (unique), kNotFound (foreign key) or
// kInvalidArgument (check, not null); busy/locked become kUnavailable.
core::Error sqliteError(int code, std::string_view message);

// A parameter of a query assembled at run time.
using SqlValue = std::variant<std::nullptr_t, std::int64_t, double, std::string>;
using SqlParams = std::vector<SqlValue>;

class Statement {
 public:
  // stmt: a prepared statement; in_use: the cache's busy flag to clear on
  // release, or nullptr when the statement is owned (and finalized) here.
  Statement(sqlite3* db, sqlite3_stmt* stmt, bool* in_use);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;

  // Binds args to parameters 1..n in order.
  template <typename... Args>
  Statement& bind(const Args&... args) {
    int index = 1;
    (bindAt(index++, args), ...);
    return *this;
  }

  void bindAt(int index, std::int64_t v);
  void bindAt(int index, int v) { bindAt(index, static_cast<std::int64_t>(v)); }
  void bindAt(int index, double v);
  void bindAt(int index, bool v) { bindAt(index, static_cast<std::int64_t>(v ? 1 : 0)); }
  void bindAt(int index, std::string_view v);
  void bindAt(int index, const std::string& v) { bindAt(index, std::string_view(v)); }
  void bindAt(int index, const char* v) { bindAt(index, std::string_view(v)); }
  void bindAt(int index, std::nullptr_t);
  void bindAt(int index, const boost::json::value& v);
  void bindAt(int index, const SqlValue& v);
  // Binds params to parameters first, first+1, ...
  void bindParams(const SqlParams& params, int first = 1);
  template <typename T>
  void bindAt(int index, const std::optional<T>& v) {
    if (v) bindAt(index, *v);
    else bindAt(index, nullptr);
  }

  // Advances: true when a row is available, false when done.
  core::Result<bool> step();
  // Steps to completion, ignoring rows (INSERT, UPDATE, DELETE).
  core::Status run();

  bool isNull(int col) const;
  std::int64_t i64(int col) const;
  int i32(int col) const { return static_cast<int>(i64(col)); }
  double f64(int col) const;
  std::string text(int col) const;
  std::optional<std::int64_t> optI64(int col) const;
  std::optional<std::string> optText(int col) const;
  // Parses a JSON column; NULL (or text that does not parse) reads as null.
  boost::json::value json(int col) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  bool* in_use_;
};

}  // namespace codecrew::store::sqlite
