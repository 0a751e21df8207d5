// The operator's listener: GET /metrics, /healthz and /readyz on an address
// of their own ([metrics] listen, "host:port" or "[v6]:port"), without keys,
// for Prometheus and probes on a network apart from the API's. A worker's
// only HTTP; `serve` may have one too.
// Thread-safety: start from one thread; the server is thread-safe.
#pragma once

#include "api/api_context.h"
#include "core/result.h"
#include "http/server.h"

#include <memory>
#include <string>

namespace codecrew::app {

struct ListenAddress {
  std::string host;
  int port = 0;
};

// kInvalidArgument naming [metrics] listen for anything but host:port.
core::Result<ListenAddress> parseListenAddress(const std::string& text);

// Starts the listener (one I/O thread) on `listen`; kInvalidArgument for a
// malformed address, kUnavailable when it cannot be bound.
core::Result<std::unique_ptr<http::Server>> startMetricsListener(const std::string& listen,
                                                                 std::shared_ptr<const api::ApiContext> ctx);

}  // namespace codecrew::app
