// PgNotifier: sends NOTIFYs on a PostgreSQL connection of its own. Since the
// connection is its own, a notification is never part of a caller's
// transaction: it goes out when notify() is called, which the caller does
// after what it announces has committed. PgListener hears them.
//
// The connection is opened on first use and again on the next call after it
// dropped; a call on a connection found dropped tries once more on a new one.
// After a failed connection attempt the next one waits for a bounded,
// jittered exponential backoff (calls meanwhile fail at once).
// Thread-safety: notify() may be called from any thread; calls are
// serialized and block on the network, so make them from a thread that may
// wait (CoalescingEventSignal's).
#pragma once

#include "core/result.h"
#include "store/postgres/pg_backoff.h"

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

struct pg_conn;

namespace codecrew::store::postgres {

struct PgNotifierOptions {
  std::string url;  // a libpq connection string or URI; never logged
  std::string channel = "codecrew_events";
  std::string application_name = "codecrew-notifier";
  std::chrono::seconds connect_timeout{10};
  std::chrono::milliseconds backoff_initial{100};
  std::chrono::milliseconds backoff_max{5000};
  std::uint64_t seed = 0;  // of the backoff's jitter; 0: random
};

class PgNotifier {
 public:
  explicit PgNotifier(PgNotifierOptions options);
  ~PgNotifier();
  PgNotifier(const PgNotifier&) = delete;
  PgNotifier& operator=(const PgNotifier&) = delete;

  // One notification on the channel per payload, all in one statement (so
  // delivered together). kUnavailable when the server cannot be reached
  // (nothing was sent; the caller may try again later); kInvalidArgument
  // when the server refuses them (a payload of 8000 bytes or more).
  core::Status notify(const std::vector<std::string>& payloads);

  // A connection is open now (it may have dropped unnoticed).
  bool connected() const;

 private:
  core::Status connectLocked();
  void closeLocked();

  const PgNotifierOptions options_;
  mutable std::mutex mu_;
  pg_conn* conn_ = nullptr;                               // guarded by mu_
  ReconnectBackoff backoff_;                              // guarded by mu_
  std::chrono::steady_clock::time_point next_attempt_{};  // guarded by mu_
};

}  // namespace codecrew::store::postgres
