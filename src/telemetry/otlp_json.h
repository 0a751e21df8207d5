// encodeOtlpTraces: finished spans as the body of an OTLP/HTTP traces export
// (an ExportTraceServiceRequest in the OTLP JSON encoding, Content-Type
// application/json): one resourceSpans with `resource`'s attributes, one
// scopeSpans with the scope's name and version, and the spans in order.
// As the OTLP JSON mapping says: field names in lowerCamelCase; traceId,
// spanId and parentSpanId as lower-case hex (not base64), parentSpanId
// omitted for a root span; kind as the enum's integer (INTERNAL 1, SERVER 2,
// CLIENT 3); times and intValue as decimal strings (64-bit integers);
// doubleValue a number ("NaN", "Infinity", "-Infinity" as strings); status
// {"code": 2, "message"} for an error and omitted otherwise. Strings that are
// not valid UTF-8 have each bad byte replaced by U+FFFD (a collector refuses
// the whole request otherwise).
// Thread-safety: a pure function.
#pragma once

#include "telemetry/span_data.h"

#include <string>
#include <vector>

namespace codecrew::telemetry {

std::string encodeOtlpTraces(const std::vector<SpanData>& spans, const Attributes& resource,
                             const std::string& scope_name, const std::string& scope_version);

}  // namespace codecrew::telemetry
