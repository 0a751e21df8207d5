#include "store/store_factory.h"

#include "store/postgres/pg_database.h"
#include "store/sql/sql_store.h"

#include <filesystem>
#include <system_error>

namespace codecrew::store {
namespace {

bool startsWith(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

core::Result<std::unique_ptr<Store>> openSqliteStore(const std::string& path, std::shared_ptr<core::Clock> clock) {
  if (path.empty()) return core::Error::invalidArgument("the SQLite database path is empty");
  if (path != ":memory:") {
    const auto dir = std::filesystem::path(path).parent_path();
    std::error_code ec;
    if (!dir.empty()) std::filesystem::create_directories(dir, ec);
    if (ec) {
      return core::Error::unavailable("cannot create the data directory '" + dir.string() + "': " + ec.message());
    }
  }
  auto store = SqlStore::openSqlite(path, std::move(clock));
  if (!store.ok()) return std::move(store).error();
  if (auto v = (*store)->migrate(); !v.ok()) return std::move(v).error();
  return std::unique_ptr<Store>(std::move(store).value());
}

core::Result<std::unique_ptr<Store>> openPostgresStore(const std::string& url, std::shared_ptr<core::Clock> clock,
                                                       const PostgresStoreOptions& options) {
  postgres::PgOptions pg;
  pg.url = url;
  pg.application_name = options.application_name;
  pg.max_connections = options.max_connections;
  auto db = postgres::PgDatabase::open(pg);
  if (!db.ok()) return std::move(db).error();
  auto store = std::make_unique<SqlStore>(std::move(db).value(), std::move(clock));
  if (auto v = store->migrate(); !v.ok()) return std::move(v).error();
  return std::unique_ptr<Store>(std::move(store));
}

core::Result<std::unique_ptr<Store>> openStore(const core::Config& config, std::shared_ptr<core::Clock> clock) {
  const std::string& url = config.storage.database_url;
  if (startsWith(url, "postgres://") || startsWith(url, "postgresql://")) {
    PostgresStoreOptions options;
    options.max_connections = config.storage.max_connections;
    return openPostgresStore(url, std::move(clock), options);
  }
  if (!url.empty() && !startsWith(url, "sqlite:")) {
    return core::Error::invalidArgument("DATABASE_URL must be a sqlite:// or postgresql:// URL");
  }
  return openSqliteStore(config.sqlitePath(), std::move(clock));
}

}  // namespace codecrew::store
