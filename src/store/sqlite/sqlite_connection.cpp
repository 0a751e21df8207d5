#include "store/sqlite/sqlite_connection.h"

#include <sqlite3.h>

#include <string>

namespace codecrew::store::sqlite {

core::Result<std::unique_ptr<SqliteConnection>> SqliteConnection::open(const std::string& path,
                                                                       const ConnectionOptions& options) {
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
  flags |= options.read_only ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    return core::Error::unavailable("cannot open database '" + path + "': " + msg);
  }
  std::unique_ptr<SqliteConnection> conn(new SqliteConnection(db));
  if (auto st = conn->configure(options); !st.ok()) {
    auto err = std::move(st).error();
    err.message = "cannot configure database '" + path + "': " + err.message;
    return err;
  }
  return conn;
}

core::Status SqliteConnection::configure(const ConnectionOptions& options) {
  sqlite3_extended_result_codes(db_, 1);
  sqlite3_busy_timeout(db_, options.busy_timeout_ms);
  if (!options.read_only) {
    if (auto st = exec("PRAGMA journal_mode=WAL"); !st.ok()) return st;
    if (auto st = exec("PRAGMA synchronous=NORMAL"); !st.ok()) return st;
  }
  const std::string tuning = "PRAGMA cache_size=-" + std::to_string(options.cache_kib) +
                             "; PRAGMA mmap_size=" + std::to_string(options.mmap_bytes) + "; PRAGMA temp_store=MEMORY";
  if (auto st = exec(tuning); !st.ok()) return st;
  return exec("PRAGMA foreign_keys=ON");
}

SqliteConnection::~SqliteConnection() {
  for (auto& [sql, cached] : cache_) sqlite3_finalize(cached.stmt);
  sqlite3_close_v2(db_);
}

core::Status SqliteConnection::exec(std::string_view sql) {
  std::string text(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err);
  if (rc == SQLITE_OK) return {};
  std::string msg = err ? err : sqlite3_errstr(rc);
  sqlite3_free(err);
  return sqliteError(sqlite3_extended_errcode(db_), msg);
}

core::Result<sql::Statement> SqliteConnection::prepare(std::string_view sql) {
  std::string key(sql);
  auto it = cache_.find(key);
  if (it != cache_.end() && !it->second.in_use) {
    it->second.in_use = true;
    return sql::Statement(std::make_unique<SqliteStatement>(db_, it->second.stmt, &it->second.in_use));
  }
  sqlite3_stmt* stmt = nullptr;
  const bool cache = it == cache_.end();
  unsigned flags = cache ? SQLITE_PREPARE_PERSISTENT : 0;
  int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()), flags, &stmt, nullptr);
  if (rc != SQLITE_OK) return sqliteError(sqlite3_extended_errcode(db_), sqlite3_errmsg(db_));
  if (!cache) return sql::Statement(std::make_unique<SqliteStatement>(db_, stmt, nullptr));
  auto [pos, inserted] = cache_.emplace(std::move(key), Cached{stmt, true});
  return sql::Statement(std::make_unique<SqliteStatement>(db_, stmt, &pos->second.in_use));
}

int SqliteConnection::changes() const { return sqlite3_changes(db_); }

}  // namespace codecrew::store::sqlite
