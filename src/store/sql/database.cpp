#include "store/sql/database.h"

#include <algorithm>
#include <chrono>
#include <random>
#include <thread>
#include <vector>

namespace codecrew::store::sql {
namespace {

struct Frame {
  const Database* db;
  Connection* conn;
};

// The transactions this thread has open, innermost last.
thread_local std::vector<Frame> tl_frames;

class FrameGuard {
 public:
  FrameGuard(const Database* db, Connection* conn) { tl_frames.push_back({db, conn}); }
  ~FrameGuard() { tl_frames.pop_back(); }
  FrameGuard(const FrameGuard&) = delete;
  FrameGuard& operator=(const FrameGuard&) = delete;
};

}  // namespace

Connection* Database::currentConnection() const {
  for (auto it = tl_frames.rbegin(); it != tl_frames.rend(); ++it) {
    if (it->db == this) return it->conn;
  }
  return nullptr;
}

bool Database::inTransaction() const { return currentConnection() != nullptr; }

core::Status Database::runNested(Connection& conn, const Work& work) {
  if (auto st = conn.exec("SAVEPOINT codecrew_nested"); !st.ok()) return st;
  core::Status result;
  try {
    result = work(conn);
  } catch (...) {
    (void)conn.exec("ROLLBACK TO SAVEPOINT codecrew_nested; RELEASE SAVEPOINT codecrew_nested");
    throw;
  }
  if (!result.ok()) {
    (void)conn.exec("ROLLBACK TO SAVEPOINT codecrew_nested; RELEASE SAVEPOINT codecrew_nested");
    return result;
  }
  return conn.exec("RELEASE SAVEPOINT codecrew_nested");
}

core::Status Database::runTopLevel(Connection& conn, Access access, const Work& work) {
  if (auto st = conn.exec(beginSql(access)); !st.ok()) return st;
  core::Status result;
  {
    FrameGuard frame(this, &conn);
    try {
      result = work(conn);
    } catch (...) {
      (void)conn.exec("ROLLBACK");
      throw;
    }
  }
  if (!result.ok()) {
    (void)conn.exec("ROLLBACK");
    return result;
  }
  if (auto st = conn.exec("COMMIT"); !st.ok()) {
    (void)conn.exec("ROLLBACK");
    return st;
  }
  return {};
}

void Database::observe(bool write, std::chrono::steady_clock::time_point started) const {
  if (observer_) observer_(write, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
}

core::Status Database::write(const Work& work, Retry retry) {
  if (Connection* conn = currentConnection()) return runNested(*conn, work);
  core::Status st;
  const auto started = std::chrono::steady_clock::now();
  for (int attempt = 1;; ++attempt) {
    st = withConnection(Access::kWrite, [&](Connection& c) { return runTopLevel(c, Access::kWrite, work); });
    if (st.ok() || retry == Retry::kNever || attempt >= kMaxWriteAttempts || !retryable(st.error(), attempt)) {
      observe(true, started);
      return st;
    }
    // Another transaction won the race: a random pause, growing with the
    // attempts, so the losers do not collide again in step.
    thread_local std::minstd_rand random(std::random_device{}());
    const int ceiling_us = std::min(20'000, 500 * attempt);
    std::this_thread::sleep_for(std::chrono::microseconds(100 + random() % ceiling_us));
  }
}

core::Status Database::writeReadCommitted(const Work& work) {
  if (Connection* conn = currentConnection()) return runNested(*conn, work);
  const auto started = std::chrono::steady_clock::now();
  auto st = withConnection(Access::kWrite,
                           [&](Connection& c) { return runTopLevel(c, Access::kWriteReadCommitted, work); });
  observe(true, started);
  return st;
}

core::Status Database::read(const Work& work) {
  if (Connection* conn = currentConnection()) return work(*conn);
  const auto started = std::chrono::steady_clock::now();
  auto st = withConnection(Access::kRead, [&](Connection& c) { return runTopLevel(c, Access::kRead, work); });
  observe(false, started);
  return st;
}

core::Status Database::exclusive(const Work& work) {
  if (inTransaction()) {
    return core::Error{core::ErrorCode::kFailedPrecondition, "this operation cannot run inside a transaction", nullptr};
  }
  return withConnection(Access::kExclusive, work);
}

}  // namespace codecrew::store::sql
