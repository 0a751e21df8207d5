// SqliteStatement: the SQLite backend of sql::Statement, one prepared
// statement borrowed from a connection's cache for the length of a query. On
// destruction it is reset and handed back to the cache (or finalized, when
// it was prepared outside the cache).
// Thread-safety: none; it belongs to the thread that holds its connection.
#pragma once

#include "core/result.h"
#include "store/sql/statement.h"

#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace codecrew::store::sqlite {

// Turns a SQLite result code and message into an Error: constraint
// violations become kAlreadyExists (unique), kNotFound (foreign key) or
// kInvalidArgument (check, not null); busy/locked become kUnavailable.
core::Error sqliteError(int code, std::string_view message);

class SqliteStatement final : public sql::StatementBackend {
 public:
  // stmt: a prepared statement; in_use: the cache's busy flag to clear on
  // release, or nullptr when the statement is owned (and finalized) here.
  SqliteStatement(sqlite3* db, sqlite3_stmt* stmt, bool* in_use);
  ~SqliteStatement() override;
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  void bindInt(int index, std::int64_t v) override;
  void bindDouble(int index, double v) override;
  void bindText(int index, std::string_view v) override;
  void bindNull(int index) override;
  core::Result<bool> step() override;
  bool isNull(int col) const override;
  std::int64_t i64(int col) const override;
  double f64(int col) const override;
  std::string text(int col) const override;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  bool* in_use_;
};

}  // namespace codecrew::store::sqlite
