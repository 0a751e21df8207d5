#include "store/postgres/pg_connection.h"

#include "store/postgres/pg_error.h"
#include "store/postgres/pg_sql.h"
#include "store/postgres/pg_statement.h"

#include <libpq-fe.h>

#include <vector>

namespace codecrew::store::postgres {

core::Error resultError(pg_conn* conn, const pg_result* result) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const char* message = result ? PQresultErrorMessage(result) : nullptr;
  if (!message || !*message) message = PQerrorMessage(conn);
  // No SQLSTATE with a broken connection: libpq reports it locally.
  if (!state && PQstatus(conn) != CONNECTION_OK) state = "08006";
  return pgError(state ? state : "", message ? message : "unknown error");
}

core::Result<std::unique_ptr<PgConnection>> PgConnection::open(const std::string& url,
                                                               const std::string& application_name) {
  // expand_dbname: the URL's settings come last, so they win over these
  // defaults (an application_name in the URL names the connection; without
  // one here or there, libpq takes PGAPPNAME from the environment).
  std::vector<const char*> keys{"connect_timeout"};
  std::vector<const char*> values{"10"};
  if (!application_name.empty()) {
    keys.push_back("application_name");
    values.push_back(application_name.c_str());
  }
  keys.insert(keys.end(), {"dbname", nullptr});
  values.insert(values.end(), {url.c_str(), nullptr});
  pg_conn* conn = PQconnectdbParams(keys.data(), values.data(), 1);
  if (!conn) return core::Error::unavailable("cannot connect to PostgreSQL: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = PQerrorMessage(conn);
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    PQfinish(conn);
    return core::Error::unavailable("cannot connect to PostgreSQL: " + msg);
  }
  // The server's notices (a ROLLBACK after a COMMIT that failed says "there
  // is no transaction in progress") are not the store's errors: dropped.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  std::unique_ptr<PgConnection> out(new PgConnection(conn));
  // Quiet notices (e.g. "relation already exists, skipping") stay out of the log.
  if (auto st = out->exec("SET client_min_messages = warning"); !st.ok()) return std::move(st).error();
  return out;
}

PgConnection::~PgConnection() { PQfinish(conn_); }

bool PgConnection::healthy() {
  if (PQstatus(conn_) != CONNECTION_OK) return false;
  PQconsumeInput(conn_);
  return PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

core::Status PgConnection::exec(std::string_view sql) {
  pg_result* res = PQexec(conn_, std::string(sql).c_str());
  const auto status = PQresultStatus(res);
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
    PQclear(res);
    return {};
  }
  core::Error err = resultError(conn_, res);
  PQclear(res);
  return err;
}

core::Result<sql::Statement> PgConnection::prepare(std::string_view sql) {
  std::string key(sql);
  auto it = prepared_.find(key);
  if (it == prepared_.end()) {
    std::string name = "s" + std::to_string(prepared_.size() + 1);
    pg_result* res = PQprepare(conn_, name.c_str(), postgresSql(sql).c_str(), 0, nullptr);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
      core::Error err = resultError(conn_, res);
      PQclear(res);
      return err;
    }
    PQclear(res);
    it = prepared_.emplace(std::move(key), std::move(name)).first;
  }
  return sql::Statement(std::make_unique<PgStatement>(this, it->second));
}

}  // namespace codecrew::store::postgres
