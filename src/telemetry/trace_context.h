// TraceContext: the W3C Trace Context of a span (trace id, span id, sampled
// flag), as carried by the `traceparent` header
// ("00-<32 hex trace id>-<16 hex span id>-<2 hex flags>").
// parseTraceparent accepts version 00 exactly as the recommendation says
// (lower-case hex, non-zero ids, 55 characters) and later versions by their
// first 55 characters; anything else is no context (std::nullopt), never an
// error: a malformed header from a client starts a new trace.
// Thread-safety: values; newTraceId/newSpanId are safe from any thread.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace codecrew::telemetry {

using TraceId = std::array<std::uint8_t, 16>;
using SpanId = std::array<std::uint8_t, 8>;

struct TraceContext {
  TraceId trace_id{};
  SpanId span_id{};
  bool sampled = false;

  // Both ids non-zero.
  bool valid() const;
  // The `traceparent` header value; "" when not valid().
  std::string traceparent() const;
  std::string traceIdHex() const;  // 32 lower-case hex digits
  std::string spanIdHex() const;   // 16 lower-case hex digits
};

std::optional<TraceContext> parseTraceparent(std::string_view header);

// Random non-zero ids (a per-thread generator seeded from the OS).
TraceId newTraceId();
SpanId newSpanId();

std::string toHex(const std::uint8_t* bytes, std::size_t size);

}  // namespace codecrew::telemetry
