#include "store/postgres/pg_connection.h"

#include "store/postgres/pg_backoff.h"
#include "store/postgres/pg_error.h"
#include "store/postgres/pg_sql.h"
#include "store/postgres/pg_statement.h"

#include <libpq-fe.h>

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
  // The URL's settings win over the shared defaults (keepalives, connect
  // timeout); without an application_name here, libpq takes PGAPPNAME.
  PgConnectParams params(url, application_name, std::chrono::seconds(10));
  pg_conn* conn = PQconnectdbParams(params.keywords(), params.values(), 1);
  if (!conn) return core::Error::unavailable("cannot connect to PostgreSQL: out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = pgMessageLine(PQerrorMessage(conn));
    PQfinish(conn);
    return core::Error::unavailable("cannot connect to PostgreSQL: " + msg);
  }
  // The server's notices (a ROLLBACK after a COMMIT that failed says "there
  // is no transaction in progress") are not the store's errors: dropped.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  std::unique_ptr<PgConnection> out(new PgConnection(conn));
  // Quiet notices (e.g. "relation already exists, skipping") stay out of the
  // log. A process stopped inside a transaction (a stalled worker) would
  // hold its row locks, and the job it leases would be skipped by every
  // claim (SKIP LOCKED), until its connection goes: the server ends a session
  // idle in a transaction after 10 s (the store's transactions take
  // milliseconds).
  if (auto st = out->exec("SET client_min_messages = warning; SET idle_in_transaction_session_timeout = '10s'");
      !st.ok())
    return std::move(st).error();
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
