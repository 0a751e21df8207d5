// Versioned schema migrations for the store, on SQLite and PostgreSQL alike.
// Each migration has a number and SQL (written for SQLite, translated for
// PostgreSQL by ddlFor, or given for PostgreSQL where the two differ); the numbers applied are recorded in
// schema_migrations, and pending ones are applied in order, each in its own transaction, so a failed migration leaves
// the schema at the previous version. Numbers increase but may have gaps (branches developed at once each take one),
// and a pending migration is one whose number is not recorded, so a number below the highest applied one (a branch
// merged later) is still applied. Applying is idempotent and safe against another process migrating the same file.
// Thread-safety: functions take a connection that the caller owns
// exclusively (outside any transaction). On PostgreSQL, concurrent migrators
// queue on an advisory lock.
#pragma once

#include "core/clock.h"
#include "core/result.h"
#include "store/sql/connection.h"
#include "store/sql/ddl_dialect.h"

#include <span>
#include <string_view>

namespace codecrew::store::sql {

struct Migration {
  int version;            // 1, 2, 3, ... strictly increasing (gaps allowed)
  std::string_view name;  // a short description, recorded with the version
  std::string_view sql;   // one or more statements, in SQLite's DDL
  // PostgreSQL's own statements where `sql` does not fit it, in SQLite's
  // spelling too (ddlFor translates either; empty: `sql`).
  std::string_view postgres_sql = {};
};

// The migrations of the codecrew schema, in order.
std::span<const Migration> builtinMigrations();

// The highest applied version (0 for an empty database).
core::Result<int> schemaVersion(Connection& conn);

// Applies the migrations of `migrations` that schema_migrations does not
// record, in order, and returns the highest version applied. kFailedPrecondition when the database was migrated by a
// newer codecrew (a version above the last known one); the error of the
// failing migration, naming it, otherwise.
core::Result<int> applyMigrations(Connection& conn, std::span<const Migration> migrations, core::Millis now);

}  // namespace codecrew::store::sql
