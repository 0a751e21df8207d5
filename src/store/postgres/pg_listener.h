// PgListener: one dedicated PostgreSQL connection that LISTENs on a channel
// and hands the payload of each notification on it to a callback, for the
// processes of one deployment to tell each other that something was stored
// (the event log's signals between workers and API nodes).
//
// A background thread waits on the connection's socket. When the connection
// drops (pg_terminate_backend, a server restart, a network failure noticed by
// TCP keepalives) the listener closes it and opens another after a bounded,
// jittered exponential backoff, LISTENs again, and then calls on_listening:
// notifications sent while it was not listening are lost for good, so the
// consumer reads whatever it may have missed from where it is stored. It
// never holds more than one connection, and never sends anything on it but
// LISTEN.
//
// Thread-safety: start() and stop() from the owner's thread. The callbacks
// run on the listener's thread, one at a time, never after stop() returned;
// they must not block (hand store reads to another thread). listening() and
// connections() from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <thread>

struct pg_conn;

namespace codecrew::store::postgres {

struct PgListenerOptions {
  std::string url;  // a libpq connection string or URI; never logged
  std::string channel = "codecrew_events";
  std::string application_name = "codecrew-listener";  // as pg_stat_activity shows the connection
  std::chrono::seconds connect_timeout{10};
  std::chrono::milliseconds backoff_initial{100};
  std::chrono::milliseconds backoff_max{5000};
  std::uint64_t seed = 0;  // of the backoff's jitter; 0: random
};

class PgListener {
 public:
  // A notification's payload (NOTIFY payloads are text, at most 8000 bytes).
  using NotificationHandler = std::function<void(std::string_view payload)>;
  // LISTEN took effect on a new connection (the first one included): what
  // was notified before was not heard.
  using ListeningHandler = std::function<void()>;

  PgListener(PgListenerOptions options, NotificationHandler on_notification, ListeningHandler on_listening);
  ~PgListener();  // stops
  PgListener(const PgListener&) = delete;
  PgListener& operator=(const PgListener&) = delete;

  // Starts the thread, which connects (and reconnects) on its own: a server
  // that cannot be reached yet is not an error. Call once.
  void start();
  // Closes the connection and joins the thread. Idempotent.
  void stop();

  // A connection is open and LISTENing now.
  bool listening() const { return listening_.load(); }
  // How many connections have LISTENed so far (reconnections included).
  std::uint64_t connections() const { return connections_.load(); }
  // Connection attempts so far, failed ones included.
  std::uint64_t attempts() const { return attempts_.load(); }

 private:
  enum class Wait { kReady, kTimedOut, kStopped, kFailed };

  void run();
  // A connection that LISTENs, or null (failed, or stopping).
  pg_conn* connectAndListen();
  bool sendListen(pg_conn* conn);
  // Delivers notifications until the connection drops or stop().
  void receive(pg_conn* conn);
  // Waits until the socket is ready for `events` (POLLIN/POLLOUT), stop() is
  // called, or timeout_ms passes (-1: no timeout).
  Wait waitFor(int socket, short events, int timeout_ms) const;
  // Sleeps for the backoff unless stop() comes first; false when stopping.
  bool pause(std::chrono::milliseconds wait) const;
  bool stopping() const { return stopping_.load(); }

  const PgListenerOptions options_;
  const NotificationHandler on_notification_;
  const ListeningHandler on_listening_;
  int wake_[2] = {-1, -1};  // a pipe: stop() writes, the thread's polls wake up
  std::atomic<bool> stopping_{false};
  std::atomic<bool> listening_{false};
  std::atomic<std::uint64_t> connections_{0};
  std::atomic<std::uint64_t> attempts_{0};
  bool failing_ = false;  // the listener's thread only: the last attempt failed (log the next at debug)
  std::thread thread_;
};

}  // namespace codecrew::store::postgres
