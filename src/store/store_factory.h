// Opening the Store that a configuration names, with its migrations
// applied: SQLite at config.sqlitePath() (the default, a file under the data
// directory), or PostgreSQL for a postgresql:// DATABASE_URL.
// Thread-safety: the functions may be called from any thread; the returned
// store is safe for concurrent use.
#pragma once

#include "core/clock.h"
#include "core/config.h"
#include "core/result.h"
#include "store/sql/database.h"
#include "store/store.h"

#include <memory>
#include <string>

namespace codecrew::store {

// Opens the configured store and migrates it to the latest schema. The
// SQLite file's directory is created when missing. kInvalidArgument for a
// scheme other than sqlite, postgres or postgresql; kUnavailable when the
// database cannot be reached.
// `observer` (optional) is told the length of each transaction (metrics).
core::Result<std::unique_ptr<Store>> openStore(const core::Config& config, std::shared_ptr<core::Clock> clock,
                                               TransactionObserver observer = {});

struct PostgresStoreOptions {
  // Shown in pg_stat_activity; empty: PGAPPNAME from the environment.
  std::string application_name;
  int max_connections = 10;      // the ceiling of this process's pool
  TransactionObserver observer;  // optional: told each transaction's length
};

// Connects to the PostgreSQL database at url (a libpq URL) and migrates it.
core::Result<std::unique_ptr<Store>> openPostgresStore(const std::string& url, std::shared_ptr<core::Clock> clock,
                                                       const PostgresStoreOptions& options = {});

// Opens (creating) the SQLite file at path, creating its directory, and
// migrates it. Tests pass a file inside a temporary directory.
core::Result<std::unique_ptr<Store>> openSqliteStore(const std::string& path, std::shared_ptr<core::Clock> clock,
                                                     TransactionObserver observer = {});

// What openMigratedDatabase does with a SQLite file that does not exist.
enum class IfMissing { kCreate, kRefuse };

// The SQL database that url names, migrated to the latest schema, below the
// Store: for the tools that work on whole tables (`codecrew migrate --from
// --to`, sql/database_copy.h). url is a sqlite:// URL, read as DATABASE_URL
// is (sqlite:///relative.db, sqlite:////absolute.db), or a postgres:// or
// postgresql:// URL. kInvalidArgument for anything else; kNotFound for a
// SQLite file that does not exist when if_missing is kRefuse; kUnavailable
// when the database cannot be reached; the migration's error when it fails.
core::Result<std::unique_ptr<sql::Database>> openMigratedDatabase(const std::string& url,
                                                                  std::shared_ptr<core::Clock> clock,
                                                                  IfMissing if_missing = IfMissing::kCreate);

}  // namespace codecrew::store
