// A connection's exchanges as the operator sees them: each one's server
// span, its metrics and its access log line (connection.h).
#include "core/log.h"
#include "http/connection.h"
#include "http/connection_exchange.h"

#include <cmath>

namespace codecrew::http {
namespace {

// A request's method as a metric label and span name: the methods routes
// use, else "other" (a client may send any token as a method).
std::string knownMethod(const std::string& method) {
  for (const char* known : {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
    if (method == known) return method;
  return "other";
}

}  // namespace

void Connection::startSpan(Exchange& ex, std::string_view traceparent) {
  if (!context_.options.tracer) return;
  auto parent = traceparent.empty() ? std::nullopt : telemetry::parseTraceparent(traceparent);
  ex.span = context_.options.tracer->start(knownMethod(ex.method), telemetry::SpanKind::kServer, parent);
  if (!ex.span.recording()) return;
  ex.span.set("http.request.method", ex.method);
  ex.span.set("url.path", ex.path);
  ex.span.set("client.address", remote_address_);
}

void Connection::noteRoute(Exchange& ex, const std::string& pattern) {
  ex.route = &pattern;
  if (!ex.span.recording()) return;
  ex.span.set("http.route", pattern);
  ex.span.setName(knownMethod(ex.method) + " " + pattern);
}

void Connection::finishExchange(Exchange& ex) {
  if (ex.status == 0) return;  // nothing was sent: no answer to count (the span ends with the exchange)
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - ex.start).count();
  static const std::string kUnmatched = "unmatched";
  const std::string& route = ex.route ? *ex.route : kUnmatched;
  if (context_.requests) {
    const std::string method = knownMethod(ex.method);
    context_.requests->with({route, method, std::to_string(ex.status)}).inc();
    context_.durations->with({route, method}).observe(ms / 1000);
  }
  if (ex.span.recording()) {
    ex.span.set("http.route", route);
    ex.span.set("http.response.status_code", ex.status);
    ex.span.set("codecrew.request_id", ex.request_id);
    if (ex.status >= 500) ex.span.setError("HTTP " + std::to_string(ex.status));
    ex.span.end();
  }
  if (!core::log::enabled(core::log::Level::kInfo)) return;
  core::log::RequestScope scope(ex.request_id);
  core::log::info("http request", {{"method", ex.method},
                                   {"path", ex.path},
                                   {"status", ex.status},
                                   {"duration_ms", std::round(ms * 1000) / 1000},
                                   {"bytes", ex.bytes},
                                   {"remote", remote_address_}});
}

}  // namespace codecrew::http
