#include "store/postgres/pg_database.h"

#include "store/postgres/pg_error.h"

#include <algorithm>

namespace codecrew::store::postgres {
namespace {

using Clock = std::chrono::steady_clock;

}  // namespace

core::Result<std::unique_ptr<PgDatabase>> PgDatabase::open(const PgOptions& options) {
  if (options.max_connections < 1)
    return core::Error::invalidArgument("the PostgreSQL pool needs 1 connection or more");
  std::unique_ptr<PgDatabase> db(new PgDatabase(options));
  auto first = db->connect();
  if (!first.ok()) return std::move(first).error();
  {
    std::lock_guard lock(db->mu_);
    db->open_ = 1;
  }
  db->release(std::move(first).value());
  return db;
}

PgDatabase::~PgDatabase() {
  std::lock_guard lock(mu_);
  idle_.clear();
}

std::string_view PgDatabase::beginSql(Access access) const {
  switch (access) {
    case Access::kWrite: return "BEGIN ISOLATION LEVEL READ COMMITTED";
    case Access::kWriteReadCommitted: return "BEGIN ISOLATION LEVEL READ COMMITTED";
    default: return "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
  }
}

bool PgDatabase::retryable(const core::Error& error, int attempt) const {
  return isSerializationFailure(error) || (error.code == core::ErrorCode::kAlreadyExists && attempt < 3);
}

core::Result<std::unique_ptr<PgConnection>> PgDatabase::connect() {
  return PgConnection::open(options_.url, options_.application_name);
}

core::Result<std::unique_ptr<PgConnection>> PgDatabase::acquire() {
  const auto give_up = Clock::now() + std::chrono::milliseconds(options_.reconnect_wait_ms);
  const auto busy_deadline = Clock::now() + std::chrono::milliseconds(options_.acquire_timeout_ms);
  std::unique_lock lock(mu_);
  while (true) {
    // An idle connection, unless the server closed it meanwhile.
    while (!idle_.empty()) {
      auto conn = std::move(idle_.back());
      idle_.pop_back();
      if (conn->healthy()) return conn;
      --open_;  // dropped: the server ended it
    }
    const bool room = open_ < options_.max_connections;
    if (room && !connecting_ && Clock::now() >= next_connect_) {
      connecting_ = true;
      ++open_;
      lock.unlock();
      auto conn = connect();
      lock.lock();
      connecting_ = false;
      if (conn.ok()) {
        backoff_.reset();
        cv_.notify_all();
        return conn;
      }
      --open_;
      next_connect_ = Clock::now() + backoff_.next();
      cv_.notify_all();
      if (Clock::now() >= give_up) return std::move(conn).error();
      continue;
    }
    const auto now = Clock::now();
    if (!room && now >= busy_deadline) {
      return core::Error::unavailable("all " + std::to_string(options_.max_connections) +
                                      " PostgreSQL connections of this process are busy");
    }
    if (room && now >= give_up) return core::Error::unavailable("PostgreSQL cannot be reached (still reconnecting)");
    // Full: wait for a release. Another caller connecting: wait for it.
    // Backing off: wait out the backoff.
    const auto deadline = !room ? busy_deadline : connecting_ ? give_up : std::min(give_up, next_connect_);
    cv_.wait_until(lock, deadline);
  }
}

void PgDatabase::release(std::unique_ptr<PgConnection> conn) {
  {
    std::lock_guard lock(mu_);
    if (conn->healthy()) idle_.push_back(std::move(conn));
    else --open_;
  }
  cv_.notify_one();
}

core::Status PgDatabase::withConnection(Access, const Work& fn) {
  auto acquired = acquire();
  if (!acquired.ok()) return std::move(acquired).error();
  std::unique_ptr<PgConnection> conn = std::move(acquired).value();
  struct Release {
    PgDatabase* db;
    std::unique_ptr<PgConnection>& conn;
    ~Release() { db->release(std::move(conn)); }
  } release{this, conn};
  return fn(*conn);
}

}  // namespace codecrew::store::postgres
