// Connection::Exchange: one request's bookkeeping on a Connection (id,
// timing, what was sent), shared by the connection's source files.
// Internal to http/. Thread-safety: used on the connection's strand only.
#pragma once

#include "http/connection.h"
#include "telemetry/tracer.h"

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace codecrew::http {

inline constexpr std::string_view kServerName = "codecrew";

struct Connection::Exchange {
  std::string request_id;
  std::string method;
  std::string path;  // as received (still percent-encoded), for the log
  std::string origin;
  unsigned version = 11;
  bool keep_alive = false;
  int status = 0;
  std::size_t bytes = 0;
  std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();
  const std::string* route = nullptr;  // the matched route's pattern
  telemetry::Span span;                // the exchange's server span
};

}  // namespace codecrew::http
