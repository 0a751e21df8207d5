// `codecrew migrate --from URL --to URL`: moves a codecrew database into
// another, empty one: SQLite to PostgreSQL to scale out (and PostgreSQL to
// SQLite, or SQLite to SQLite, the same way). Both are brought to this
// codecrew's schema first; the rows are copied in one transaction of the
// target (store/sql/database_copy.h), with a line per table as it is copied
// and a summary at the end. Plain `codecrew migrate` (runMigrate) only
// migrates the configured database.
// Thread-safety: a plain function.
#pragma once

#include <iosfwd>
#include <string>

namespace codecrew::app {

struct MigrateCopyOptions {
  std::string from;  // sqlite:///relative.db, sqlite:////absolute.db or postgresql://...; must exist
  std::string to;    // the same kinds; created (SQLite) or migrated, and must hold no rows
};

// Returns the process exit code: 0 when every row was copied, 1 when the copy
// failed or was refused (nothing copied; the reason goes to err), 2 for a bad
// URL. URLs are printed without their passwords.
int runMigrateCopy(const MigrateCopyOptions& options, std::ostream& out, std::ostream& err);

// url with the password of its user info and any password= parameter
// replaced by ***.
std::string redactedDatabaseUrl(const std::string& url);

}  // namespace codecrew::app
