// ddlFor: the schema's DDL, written once in SQLite's spelling, in the
// spelling of a dialect. For PostgreSQL: `id INTEGER PRIMARY KEY` becomes an
// identity column (ids assigned by the database, explicit ids accepted, as
// SQLite's rowid aliases do), INTEGER becomes BIGINT (SQLite's integers are
// 64-bit) and REAL becomes DOUBLE PRECISION. Anything else passes unchanged:
// a statement the two do not share needs Migration::postgres_sql.
// Thread-safety: pure.
#pragma once

#include "store/sql/sql_value.h"

#include <string>
#include <string_view>

namespace codecrew::store::sql {

std::string ddlFor(Dialect dialect, std::string_view sqlite_ddl);

}  // namespace codecrew::store::sql
