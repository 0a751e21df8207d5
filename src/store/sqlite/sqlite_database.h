// SqliteDatabase: the sql::Database of one SQLite file.
//
// Concurrency design: one writer connection behind a mutex, and a small pool
// of read-only reader connections. In WAL mode readers never wait for the
// writer and see the last committed state. Writes within this process are
// serialized by the mutex and open with BEGIN IMMEDIATE, so SQLITE_BUSY can
// only come from another process, which the busy timeout waits out.
// Transactions nest as sql::Database says.
//
// Thread-safety: safe from any number of threads.
#pragma once

#include "core/result.h"
#include "store/sql/database.h"
#include "store/sqlite/sqlite_connection.h"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace codecrew::store::sqlite {

struct DatabaseOptions {
  int busy_timeout_ms = 5000;
  int reader_connections = 4;  // 0: reads share the writer connection
};

class SqliteDatabase final : public sql::Database {
 public:
  // Opens the writer connection (creating the file) and prepares the pool.
  // ":memory:" gets no readers, so every call shares its single connection.
  static core::Result<std::unique_ptr<SqliteDatabase>> open(const std::string& path, const DatabaseOptions& options);
  ~SqliteDatabase() override;

  sql::Dialect dialect() const override { return sql::Dialect::kSqlite; }

 protected:
  core::Status withConnection(Access access, const Work& fn) override;
  std::string_view beginSql(Access access) const override;
  bool retryable(const core::Error&, int) const override { return false; }

 private:
  SqliteDatabase(std::string path, DatabaseOptions options, std::unique_ptr<SqliteConnection> writer);

  core::Result<std::unique_ptr<SqliteConnection>> acquireReader();
  void releaseReader(std::unique_ptr<SqliteConnection> conn);

  std::string path_;
  DatabaseOptions options_;
  std::mutex writer_mu_;
  std::unique_ptr<SqliteConnection> writer_;  // guarded by writer_mu_

  std::mutex readers_mu_;
  std::condition_variable readers_cv_;
  std::vector<std::unique_ptr<SqliteConnection>> idle_readers_;  // guarded by readers_mu_
  int open_readers_ = 0;                                         // guarded by readers_mu_
};

}  // namespace codecrew::store::sqlite
