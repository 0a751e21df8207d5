// SqliteConnection: the SQLite sql::Connection, configured the way codecrew
// needs it (WAL journal, busy timeout, foreign keys, extended result codes)
// with a cache of prepared statements keyed by their SQL text.
// Thread-safety: none; one thread uses a connection at a time (SqliteDatabase
// hands connections out under its locks).
#pragma once

#include "core/result.h"
#include "store/sql/connection.h"
#include "store/sqlite/sqlite_statement.h"

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace codecrew::store::sqlite {

struct ConnectionOptions {
  int busy_timeout_ms = 5000;  // how long to wait for another process's lock
  bool read_only = false;
  int cache_kib = 16 * 1024;              // SQLite page cache of this connection
  std::int64_t mmap_bytes = 256ll << 20;  // memory-mapped reads (0: plain read calls)
};

class SqliteConnection final : public sql::Connection {
 public:
  // Opens (creating when writable) the database file at path, or an
  // in-memory database for ":memory:". Errors name the path.
  static core::Result<std::unique_ptr<SqliteConnection>> open(const std::string& path,
                                                              const ConnectionOptions& options);
  ~SqliteConnection() override;
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  core::Status exec(std::string_view sql) override;
  // From the cache when it is free; a nested use of the same SQL gets a
  // fresh statement of its own.
  core::Result<sql::Statement> prepare(std::string_view sql) override;
  int changes() const override;
  sql::Dialect dialect() const override { return sql::Dialect::kSqlite; }
  std::size_t cachedStatements() const { return cache_.size(); }

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  core::Status configure(const ConnectionOptions& options);

  struct Cached {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  sqlite3* db_;
  // Node-based, so the in_use flags keep their addresses as the map grows.
  std::unordered_map<std::string, Cached> cache_;
};

}  // namespace codecrew::store::sqlite
