// Database: the connections of the store's database and the transactions
// that run on them, whichever database it is. SqliteDatabase and
// PgDatabase say how they hand out connections; the transaction rules are
// the same for both and live here.
//
// A write (or a read) records itself in a thread-local list, so any read or
// write this thread makes on the same database while it runs joins it: reads
// see its uncommitted rows, and nested writes run inside a SAVEPOINT (undone
// alone when they fail; kept only if the outer transaction commits).
// A top-level write that fails because the database could not serialize it
// with another (PostgreSQL's serialization failures and deadlocks, and a
// unique violation raced by another writer, which a new attempt resolves by
// finding the row the other wrote) runs
// again after a short random pause, up to kMaxWriteAttempts times: work must be a pure function of the
// database (the store's query functions are).
//
// Thread-safety: safe from any number of threads. Work passed to write() must
// not hand the database to another thread and wait for it (that thread would
// queue behind the connection this one holds).
#pragma once

#include "core/result.h"
#include "store/sql/connection.h"
#include "store/store_types.h"

#include <chrono>
#include <functional>
#include <optional>
#include <string_view>

namespace codecrew::store::sql {

class Database {
 public:
  using Work = std::function<core::Status(Connection&)>;
  static constexpr int kMaxWriteAttempts = 40;

  virtual ~Database() = default;

  enum class Retry { kIfRaced, kNever };

  // Runs work in a write transaction, or in a savepoint of the transaction
  // this thread already has open here. Commits when work returns ok; rolls
  // back on an error or an exception.
  core::Status write(const Work& work, Retry retry = Retry::kIfRaced);
  // write() at READ COMMITTED where the database has levels (PostgreSQL), for
  // queue claims whose FOR UPDATE SKIP LOCKED must see rows committed after
  // the transaction began; not retried.
  core::Status writeReadCommitted(const Work& work);
  // Runs work in a read transaction (a consistent snapshot), or inside this
  // thread's open transaction.
  core::Status read(const Work& work);
  // Runs work on a connection outside any transaction (schema migrations
  // manage their own). kFailedPrecondition inside a transaction.
  core::Status exclusive(const Work& work);

  // Whether this thread has a transaction open on this database.
  bool inTransaction() const;
  // Told the length of every top-level transaction (waiting for a
  // connection included; a retried write once, all its attempts together),
  // for metrics. Set before the database is shared between threads.
  void observeTransactions(TransactionObserver observer) { observer_ = std::move(observer); }
  virtual Dialect dialect() const = 0;

  // Typed helpers: fn(Connection&) returns a Result<T> (or Status).
  template <typename Fn>
  auto writeResult(Fn&& fn) -> decltype(fn(std::declval<Connection&>())) {
    return collect(fn, Access::kWrite);
  }
  template <typename Fn>
  auto writeReadCommittedResult(Fn&& fn) -> decltype(fn(std::declval<Connection&>())) {
    return collect(fn, Access::kWriteReadCommitted);
  }
  template <typename Fn>
  auto readResult(Fn&& fn) -> decltype(fn(std::declval<Connection&>())) {
    return collect(fn, Access::kRead);
  }

 protected:
  enum class Access { kWrite, kWriteReadCommitted, kRead, kExclusive };
  // Runs fn with a connection suited to access, held (locked or taken from a
  // pool) for the length of fn.
  virtual core::Status withConnection(Access access, const Work& fn) = 0;
  // The statement that opens a top-level transaction for access.
  virtual std::string_view beginSql(Access access) const = 0;
  // Whether a top-level write that failed with error on its attempt-th try
  // (1-based) may simply run again.
  virtual bool retryable(const core::Error& error, int attempt) const = 0;

 private:
  template <typename Fn>
  auto collect(Fn& fn, Access access) -> decltype(fn(std::declval<Connection&>())) {
    using R = decltype(fn(std::declval<Connection&>()));
    std::optional<R> out;
    Work work = [&](Connection& conn) -> core::Status {
      out.emplace(fn(conn));
      if (!out->ok()) return out->error();
      return {};
    };
    core::Status st = access == Access::kWrite                ? write(work)
                      : access == Access::kWriteReadCommitted ? writeReadCommitted(work)
                                                              : read(work);
    if (!st.ok()) return std::move(st).error();
    return std::move(*out);
  }

  Connection* currentConnection() const;
  void observe(bool write, std::chrono::steady_clock::time_point started) const;
  TransactionObserver observer_;
  core::Status runNested(Connection& conn, const Work& work);
  core::Status runTopLevel(Connection& conn, Access access, const Work& work);
};

}  // namespace codecrew::store::sql
