// What the LISTEN/NOTIFY connections (PgListener, PgNotifier) share: how
// they open a connection with libpq, how long they wait before opening one
// again after a failure, and how they put libpq's messages in a log line.
// Thread-safety: plain values; one thread uses one at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace codecrew::store::postgres {

// The keywords and values for libpq's PQconnectdbParams/PQconnectStartParams
// (expand_dbname = 1): defaults first (TCP keepalives, so that a connection
// whose peer vanished is noticed; a connect timeout), then the URL, whose own
// settings win over those defaults, then application_name, which wins over
// the URL's (it names the connection's role in pg_stat_activity).
class PgConnectParams {
 public:
  PgConnectParams(const std::string& url, const std::string& application_name, std::chrono::seconds connect_timeout);
  PgConnectParams(const PgConnectParams&) = delete;
  PgConnectParams& operator=(const PgConnectParams&) = delete;

  const char* const* keywords() const { return keywords_.data(); }
  const char* const* values() const { return values_.data(); }

 private:
  std::vector<std::pair<std::string, std::string>> pairs_;
  std::vector<const char*> keywords_;  // null-terminated, into pairs_
  std::vector<const char*> values_;
};

// Exponential backoff between connection attempts: the n-th consecutive
// failure waits initial·2^n, capped at max, times a random factor in
// [0.5, 1] so that processes that lost the server together do not come back
// together.
// libpq's message (several lines, tabs) on one line, trimmed.
std::string pgMessageLine(const char* message);

class ReconnectBackoff {
 public:
  // seed 0: a random seed.
  ReconnectBackoff(std::chrono::milliseconds initial, std::chrono::milliseconds max, std::uint64_t seed = 0);

  // The wait before the next attempt; counts one more failure.
  std::chrono::milliseconds next();
  // A connection succeeded: the next wait starts again from initial.
  void reset() { failures_ = 0; }

 private:
  std::chrono::milliseconds initial_;
  std::chrono::milliseconds max_;
  int failures_ = 0;
  std::minstd_rand random_;
};

}  // namespace codecrew::store::postgres
