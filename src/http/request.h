// Request: an HTTP request as handlers see it, with no Beast types, so api/
// does not compile Beast. Filled by the server; path params by the router.
// Thread-safety: a plain value, owned by one handler invocation.
#pragma once

#include "telemetry/trace_context.h"

#include <boost/asio/any_io_executor.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace codecrew::http {

struct CaseInsensitiveLess {
  bool operator()(std::string_view a, std::string_view b) const;
  using is_transparent = void;
};

struct Request {
  std::string method;                                      // upper case: GET, POST, ...
  std::string target;                                      // as received: path and query
  std::string path;                                        // percent-decoded path, without the query
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::map<std::string, std::string, CaseInsensitiveLess> headers;
  std::string body;
  std::map<std::string, std::string> params;  // path parameters, set by the router
  std::string request_id;                     // X-Request-Id in, or generated
  std::string remote_address;
  // The connection's I/O thread (set by the server; empty in requests built
  // by hand). An inline handler (RouteOptions::runs_inline) that starts a
  // coroutine for this request starts it here, so it never changes threads.
  boost::asio::any_io_executor io;
  // The server span of this exchange (ServerOptions::tracer): the parent of
  // the spans of what the request starts, and the traceparent sent on to
  // model providers. Invalid when there is no tracing and no traceparent came.
  telemetry::TraceContext trace;

  // First value of a query parameter.
  std::optional<std::string> queryParam(std::string_view name) const;
  std::optional<std::string> header(std::string_view name) const;
  // A path parameter the route declared (empty if absent).
  const std::string& param(const std::string& name) const;
};

}  // namespace codecrew::http
