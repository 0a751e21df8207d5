#include "telemetry/otlp_json.h"

#include "core/utf8.h"

#include <charconv>
#include <cmath>
#include <string_view>

namespace codecrew::telemetry {
namespace {

// Appends `s` as a JSON string: quoted, escaped, and valid UTF-8 (each byte
// that starts no well-formed sequence becomes U+FFFD).
void appendText(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const std::size_t n = core::utf8SequenceLength(s, i);
      if (n == 0) {
        out += "\xEF\xBF\xBD";
        ++i;
      } else {
        out.append(s.substr(i, n));
        i += n;
      }
      continue;
    }
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += kHex[c >> 4];
          out += kHex[c & 0xf];
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  out += '"';
}

// "key":"value" for an id, a number written as a string, or any text.
void appendMember(std::string& out, std::string_view key, std::string_view text) {
  out += '"';
  out += key;
  out += "\":";
  appendText(out, text);
}

void appendAnyValue(std::string& out, const AttributeValue& value) {
  if (const auto* s = std::get_if<std::string>(&value)) {
    out += "{\"stringValue\":";
    appendText(out, *s);
  } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
    out += "{\"intValue\":\"" + std::to_string(*i) + '"';
  } else if (const auto* d = std::get_if<double>(&value)) {
    out += "{\"doubleValue\":";
    if (std::isnan(*d)) {
      out += "\"NaN\"";
    } else if (std::isinf(*d)) {
      out += *d > 0 ? "\"Infinity\"" : "\"-Infinity\"";
    } else {
      char buf[32];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, *d);
      out.append(buf, ec == std::errc() ? end : buf);
    }
  } else {
    out += std::get<bool>(value) ? "{\"boolValue\":true" : "{\"boolValue\":false";
  }
  out += '}';
}

void appendAttributes(std::string& out, const Attributes& attrs) {
  out += '[';
  for (std::size_t i = 0; i < attrs.size(); ++i) {
    if (i > 0) out += ',';
    out += '{';
    appendMember(out, "key", attrs[i].first);
    out += ",\"value\":";
    appendAnyValue(out, attrs[i].second);
    out += '}';
  }
  out += ']';
}

int kindNumber(SpanKind kind) {
  switch (kind) {
    case SpanKind::kInternal: return 1;
    case SpanKind::kServer: return 2;
    case SpanKind::kClient: return 3;
  }
  return 0;  // SPAN_KIND_UNSPECIFIED
}

void appendSpan(std::string& out, const SpanData& s) {
  out += '{';
  appendMember(out, "traceId", s.context.traceIdHex());
  out += ',';
  appendMember(out, "spanId", s.context.spanIdHex());
  if (s.parent) {
    out += ',';
    appendMember(out, "parentSpanId", toHex(s.parent->data(), s.parent->size()));
  }
  out += ',';
  appendMember(out, "name", s.name);
  out += ",\"kind\":" + std::to_string(kindNumber(s.kind)) + ',';
  appendMember(out, "startTimeUnixNano", std::to_string(s.start_unix_nanos));
  out += ',';
  appendMember(out, "endTimeUnixNano", std::to_string(s.end_unix_nanos));
  if (!s.attributes.empty()) {
    out += ",\"attributes\":";
    appendAttributes(out, s.attributes);
  }
  if (s.error) {
    out += ",\"status\":{\"code\":2";
    if (!s.status_message.empty()) {
      out += ',';
      appendMember(out, "message", s.status_message);
    }
    out += '}';
  }
  out += '}';
}

}  // namespace

std::string encodeOtlpTraces(const std::vector<SpanData>& spans, const Attributes& resource,
                             const std::string& scope_name, const std::string& scope_version) {
  // Written directly, not through a JSON document: a batch of 512 spans is
  // encoded on every export, and building the document cost ten times more.
  std::string out;
  out.reserve(256 + spans.size() * 640);
  out += "{\"resourceSpans\":[{\"resource\":{\"attributes\":";
  appendAttributes(out, resource);
  out += "},\"scopeSpans\":[{\"scope\":{";
  appendMember(out, "name", scope_name);
  if (!scope_version.empty()) {
    out += ',';
    appendMember(out, "version", scope_version);
  }
  out += "},\"spans\":[";
  for (std::size_t i = 0; i < spans.size(); ++i) {
    if (i > 0) out += ',';
    appendSpan(out, spans[i]);
  }
  out += "]}]}]}";
  return out;
}

}  // namespace codecrew::telemetry
