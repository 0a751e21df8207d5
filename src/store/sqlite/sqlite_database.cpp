#include "store/sqlite/sqlite_database.h"

#include <algorithm>
#include <utility>

namespace codecrew::store::sqlite {
namespace {

struct Frame {
  const SqliteDatabase* db;
  SqliteConnection* conn;
};

// The transactions this thread has open, innermost last.
thread_local std::vector<Frame> tl_frames;

class FrameGuard {
 public:
  FrameGuard(const SqliteDatabase* db, SqliteConnection* conn) { tl_frames.push_back({db, conn}); }
  ~FrameGuard() { tl_frames.pop_back(); }
  FrameGuard(const FrameGuard&) = delete;
  FrameGuard& operator=(const FrameGuard&) = delete;
};

}  // namespace

core::Result<std::unique_ptr<SqliteDatabase>> SqliteDatabase::open(const std::string& path,
                                                                   const DatabaseOptions& options) {
  ConnectionOptions copts;
  copts.busy_timeout_ms = options.busy_timeout_ms;
  auto writer = SqliteConnection::open(path, copts);
  if (!writer.ok()) return std::move(writer).error();
  DatabaseOptions effective = options;
  if (path == ":memory:" || path.empty()) effective.reader_connections = 0;
  return std::unique_ptr<SqliteDatabase>(new SqliteDatabase(path, effective, std::move(writer).value()));
}

SqliteDatabase::SqliteDatabase(std::string path, DatabaseOptions options, std::unique_ptr<SqliteConnection> writer)
    : path_(std::move(path)), options_(options), writer_(std::move(writer)) {}

SqliteDatabase::~SqliteDatabase() {
  idle_readers_.clear();
  writer_.reset();
}

SqliteConnection* SqliteDatabase::currentConnection() const {
  for (auto it = tl_frames.rbegin(); it != tl_frames.rend(); ++it) {
    if (it->db == this) return it->conn;
  }
  return nullptr;
}

bool SqliteDatabase::inTransaction() const { return currentConnection() != nullptr; }

core::Status SqliteDatabase::runNested(SqliteConnection& conn, const Work& work) {
  if (auto st = conn.exec("SAVEPOINT codecrew_nested"); !st.ok()) return st;
  core::Status result;
  try {
    result = work(conn);
  } catch (...) {
    (void)conn.exec("ROLLBACK TO codecrew_nested; RELEASE codecrew_nested");
    throw;
  }
  if (!result.ok()) {
    (void)conn.exec("ROLLBACK TO codecrew_nested; RELEASE codecrew_nested");
    return result;
  }
  return conn.exec("RELEASE codecrew_nested");
}

core::Status SqliteDatabase::runTopLevel(SqliteConnection& conn, const char* begin, const Work& work) {
  if (auto st = conn.exec(begin); !st.ok()) return st;
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

core::Status SqliteDatabase::write(const Work& work) {
  if (SqliteConnection* conn = currentConnection()) return runNested(*conn, work);
  std::lock_guard lock(writer_mu_);
  return runTopLevel(*writer_, "BEGIN IMMEDIATE", work);
}

core::Status SqliteDatabase::read(const Work& work) {
  if (SqliteConnection* conn = currentConnection()) return work(*conn);
  if (options_.reader_connections <= 0) {
    std::lock_guard lock(writer_mu_);
    return runTopLevel(*writer_, "BEGIN", work);
  }
  auto reader = acquireReader();
  if (!reader.ok()) return std::move(reader).error();
  std::unique_ptr<SqliteConnection> conn = std::move(reader).value();
  struct Release {
    SqliteDatabase* db;
    std::unique_ptr<SqliteConnection>& conn;
    ~Release() { db->releaseReader(std::move(conn)); }
  } release{this, conn};
  return runTopLevel(*conn, "BEGIN", work);
}

core::Status SqliteDatabase::exclusive(const Work& work) {
  if (inTransaction()) {
    return core::Error{core::ErrorCode::kFailedPrecondition, "this operation cannot run inside a transaction", nullptr};
  }
  std::lock_guard lock(writer_mu_);
  return work(*writer_);
}

core::Result<std::unique_ptr<SqliteConnection>> SqliteDatabase::acquireReader() {
  std::unique_lock lock(readers_mu_);
  readers_cv_.wait(lock, [&] { return !idle_readers_.empty() || open_readers_ < options_.reader_connections; });
  if (!idle_readers_.empty()) {
    auto conn = std::move(idle_readers_.back());
    idle_readers_.pop_back();
    return conn;
  }
  ++open_readers_;
  lock.unlock();
  ConnectionOptions copts;
  copts.busy_timeout_ms = options_.busy_timeout_ms;
  copts.read_only = true;
  auto conn = SqliteConnection::open(path_, copts);
  if (!conn.ok()) {
    lock.lock();
    --open_readers_;
    readers_cv_.notify_one();
  }
  return conn;
}

void SqliteDatabase::releaseReader(std::unique_ptr<SqliteConnection> conn) {
  {
    std::lock_guard lock(readers_mu_);
    idle_readers_.push_back(std::move(conn));
  }
  readers_cv_.notify_one();
}

}  // namespace codecrew::store::sqlite
