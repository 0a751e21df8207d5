// FakeOtlpCollector: a fake OpenTelemetry collector on 127.0.0.1 (port 0)
// for tests, on codecrew's own HTTP server. It takes what an OTLP/HTTP
// exporter sends with the JSON encoding:
//  - POST /v1/traces with Content-Type application/json (else 415, as the
//    server does for any JSON route): an ExportTraceServiceRequest, decoded
//    strictly: traceId/spanId/parentSpanId must be lower-case hex of 32/16
//    digits (base64 ids, as protobuf's own JSON mapping would write them,
//    are refused), kind an integer, times and intValue decimal strings. A
//    request that does not decode gets 400 and keeps none of its spans; one
//    that does gets 200 {} and every span is kept, with its resource's and
//    scope's attributes.
//  - scripted faults (enqueueFault) are served first, in order: a status
//    (503 by default) with Retry-After when given, after a delay when given;
//    a fault with status 0 only delays, then the request is taken. A fault
//    answers without keeping the spans.
//  - GET /spans: {"spans": [span...]} as spanJson renders them; DELETE /spans
//    forgets them. POST /_fake/faults takes a fault ({"status", "retry_after",
//    "delay_ms", "count"}) for a collector run as a separate process
//    (the fake_otlp binary); GET /_fake/requests lists the requests.
// Thread-safety: every method may be called from any thread.
#pragma once

#include "core/result.h"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace codecrew::testing {

struct ReceivedSpan {
  std::string name;
  int kind = 0;  // SPAN_KIND_*: 1 internal, 2 server, 3 client
  std::string trace_id;
  std::string span_id;
  std::string parent_span_id;  // "" for a root span
  std::int64_t start_unix_nanos = 0;
  std::int64_t end_unix_nanos = 0;
  // Attribute values as JSON: a string, an int64, a double or a bool.
  std::map<std::string, boost::json::value> attributes;
  int status_code = 0;  // 0 unset, 1 ok, 2 error
  std::string status_message;
  std::map<std::string, boost::json::value> resource;  // the resource's attributes
  std::string scope_name;
  std::string scope_version;
};

struct FakeOtlpFault {
  int status = 503;         // 0: no answer of its own, only the delay
  std::string retry_after;  // the Retry-After header's value, when not empty
  std::chrono::milliseconds delay{0};
};

struct FakeOtlpRequest {
  std::string content_type;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::size_t spans = 0;                       // in the body (0 if it did not decode)
  int status = 0;                              // what it answered
  std::string error;                           // why it answered 400
};

class FakeOtlpCollector {
 public:
  FakeOtlpCollector();
  ~FakeOtlpCollector();
  FakeOtlpCollector(const FakeOtlpCollector&) = delete;
  FakeOtlpCollector& operator=(const FakeOtlpCollector&) = delete;

  // Binds host (127.0.0.1) on `port` (0: a free one) and serves.
  core::Status start(const std::string& host = "127.0.0.1", int port = 0);
  void stop();  // idempotent
  int port() const;
  // "http://127.0.0.1:<port>", the value of OTEL_EXPORTER_OTLP_ENDPOINT.
  std::string baseUrl() const;
  // baseUrl() + "/v1/traces".
  std::string tracesUrl() const;

  void enqueueFault(FakeOtlpFault fault);
  std::vector<ReceivedSpan> spans() const;
  // Waits until at least `n` spans were kept; false after `timeout`.
  bool waitForSpans(std::size_t n, std::chrono::milliseconds timeout) const;
  std::vector<FakeOtlpRequest> requests() const;
  void clear();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

// Decodes an ExportTraceServiceRequest (see above); an error names what is wrong.
core::Result<std::vector<ReceivedSpan>> decodeOtlpTraces(const std::string& body);

// A span as GET /spans shows it: {"name", "kind", "traceId", "spanId",
// "parentSpanId", "startTimeUnixNano", "endTimeUnixNano" (numbers),
// "attributes": {key: value}, "status": {"code", "message"}, "resource":
// {key: value}, "scope": {"name", "version"}}.
boost::json::object spanJson(const ReceivedSpan& span);

}  // namespace codecrew::testing
