#include "store/sqlite/sqlite_statement.h"

#include <sqlite3.h>

#include <string>
#include <utility>

namespace codecrew::store::sqlite {

core::Error sqliteError(int code, std::string_view message) {
  std::string msg = "database: " + std::string(message);
  switch (code) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY: return core::Error::alreadyExists(std::move(msg));
    case SQLITE_CONSTRAINT_FOREIGNKEY: return core::Error::notFound(std::move(msg));
    case SQLITE_CONSTRAINT_CHECK:
    case SQLITE_CONSTRAINT_NOTNULL: return core::Error::invalidArgument(std::move(msg));
    default: break;
  }
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return core::Error::unavailable(std::move(msg));
    case SQLITE_CONSTRAINT: return core::Error::invalidArgument(std::move(msg));
    default: return core::Error::internal(std::move(msg));
  }
}

SqliteStatement::SqliteStatement(sqlite3* db, sqlite3_stmt* stmt, bool* in_use)
    : db_(db), stmt_(stmt), in_use_(in_use) {}

SqliteStatement::~SqliteStatement() {
  if (in_use_) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    *in_use_ = false;
  } else {
    sqlite3_finalize(stmt_);
  }
}

void SqliteStatement::bindInt(int index, std::int64_t v) { sqlite3_bind_int64(stmt_, index, v); }
void SqliteStatement::bindDouble(int index, double v) { sqlite3_bind_double(stmt_, index, v); }
void SqliteStatement::bindText(int index, std::string_view v) {
  sqlite3_bind_text64(stmt_, index, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}
void SqliteStatement::bindNull(int index) { sqlite3_bind_null(stmt_, index); }

core::Result<bool> SqliteStatement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  int ext = sqlite3_extended_errcode(db_);
  return sqliteError(ext, sqlite3_errmsg(db_));
}

bool SqliteStatement::isNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
std::int64_t SqliteStatement::i64(int col) const { return sqlite3_column_int64(stmt_, col); }
double SqliteStatement::f64(int col) const { return sqlite3_column_double(stmt_, col); }

std::string SqliteStatement::text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  if (!p) return {};
  return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
}

}  // namespace codecrew::store::sqlite
