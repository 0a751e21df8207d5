#include "telemetry/trace_context.h"

#include <random>

namespace codecrew::telemetry {
namespace {

template <std::size_t N>
bool nonZero(const std::array<std::uint8_t, N>& id) {
  for (auto b : id)
    if (b != 0) return true;
  return false;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // upper case is not allowed by the recommendation
}

template <std::size_t N>
bool parseHex(std::string_view text, std::array<std::uint8_t, N>& out) {
  if (text.size() != 2 * N) return false;
  for (std::size_t i = 0; i < N; ++i) {
    int hi = hexValue(text[2 * i]), lo = hexValue(text[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out[i] = static_cast<std::uint8_t>(hi * 16 + lo);
  }
  return true;
}

std::mt19937_64& generator() {
  thread_local std::mt19937_64 rng{[] {
    std::random_device device;
    return (std::uint64_t(device()) << 32) ^ device();
  }()};
  return rng;
}

template <std::size_t N>
std::array<std::uint8_t, N> randomId() {
  std::array<std::uint8_t, N> id{};
  do {
    for (std::size_t i = 0; i < N; i += 8) {
      std::uint64_t v = generator()();
      for (std::size_t j = 0; j < 8 && i + j < N; ++j) id[i + j] = static_cast<std::uint8_t>(v >> (8 * j));
    }
  } while (!nonZero(id));
  return id;
}

}  // namespace

std::string toHex(const std::uint8_t* bytes, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0xf];
  }
  return out;
}

bool TraceContext::valid() const { return nonZero(trace_id) && nonZero(span_id); }

std::string TraceContext::traceIdHex() const { return toHex(trace_id.data(), trace_id.size()); }
std::string TraceContext::spanIdHex() const { return toHex(span_id.data(), span_id.size()); }

std::string TraceContext::traceparent() const {
  if (!valid()) return "";
  return "00-" + traceIdHex() + "-" + spanIdHex() + (sampled ? "-01" : "-00");
}

std::optional<TraceContext> parseTraceparent(std::string_view header) {
  // Optional whitespace around the value is allowed (RFC 9110 field values).
  while (!header.empty() && (header.front() == ' ' || header.front() == '\t')) header.remove_prefix(1);
  while (!header.empty() && (header.back() == ' ' || header.back() == '\t')) header.remove_suffix(1);
  if (header.size() < 55) return std::nullopt;
  std::array<std::uint8_t, 1> version{}, flags{};
  if (!parseHex(header.substr(0, 2), version) || version[0] == 0xff) return std::nullopt;
  // Version 00 is exactly 55 characters; a later version may append fields after a '-'.
  if (version[0] == 0 ? header.size() != 55 : (header.size() > 55 && header[55] != '-')) return std::nullopt;
  if (header[2] != '-' || header[35] != '-' || header[52] != '-') return std::nullopt;
  TraceContext ctx;
  if (!parseHex(header.substr(3, 32), ctx.trace_id) || !parseHex(header.substr(36, 16), ctx.span_id) ||
      !parseHex(header.substr(53, 2), flags))
    return std::nullopt;
  if (!ctx.valid()) return std::nullopt;
  ctx.sampled = (flags[0] & 0x01) != 0;
  return ctx;
}

TraceId newTraceId() { return randomId<16>(); }
SpanId newSpanId() { return randomId<8>(); }

}  // namespace codecrew::telemetry
