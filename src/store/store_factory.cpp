#include "store/store_factory.h"

#include "store/postgres/pg_database.h"
#include "store/sql/migrations.h"
#include "store/sql/sql_store.h"
#include "store/sqlite/sqlite_database.h"

#include <filesystem>
#include <system_error>

namespace codecrew::store {
namespace {

bool startsWith(const std::string& s, std::string_view prefix) { return s.rfind(prefix, 0) == 0; }

bool isPostgresUrl(const std::string& url) {
  return startsWith(url, "postgres://") || startsWith(url, "postgresql://");
}

// Creates the directory of the SQLite file at path when missing.
core::Status createParentDirectory(const std::string& path) {
  if (path == ":memory:") return {};
  const auto dir = std::filesystem::path(path).parent_path();
  std::error_code ec;
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  if (ec) return core::Error::unavailable("cannot create the data directory '" + dir.string() + "': " + ec.message());
  return {};
}

core::Result<std::unique_ptr<sql::Database>> openSqliteDatabase(const std::string& url, IfMissing if_missing) {
  core::Config config;  // the one reading of sqlite:// URLs, DATABASE_URL's
  config.storage.database_url = url;
  const std::string path = config.sqlitePath();
  if (path.empty()) return core::Error::invalidArgument("the SQLite URL '" + url + "' names no file");
  if (if_missing == IfMissing::kRefuse && !std::filesystem::exists(path)) {
    return core::Error::notFound("there is no SQLite database at '" + path + "' (from " + url + ")");
  }
  if (auto st = createParentDirectory(path); !st.ok()) return std::move(st).error();
  auto db = sqlite::SqliteDatabase::open(path, sqlite::DatabaseOptions{});
  if (!db.ok()) return std::move(db).error();
  return std::unique_ptr<sql::Database>(std::move(db).value());
}

}  // namespace

core::Result<std::unique_ptr<Store>> openSqliteStore(const std::string& path, std::shared_ptr<core::Clock> clock,
                                                     TransactionObserver observer) {
  if (path.empty()) return core::Error::invalidArgument("the SQLite database path is empty");
  if (auto st = createParentDirectory(path); !st.ok()) return std::move(st).error();
  auto store = SqlStore::openSqlite(path, std::move(clock));
  if (!store.ok()) return std::move(store).error();
  (*store)->observeTransactions(std::move(observer));
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
  store->observeTransactions(options.observer);
  if (auto v = store->migrate(); !v.ok()) return std::move(v).error();
  return std::unique_ptr<Store>(std::move(store));
}

core::Result<std::unique_ptr<sql::Database>> openMigratedDatabase(const std::string& url,
                                                                  std::shared_ptr<core::Clock> clock,
                                                                  IfMissing if_missing) {
  // The URL is not repeated: it may hold a password.
  core::Result<std::unique_ptr<sql::Database>> db = core::Error::invalidArgument(
      "a database URL starts with sqlite:// (sqlite:///relative.db, sqlite:////absolute.db) or postgresql://");
  if (isPostgresUrl(url)) {
    postgres::PgOptions pg;
    pg.url = url;
    pg.application_name = "codecrew-migrate";
    pg.max_connections = 2;
    auto opened = postgres::PgDatabase::open(pg);
    if (!opened.ok()) return std::move(opened).error();
    db = std::unique_ptr<sql::Database>(std::move(opened).value());
  } else if (startsWith(url, "sqlite://")) {
    db = openSqliteDatabase(url, if_missing);
  }
  if (!db.ok()) return db;
  auto migrated = (*db)->exclusive([&](sql::Connection& c) -> core::Status {
    auto v = sql::applyMigrations(c, sql::builtinMigrations(), clock->nowMillis());
    if (!v.ok()) return std::move(v).error();
    return {};
  });
  if (!migrated.ok()) return std::move(migrated).error();
  return db;
}

core::Result<std::unique_ptr<Store>> openStore(const core::Config& config, std::shared_ptr<core::Clock> clock,
                                               TransactionObserver observer) {
  const std::string& url = config.storage.database_url;
  if (isPostgresUrl(url)) {
    PostgresStoreOptions options;
    options.max_connections = config.storage.max_connections;
    options.observer = std::move(observer);
    return openPostgresStore(url, std::move(clock), options);
  }
  if (!url.empty() && !startsWith(url, "sqlite:")) {
    return core::Error::invalidArgument("DATABASE_URL must be a sqlite:// or postgresql:// URL");
  }
  return openSqliteStore(config.sqlitePath(), std::move(clock), std::move(observer));
}

}  // namespace codecrew::store
