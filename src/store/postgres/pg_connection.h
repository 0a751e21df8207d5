// PgConnection: one libpq connection as an sql::Connection. Statements are
// prepared on the server once per connection (named by a counter, keyed by
// their SQL text) with parameter types inferred from their use; parameters
// travel as text and results come back whole, as text, which PgStatement
// reads in the requested type.
// Thread-safety: none; one thread uses a connection at a time (PgDatabase
// hands connections out under its lock).
#pragma once

#include "core/result.h"
#include "store/sql/connection.h"

#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

struct pg_conn;
struct pg_result;

namespace codecrew::store::postgres {

class PgConnection final : public sql::Connection {
 public:
  // Connects to url (a libpq URL or key=value string), with
  // application_name set when given. kUnavailable naming the server
  // (never the password) when it cannot.
  static core::Result<std::unique_ptr<PgConnection>> open(const std::string& url, const std::string& application_name);
  ~PgConnection() override;
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  core::Status exec(std::string_view sql) override;
  core::Result<sql::Statement> prepare(std::string_view sql) override;
  int changes() const override { return changes_; }
  sql::Dialect dialect() const override { return sql::Dialect::kPostgres; }

  // Whether the connection is still usable: reads what the server sent
  // without waiting, so a backend the server closed is noticed here.
  bool healthy();
  // The libpq handle, for PgStatement.
  pg_conn* handle() const { return conn_; }
  // Records the rows a finished command changed (PgStatement).
  void setChanges(int n) { changes_ = n; }

 private:
  explicit PgConnection(pg_conn* conn) : conn_(conn) {}

  pg_conn* conn_;
  std::unordered_map<std::string, std::string> prepared_;  // SQL text -> statement name
  int changes_ = 0;
};

// The Error for a failed result (or, with none, the connection's message).
core::Error resultError(pg_conn* conn, const pg_result* result);

}  // namespace codecrew::store::postgres
