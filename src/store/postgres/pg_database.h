// PgDatabase: the sql::Database of a PostgreSQL server, over a bounded pool
// of PgConnections.
//
// The pool never holds more than max_connections connections, counted from
// the moment one starts connecting; a caller that finds them all busy waits
// up to acquire_timeout_ms. A connection found closed (the server restarted,
// or ended its backend) is dropped when it is taken from the pool and
// replaced; connecting again after a failure waits a jittered backoff that
// doubles up to a second (ReconnectBackoff), shared by every caller, so a server that is restarting sees
// at most one attempt at a time from this pool rather than a storm. While the
// server cannot be reached, a caller keeps trying until reconnect_wait_ms has
// passed, then gets kUnavailable.
//
// Writes run at READ COMMITTED; where a write reads what it then writes on
// (the next seq of a workflow's events, the next attempt number of a job) it
// first locks the parent row (lockForUpdate), so concurrent writers on any
// number of hosts see the same outcomes as SQLite's single writer. A store
// method that lost a race (a deadlock, or a unique key another inserted
// first: the next attempt finds the other's row where the store looks for it
// first; a true duplicate fails the same way again, twice at most) runs again
// (sql::Database). Reads run in a READ ONLY REPEATABLE READ snapshot.
//
// Thread-safety: safe from any number of threads.
#pragma once

#include "store/postgres/pg_backoff.h"
#include "store/postgres/pg_connection.h"
#include "store/sql/database.h"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace codecrew::store::postgres {

struct PgOptions {
  std::string url;               // postgresql://user[:password]@host[:port]/db[?options]
  std::string application_name;  // shown in pg_stat_activity, e.g. "codecrew-serve"
  int max_connections = 10;      // the ceiling of this process's pool
  int acquire_timeout_ms = 30'000;
  int reconnect_wait_ms = 30'000;  // how long a caller waits for an unreachable server
};

class PgDatabase final : public sql::Database {
 public:
  // Connects once (so a wrong URL or password is reported at start).
  static core::Result<std::unique_ptr<PgDatabase>> open(const PgOptions& options);
  ~PgDatabase() override;

  sql::Dialect dialect() const override { return sql::Dialect::kPostgres; }

 protected:
  core::Status withConnection(Access access, const Work& fn) override;
  std::string_view beginSql(Access access) const override;
  bool retryable(const core::Error& error, int attempt) const override;

 private:
  explicit PgDatabase(PgOptions options) : options_(std::move(options)) {}

  core::Result<std::unique_ptr<PgConnection>> acquire();
  void release(std::unique_ptr<PgConnection> conn);
  core::Result<std::unique_ptr<PgConnection>> connect();

  PgOptions options_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConnection>> idle_;       // guarded by mu_
  int open_ = 0;                                          // guarded by mu_ (idle, in use, connecting)
  int peak_ = 0;                                          // guarded by mu_
  bool connecting_ = false;                               // one connect at a time; guarded by mu_
  std::chrono::steady_clock::time_point next_connect_{};  // guarded by mu_
  ReconnectBackoff backoff_{std::chrono::milliseconds(50), std::chrono::milliseconds(1000)};  // guarded by mu_
};

}  // namespace codecrew::store::postgres
