// Opening the Store that a configuration names: SQLite at
// config.sqlitePath() (the default, a file under the data directory) with
// its migrations applied. PostgreSQL URLs are recognised and refused until
// the scale-out work brings a PostgreSQL store.
// Thread-safety: the functions may be called from any thread; the returned
// store is safe for concurrent use.
#pragma once

#include "core/clock.h"
#include "core/config.h"
#include "core/result.h"
#include "store/store.h"

#include <memory>
#include <string>

namespace codecrew::store {

// Opens the configured store and migrates it to the latest schema. The
// SQLite file's directory is created when missing. kUnimplemented for a
// postgres:// or postgresql:// DATABASE_URL; kInvalidArgument for any other
// scheme than sqlite.
core::Result<std::unique_ptr<Store>> openStore(const core::Config& config, std::shared_ptr<core::Clock> clock);

// Opens (creating) the SQLite file at path, creating its directory, and
// migrates it. Tests pass a file inside a temporary directory.
core::Result<std::unique_ptr<Store>> openSqliteStore(const std::string& path, std::shared_ptr<core::Clock> clock);

}  // namespace codecrew::store
