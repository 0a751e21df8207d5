// Server: the HTTP/1.1 server (Boost.Beast on C++20 coroutines) that serves a
// Router. I/O runs on io_threads threads, each with an io_context of its own;
// a connection stays on one of them (round robin at accept). Handlers run on
// a separate bounded blocking pool, so a slow handler never stalls the I/O,
// except routes marked runs_inline (RouteOptions), whose handlers never block
// and run on the connection's I/O thread; coroutines they start on
// Request::io (the outgoing calls of the gateway) stay on that thread too.
// The io_contexts may be the owner's (ServerOptions::io_contexts), shared
// with other coroutines.
//
// Behaviour every route gets: keep-alive; X-Request-Id taken from the request
// (if sane) or generated, and echoed on the response, with a log RequestScope
// around the handler; bodies over max_body_bytes are refused with 413 before
// they are read whole; POST/PUT/PATCH to a json_body route without an
// application/json Content-Type get 415; 404/405 from the router; an
// exception escaping a handler becomes a 500 that names the request id; one
// access-log line per request (info: method, path, status, duration_ms,
// bytes); malformed HTTP (ambiguous framing, a missing or repeated Host and
// obs-fold included) gets 400 and the connection closes, as it does after
// a 413; CORS for the configured origins (preflight OPTIONS answered, Allow-
// Origin added); a "Server: codecrew" header. Streamed responses (addStream)
// use chunked encoding, flushed as written, and do not hold a thread while
// open. Handlers must not block forever: stop() waits for running handlers.
// Thread-safety: start() once from a controlling thread; stop() and wait()
// from any thread except the server's own (a handler must not call them);
// port() after start() from any thread.
#pragma once

#include "core/result.h"
#include "http/io_threads.h"
#include "http/router.h"
#include "telemetry/metrics.h"
#include "telemetry/tracer.h"

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace boost::asio {
class io_context;
}

namespace codecrew::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port
  std::size_t max_body_bytes = 1 << 20;
  int io_threads = 0;        // 0: the core count; unused when io_contexts are given
  int blocking_threads = 0;  // 0: 2x the core count
  std::chrono::seconds shutdown_grace{20};
  std::chrono::seconds idle_timeout{75};      // a keep-alive connection's wait for a request, and each read/write
  std::size_t stream_buffer_limit = 4 << 20;  // per streamed response
  std::vector<std::string> cors_origins;      // exact origins, or "*"
  bool handle_signals = false;                // stop gracefully on SIGINT/SIGTERM
  // At most this many connections are served at once (0: no limit; see
  // defaultMaxConnections). Past it, up to kOverflowSlots more are each read
  // for one request, with a short timeout: a GET or HEAD of one of
  // cap_exempt_paths is answered, anything else gets 503 with Retry-After,
  // and the connection closes. A new one past those closes the oldest still
  // waiting for its request, so idle sockets cannot keep a health check out;
  // when even that cannot keep up, a new connection gets the 503 at once,
  // unread, and is closed. Accept failures (out of descriptors) back
  // off exponentially up to a second, with one warning when they start and
  // one when they stop (with the count).
  std::size_t max_connections = 0;
  std::vector<std::string> cap_exempt_paths = {"/health", "/healthz", "/readyz"};
  // The I/O threads' io_contexts, one thread each (makeIoContexts). Empty:
  // the server makes io_threads of its own. Given: the server runs them (their
  // owner must not) and stops them in stop(); the owner keeps them alive past
  // the server and past anything holding I/O objects of theirs (the pooled
  // connections of an HTTP client that handlers' coroutines used).
  std::vector<std::shared_ptr<boost::asio::io_context>> io_contexts;
  // When set, every exchange is counted in codecrew_http_requests_total
  // {route,method,status} and timed in codecrew_http_request_duration_seconds
  // {route,method}: route is the matched route's pattern, "unmatched" when
  // none matched (a streamed response is timed until it ends).
  std::shared_ptr<telemetry::Registry> metrics;
  // Every exchange is a server span of this tracer (null: none), a child of
  // the request's traceparent; handlers find its context in Request::trace.
  std::shared_ptr<const telemetry::Tracer> tracer;
};

// How many connections past max_connections are read for a health check.
inline constexpr std::size_t kOverflowSlots = 32;

class Server {
 public:
  Server(ServerOptions options, std::shared_ptr<const Router> router);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds, listens and starts the threads. kUnavailable if the address
  // cannot be bound (the message says why).
  core::Status start();
  // The bound port (the chosen one when options.port was 0). After start().
  int port() const;
  // Stops accepting, lets in-flight requests finish within the grace period,
  // closes idle and streaming connections, and joins the threads. Idempotent.
  void stop();
  // Blocks until stop() was called (or a handled signal arrived) and the
  // server has shut down.
  void wait();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace codecrew::http
