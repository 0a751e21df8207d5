#include "store/postgres/pg_notifier.h"

#include "core/log.h"

#include <libpq-fe.h>

#include <memory>

namespace codecrew::store::postgres {
namespace {

// One round trip for any number of notifications.
constexpr const char* kNotifySql = "SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p";

std::string notifierError(const PGconn* conn) { return pgMessageLine(conn ? PQerrorMessage(conn) : "out of memory"); }

// A text[] literal: {"a","b"} with quotes and backslashes escaped.
std::string notifyPayloadArray(const std::vector<std::string>& items) {
  std::string out = "{";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += '"';
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

// The connection is gone, or going: broken, or the server ended the session
// (SQLSTATE class 08, connection exception; 57, operator intervention: a
// terminated backend, a shutdown).
bool connectionLost(const PGconn* conn, const PGresult* result) {
  if (PQstatus(conn) == CONNECTION_BAD || !result) return true;
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  const std::string_view code = state ? state : "";
  return code.starts_with("08") || code.starts_with("57");
}

void notifierNotices(void*, const char* message) {
  core::log::debug("postgres notifier notice", {{"notice", message}});
}

struct NotifierResultFree {
  void operator()(PGresult* r) const { PQclear(r); }
};

}  // namespace

PgNotifier::PgNotifier(PgNotifierOptions options)
    : options_(std::move(options)), backoff_(options_.backoff_initial, options_.backoff_max, options_.seed) {}

PgNotifier::~PgNotifier() {
  std::lock_guard lock(mu_);
  closeLocked();
}

bool PgNotifier::connected() const {
  std::lock_guard lock(mu_);
  return conn_ != nullptr;
}

core::Status PgNotifier::notify(const std::vector<std::string>& payloads) {
  if (payloads.empty()) return core::okStatus();
  const std::string array = notifyPayloadArray(payloads);
  const char* values[2] = {options_.channel.c_str(), array.c_str()};
  std::lock_guard lock(mu_);
  std::string error;
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (!conn_) {
      if (auto opened = connectLocked(); !opened) return opened;
    }
    std::unique_ptr<PGresult, NotifierResultFree> result(
        PQexecParams(conn_, kNotifySql, 2, nullptr, values, nullptr, nullptr, 0));
    if (result && PQresultStatus(result.get()) == PGRES_TUPLES_OK) return core::okStatus();
    error = result ? pgMessageLine(PQresultErrorMessage(result.get())) : notifierError(conn_);
    if (!connectionLost(conn_, result.get())) return core::Error::invalidArgument("NOTIFY refused: " + error);
    closeLocked();  // dropped since the last call: once more on a new connection
  }
  return core::Error::unavailable("NOTIFY failed: " + error);
}

core::Status PgNotifier::connectLocked() {
  const auto now = std::chrono::steady_clock::now();
  if (now < next_attempt_) return core::Error::unavailable("postgres notifier: waiting to reconnect");
  PgConnectParams params(options_.url, options_.application_name, options_.connect_timeout);
  PGconn* conn = PQconnectdbParams(params.keywords(), params.values(), 1);
  if (!conn || PQstatus(conn) != CONNECTION_OK) {
    std::string error = notifierError(conn);
    PQfinish(conn);
    next_attempt_ = std::chrono::steady_clock::now() + backoff_.next();
    return core::Error::unavailable("postgres notifier cannot connect: " + error);
  }
  PQsetNoticeProcessor(conn, notifierNotices, nullptr);
  backoff_.reset();
  conn_ = conn;
  return core::okStatus();
}

void PgNotifier::closeLocked() {
  if (conn_) PQfinish(conn_);
  conn_ = nullptr;
}

}  // namespace codecrew::store::postgres
