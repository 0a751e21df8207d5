// SqlValue: a parameter of a query assembled at run time, for every SQL
// database the store runs on.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

namespace codecrew::store::sql {

using SqlValue = std::variant<std::nullptr_t, std::int64_t, double, std::string>;
using SqlParams = std::vector<SqlValue>;

// Which SQL database a connection speaks. Queries are written once, in the
// SQL both accept; the few places that differ ask their connection.
enum class Dialect { kSqlite, kPostgres };

}  // namespace codecrew::store::sql
