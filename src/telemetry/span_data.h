// SpanData: one finished span as exporters see it, and SpanSink, where a
// Tracer hands finished spans (an exporter, or a test's recorder).
// Thread-safety: SpanSink::submit may be called from any thread and must
// not block (an exporter queues the span, dropping it when its queue is
// full).
#pragma once

#include "telemetry/trace_context.h"

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace codecrew::telemetry {

enum class SpanKind { kInternal, kServer, kClient };

using AttributeValue = std::variant<std::string, std::int64_t, double, bool>;
using Attributes = std::vector<std::pair<std::string, AttributeValue>>;

struct SpanData {
  std::string name;
  SpanKind kind = SpanKind::kInternal;
  TraceContext context;          // this span's trace and span ids
  std::optional<SpanId> parent;  // absent for a root span
  std::int64_t start_unix_nanos = 0;
  std::int64_t end_unix_nanos = 0;
  Attributes attributes;
  bool error = false;          // OTLP status code ERROR; otherwise UNSET
  std::string status_message;  // with error
};

class SpanSink {
 public:
  virtual ~SpanSink() = default;
  virtual void submit(SpanData span) = 0;
};

}  // namespace codecrew::telemetry
