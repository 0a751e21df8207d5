// Connection: one open connection to the store's database, as the query
// functions see it, whichever database it is (SQLite or PostgreSQL).
// Queries use `?` parameters and the SQL both databases accept; a connection
// that needs another spelling (PostgreSQL's $1) translates when it prepares.
// Thread-safety: none; one thread uses a connection at a time (its Database
// hands connections out under its locks).
#pragma once

#include "core/result.h"
#include "store/sql/sql_value.h"
#include "store/sql/statement.h"

#include <string_view>

namespace codecrew::store::sql {

class Connection {
 public:
  virtual ~Connection() = default;

  // Runs one or more statements that take no parameters and return no rows.
  virtual core::Status exec(std::string_view sql) = 0;
  // A prepared statement for sql (cached by its text where the database
  // allows; a nested use of the same SQL gets a statement of its own).
  virtual core::Result<Statement> prepare(std::string_view sql) = 0;
  // Rows changed by the last INSERT, UPDATE or DELETE run on this connection.
  virtual int changes() const = 0;
  virtual Dialect dialect() const = 0;
};

}  // namespace codecrew::store::sql
