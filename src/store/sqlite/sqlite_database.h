// SqliteDatabase: the connections of one SQLite file and the transactions
// that run on them.
//
// Concurrency design: one writer connection behind a mutex, and a small pool
// of read-only reader connections. In WAL mode readers never wait for the
// writer and see the last committed state. Writes within this process are
// serialized by the mutex and open with BEGIN IMMEDIATE, so SQLITE_BUSY can
// only come from another process, which the busy timeout waits out.
//
// A write (or an explicit transaction) records itself in a thread-local list,
// so any read or write this thread makes on the same database while it runs
// joins it: reads see its uncommitted rows, and nested writes run inside a
// SAVEPOINT (undone alone when they fail; kept only if the outer transaction
// commits).
//
// Thread-safety: safe from any number of threads. Work passed to write() must
// not hand the database to another thread and wait for it (that thread would
// queue behind the writer lock this one holds).
#pragma once

#include "core/result.h"
#include "store/sqlite/sqlite_connection.h"

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace codecrew::store::sqlite {

struct DatabaseOptions {
  int busy_timeout_ms = 5000;
  int reader_connections = 4;  // 0: reads share the writer connection
};

class SqliteDatabase {
 public:
  using Work = std::function<core::Status(SqliteConnection&)>;

  // Opens the writer connection (creating the file) and prepares the pool.
  // ":memory:" gets no readers, so every call shares its single connection.
  static core::Result<std::unique_ptr<SqliteDatabase>> open(const std::string& path, const DatabaseOptions& options);

  // Runs work in a write transaction (BEGIN IMMEDIATE ... COMMIT), or in a
  // savepoint of the transaction this thread already has open here. Commits
  // when work returns ok; rolls back on an error or an exception.
  core::Status write(const Work& work);
  // Runs work in a read transaction on a reader connection (a consistent
  // snapshot), or inside this thread's open transaction.
  core::Status read(const Work& work);
  // Runs work on the writer connection outside any transaction (schema
  // migrations manage their own). kFailedPrecondition inside a transaction.
  core::Status exclusive(const Work& work);

  // Whether this thread has a transaction open on this database.
  bool inTransaction() const;

  // Typed helpers: fn(SqliteConnection&) returns a Result<T> (or Status).
  template <typename Fn>
  auto writeResult(Fn&& fn) -> decltype(fn(std::declval<SqliteConnection&>())) {
    return collect(fn, true);
  }
  template <typename Fn>
  auto readResult(Fn&& fn) -> decltype(fn(std::declval<SqliteConnection&>())) {
    return collect(fn, false);
  }

  ~SqliteDatabase();

 private:
  SqliteDatabase(std::string path, DatabaseOptions options, std::unique_ptr<SqliteConnection> writer);

  template <typename Fn>
  auto collect(Fn& fn, bool is_write) -> decltype(fn(std::declval<SqliteConnection&>())) {
    using R = decltype(fn(std::declval<SqliteConnection&>()));
    std::optional<R> out;
    Work work = [&](SqliteConnection& conn) -> core::Status {
      out.emplace(fn(conn));
      if (!out->ok()) return out->error();
      return {};
    };
    core::Status st = is_write ? write(work) : read(work);
    if (!st.ok()) return std::move(st).error();
    return std::move(*out);
  }

  SqliteConnection* currentConnection() const;
  core::Status runNested(SqliteConnection& conn, const Work& work);
  core::Status runTopLevel(SqliteConnection& conn, const char* begin, const Work& work);
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
