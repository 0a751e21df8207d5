#include "store/postgres/pg_listener.h"

#include "core/log.h"
#include "store/postgres/pg_backoff.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <memory>

namespace codecrew::store::postgres {
namespace {

std::string listenerError(const PGconn* conn) { return pgMessageLine(conn ? PQerrorMessage(conn) : "out of memory"); }

// libpq reports an error the server sends while the connection is idle (the
// FATAL of pg_terminate_backend) as a notice; the drop itself is logged.
void listenerNotices(void*, const char* message) {
  core::log::debug("postgres listener notice", {{"notice", message}});
}

struct ListenerResultFree {
  void operator()(PGresult* r) const { PQclear(r); }
};

}  // namespace

PgListener::PgListener(PgListenerOptions options, NotificationHandler on_notification, ListeningHandler on_listening)
    : options_(std::move(options)),
      on_notification_(std::move(on_notification)),
      on_listening_(std::move(on_listening)) {
  if (pipe2(wake_, O_NONBLOCK | O_CLOEXEC) != 0) wake_[0] = wake_[1] = -1;
}

PgListener::~PgListener() {
  stop();
  for (int fd : wake_)
    if (fd >= 0) close(fd);
}

void PgListener::start() {
  thread_ = std::thread([this] { run(); });
}

void PgListener::stop() {
  if (!stopping_.exchange(true) && wake_[1] >= 0) {
    const char byte = 1;
    [[maybe_unused]] auto written = write(wake_[1], &byte, 1);
  }
  if (thread_.joinable()) thread_.join();
}

void PgListener::run() {
  ReconnectBackoff backoff(options_.backoff_initial, options_.backoff_max, options_.seed);
  while (!stopping()) {
    PGconn* conn = connectAndListen();
    if (!conn) {
      if (!pause(backoff.next())) break;
      continue;
    }
    backoff.reset();
    listening_ = true;
    ++connections_;
    core::log::info("postgres listener listening", {{"channel", options_.channel}});
    try {
      if (on_listening_) on_listening_();
    } catch (const std::exception& e) {
      core::log::error("postgres listener: on_listening threw", {{"error", e.what()}});
    }
    receive(conn);
    listening_ = false;
    const bool stopped = stopping();
    if (!stopped) core::log::warn("postgres listener lost its connection", {{"error", listenerError(conn)}});
    PQfinish(conn);
    if (stopped || !pause(backoff.next())) break;
  }
}

PGconn* PgListener::connectAndListen() {
  ++attempts_;
  PgConnectParams params(options_.url, options_.application_name, options_.connect_timeout);
  PGconn* conn = PQconnectStartParams(params.keywords(), params.values(), 1);
  const auto deadline = std::chrono::steady_clock::now() + options_.connect_timeout;
  auto fail = [&](const char* what) -> PGconn* {
    if (!stopping())
      core::log::write(failing_ ? core::log::Level::kDebug : core::log::Level::kWarn, what,
                       {{"error", listenerError(conn)}});
    failing_ = true;
    PQfinish(conn);
    return nullptr;
  };
  if (!conn || PQstatus(conn) == CONNECTION_BAD) return fail("postgres listener cannot connect");
  PQsetNoticeProcessor(conn, listenerNotices, nullptr);
  PostgresPollingStatusType state = PGRES_POLLING_WRITING;
  while (state != PGRES_POLLING_OK) {
    if (state == PGRES_POLLING_FAILED) return fail("postgres listener cannot connect");
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return fail("postgres listener: connecting timed out");
    const short events = state == PGRES_POLLING_READING ? POLLIN : POLLOUT;
    switch (waitFor(PQsocket(conn), events, static_cast<int>(left.count()))) {
      case Wait::kStopped: PQfinish(conn); return nullptr;
      case Wait::kFailed: return fail("postgres listener cannot wait on its socket");
      case Wait::kTimedOut:
      case Wait::kReady: break;
    }
    state = PQconnectPoll(conn);
  }
  failing_ = false;
  if (!sendListen(conn)) {
    if (stopping()) {
      PQfinish(conn);
      return nullptr;
    }
    return fail("postgres listener cannot LISTEN");
  }
  return conn;
}

bool PgListener::sendListen(PGconn* conn) {
  std::unique_ptr<char, decltype(&PQfreemem)> channel(PQescapeIdentifier(conn, options_.channel.c_str(),
                                                                         options_.channel.size()),
                                                      PQfreemem);
  if (!channel) return false;
  const std::string sql = "LISTEN " + std::string(channel.get());
  if (!PQsendQuery(conn, sql.c_str())) return false;
  bool ok = false;
  for (;;) {
    while (PQisBusy(conn)) {
      if (waitFor(PQsocket(conn), POLLIN, -1) != Wait::kReady) return false;
      if (!PQconsumeInput(conn)) return false;
    }
    std::unique_ptr<PGresult, ListenerResultFree> result(PQgetResult(conn));
    if (!result) return ok;
    ok = PQresultStatus(result.get()) == PGRES_COMMAND_OK;
  }
}

void PgListener::receive(PGconn* conn) {
  for (;;) {
    // Notifications may already be buffered (they can arrive with LISTEN's answer).
    while (PGnotify* n = PQnotifies(conn)) {
      std::unique_ptr<PGnotify, decltype(&PQfreemem)> owned(n, PQfreemem);
      if (options_.channel != n->relname || stopping()) continue;
      try {
        if (on_notification_) on_notification_(n->extra ? std::string_view(n->extra) : std::string_view());
      } catch (const std::exception& e) {
        core::log::error("postgres listener: on_notification threw", {{"error", e.what()}});
      }
    }
    if (PQstatus(conn) == CONNECTION_BAD) return;
    if (waitFor(PQsocket(conn), POLLIN, -1) != Wait::kReady) return;
    if (!PQconsumeInput(conn)) return;
  }
}

PgListener::Wait PgListener::waitFor(int socket, short events, int timeout_ms) const {
  if (socket < 0) return Wait::kFailed;
  for (;;) {
    if (stopping()) return Wait::kStopped;
    pollfd fds[2] = {{socket, events, 0}, {wake_[0], POLLIN, 0}};
    const int n = poll(fds, wake_[0] >= 0 ? 2 : 1, timeout_ms);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Wait::kFailed;
    }
    if (stopping()) return Wait::kStopped;
    if (n == 0) return Wait::kTimedOut;
    if (fds[0].revents != 0) return Wait::kReady;  // readable, writable, or hung up: libpq tells which
  }
}

bool PgListener::pause(std::chrono::milliseconds wait) const {
  const auto until = std::chrono::steady_clock::now() + wait;
  for (;;) {
    if (stopping()) return false;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
    if (left.count() <= 0) return true;
    pollfd fd{wake_[0], POLLIN, 0};
    if (poll(&fd, wake_[0] >= 0 ? 1 : 0, static_cast<int>(left.count())) < 0 && errno != EINTR) return !stopping();
  }
}

}  // namespace codecrew::store::postgres
