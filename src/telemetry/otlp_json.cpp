#include "telemetry/otlp_json.h"

#include <boost/json.hpp>

#include <cmath>
#include <string_view>

namespace codecrew::telemetry {
namespace {

namespace bj = boost::json;

// The length of the well-formed UTF-8 sequence at s[i], or 0.
std::size_t sequenceLength(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  std::size_t extra = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte
  if (c >= 0xC2 && c <= 0xDF) extra = 1;
  else if (c == 0xE0) extra = 2, lo = 0xA0;
  else if (c == 0xED) extra = 2, hi = 0x9F;
  else if (c >= 0xE1 && c <= 0xEF) extra = 2;
  else if (c == 0xF0) extra = 3, lo = 0x90;
  else if (c >= 0xF1 && c <= 0xF3) extra = 3;
  else if (c == 0xF4) extra = 3, hi = 0x8F;
  else return 0;
  if (i + extra >= s.size()) return 0;
  for (std::size_t k = 1; k <= extra; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if (k == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return 0;
  }
  return extra + 1;
}

// `s` as valid UTF-8: each byte that starts no well-formed sequence becomes U+FFFD.
bj::string text(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t n = sequenceLength(s, i);
    if (n == 0) break;
    i += n;
  }
  if (i == s.size()) return bj::string(s);
  bj::string out(s.substr(0, i));
  while (i < s.size()) {
    const std::size_t n = sequenceLength(s, i);
    if (n == 0) {
      out.append("\xEF\xBF\xBD");
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

bj::object anyValue(const AttributeValue& value) {
  bj::object v;
  if (const auto* s = std::get_if<std::string>(&value)) {
    v["stringValue"] = text(*s);
  } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
    v["intValue"] = std::to_string(*i);
  } else if (const auto* d = std::get_if<double>(&value)) {
    if (std::isnan(*d)) v["doubleValue"] = "NaN";
    else if (std::isinf(*d)) v["doubleValue"] = *d > 0 ? "Infinity" : "-Infinity";
    else v["doubleValue"] = *d;
  } else {
    v["boolValue"] = std::get<bool>(value);
  }
  return v;
}

bj::array attributes(const Attributes& attrs) {
  bj::array out;
  out.reserve(attrs.size());
  for (const auto& [key, value] : attrs) out.push_back(bj::object{{"key", text(key)}, {"value", anyValue(value)}});
  return out;
}

int kindNumber(SpanKind kind) {
  switch (kind) {
    case SpanKind::kInternal: return 1;
    case SpanKind::kServer: return 2;
    case SpanKind::kClient: return 3;
  }
  return 0;  // SPAN_KIND_UNSPECIFIED
}

bj::object span(const SpanData& s) {
  bj::object o;
  o["traceId"] = s.context.traceIdHex();
  o["spanId"] = s.context.spanIdHex();
  if (s.parent) o["parentSpanId"] = toHex(s.parent->data(), s.parent->size());
  o["name"] = text(s.name);
  o["kind"] = kindNumber(s.kind);
  o["startTimeUnixNano"] = std::to_string(s.start_unix_nanos);
  o["endTimeUnixNano"] = std::to_string(s.end_unix_nanos);
  if (!s.attributes.empty()) o["attributes"] = attributes(s.attributes);
  if (s.error) {
    bj::object status{{"code", 2}};
    if (!s.status_message.empty()) status["message"] = text(s.status_message);
    o["status"] = std::move(status);
  }
  return o;
}

}  // namespace

std::string encodeOtlpTraces(const std::vector<SpanData>& spans, const Attributes& resource,
                             const std::string& scope_name, const std::string& scope_version) {
  bj::array out_spans;
  out_spans.reserve(spans.size());
  for (const auto& s : spans) out_spans.push_back(span(s));
  bj::object scope{{"name", text(scope_name)}};
  if (!scope_version.empty()) scope["version"] = text(scope_version);
  bj::object scope_spans;
  scope_spans["scope"] = std::move(scope);
  scope_spans["spans"] = std::move(out_spans);
  bj::array scope_list;
  scope_list.push_back(std::move(scope_spans));
  bj::object resource_spans;
  resource_spans["resource"] = bj::object{{"attributes", attributes(resource)}};
  resource_spans["scopeSpans"] = std::move(scope_list);
  bj::array resource_list;
  resource_list.push_back(std::move(resource_spans));
  bj::object request;
  request["resourceSpans"] = std::move(resource_list);
  return bj::serialize(request);
}

}  // namespace codecrew::telemetry
