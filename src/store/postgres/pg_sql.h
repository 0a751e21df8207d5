// postgresSql: a query written for both databases (`?` and `?NNN`
// parameters, LIKE for a case-insensitive match, as SQLite reads it) in
// PostgreSQL's spelling ($1, $2, ..., $NNN and ILIKE). Quoted text and identifiers pass unchanged.
// Thread-safety: pure.
#pragma once

#include <string>
#include <string_view>

namespace codecrew::store::postgres {

std::string postgresSql(std::string_view sql);

}  // namespace codecrew::store::postgres
