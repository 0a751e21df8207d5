#include "store/sqlite/sqlite_statement.h"

#include <sqlite3.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

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

Statement::Statement(sqlite3* db, sqlite3_stmt* stmt, bool* in_use) : db_(db), stmt_(stmt), in_use_(in_use) {}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)), in_use_(std::exchange(other.in_use_, nullptr)) {}

Statement::~Statement() {
  if (!stmt_) return;
  if (in_use_) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    *in_use_ = false;
  } else {
    sqlite3_finalize(stmt_);
  }
}

void Statement::bindAt(int index, std::int64_t v) { sqlite3_bind_int64(stmt_, index, v); }
void Statement::bindAt(int index, double v) { sqlite3_bind_double(stmt_, index, v); }
void Statement::bindAt(int index, std::string_view v) {
  sqlite3_bind_text64(stmt_, index, v.data(), v.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
}
void Statement::bindAt(int index, std::nullptr_t) { sqlite3_bind_null(stmt_, index); }
void Statement::bindAt(int index, const boost::json::value& v) {
  if (v.is_null()) bindAt(index, nullptr);
  else bindAt(index, std::string_view(boost::json::serialize(v)));
}

void Statement::bindAt(int index, const SqlValue& v) {
  std::visit([&](const auto& x) { bindAt(index, x); }, v);
}

void Statement::bindParams(const SqlParams& params, int first) {
  for (const SqlValue& v : params) bindAt(first++, v);
}

core::Result<bool> Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  int ext = sqlite3_extended_errcode(db_);
  return sqliteError(ext, sqlite3_errmsg(db_));
}

core::Status Statement::run() {
  while (true) {
    auto r = step();
    if (!r.ok()) return std::move(r).error();
    if (!*r) return {};
  }
}

bool Statement::isNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
std::int64_t Statement::i64(int col) const { return sqlite3_column_int64(stmt_, col); }
double Statement::f64(int col) const { return sqlite3_column_double(stmt_, col); }

std::string Statement::text(int col) const {
  const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
  if (!p) return {};
  return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)));
}

std::optional<std::int64_t> Statement::optI64(int col) const {
  if (isNull(col)) return std::nullopt;
  return i64(col);
}

std::optional<std::string> Statement::optText(int col) const {
  if (isNull(col)) return std::nullopt;
  return text(col);
}

boost::json::value Statement::json(int col) const {
  if (isNull(col)) return nullptr;
  boost::system::error_code ec;
  auto v = boost::json::parse(text(col), ec);
  if (ec) return nullptr;
  return v;
}

}  // namespace codecrew::store::sqlite
