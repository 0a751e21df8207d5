#include "store/sqlite/sqlite_database.h"

#include <utility>

namespace codecrew::store::sqlite {
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

std::string_view SqliteDatabase::beginSql(Access access) const {
  const bool writes = access == Access::kWrite || access == Access::kWriteReadCommitted;
  return writes ? "BEGIN IMMEDIATE" : "BEGIN";
}

core::Status SqliteDatabase::withConnection(Access access, const Work& fn) {
  if (access != Access::kRead || options_.reader_connections <= 0) {
    std::lock_guard lock(writer_mu_);
    return fn(*writer_);
  }
  auto reader = acquireReader();
  if (!reader.ok()) return std::move(reader).error();
  std::unique_ptr<SqliteConnection> conn = std::move(reader).value();
  struct Release {
    SqliteDatabase* db;
    std::unique_ptr<SqliteConnection>& conn;
    ~Release() { db->releaseReader(std::move(conn)); }
  } release{this, conn};
  return fn(*conn);
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
