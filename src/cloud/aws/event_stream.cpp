#include "cloud/aws/event_stream.h"

#include <boost/crc.hpp>

namespace codecrew::cloud::aws {

namespace {

std::uint32_t eventStreamReadU32(std::string_view b, std::size_t at) {
  return (static_cast<std::uint32_t>(static_cast<unsigned char>(b[at])) << 24) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 1])) << 16) |
         (static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 2])) << 8) |
         static_cast<std::uint32_t>(static_cast<unsigned char>(b[at + 3]));
}

void eventStreamPutU32(std::string& out, std::uint32_t v) {
  out.push_back(static_cast<char>(v >> 24));
  out.push_back(static_cast<char>(v >> 16));
  out.push_back(static_cast<char>(v >> 8));
  out.push_back(static_cast<char>(v));
}

core::Error eventStreamBroken(std::string why) {
  return core::Error{core::ErrorCode::kUnavailable, "malformed event-stream message: " + why, nullptr};
}

// The fixed size of a header value of this type, or -1 when it carries a
// u16 length, or -2 for an unknown type.
int eventStreamValueSize(std::uint8_t type) {
  switch (type) {
    case 0:
    case 1: return 0;
    case 2: return 1;
    case 3: return 2;
    case 4: return 4;
    case 5:
    case 8: return 8;
    case 9: return 16;
    case 6:
    case 7: return -1;
    default: return -2;
  }
}

core::Result<std::vector<EventStreamHeader>> eventStreamParseHeaders(std::string_view block) {
  std::vector<EventStreamHeader> out;
  std::size_t at = 0;
  while (at < block.size()) {
    std::size_t name_len = static_cast<unsigned char>(block[at++]);
    if (name_len == 0 || at + name_len + 1 > block.size())
      return eventStreamBroken("a header name runs past the headers");
    EventStreamHeader h;
    h.name.assign(block.substr(at, name_len));
    at += name_len;
    auto type = static_cast<std::uint8_t>(block[at++]);
    int size = eventStreamValueSize(type);
    if (size == -2) return eventStreamBroken("header '" + h.name + "' has unknown type " + std::to_string(type));
    std::size_t len = 0;
    if (size == -1) {
      if (at + 2 > block.size()) return eventStreamBroken("header '" + h.name + "' runs past the headers");
      len = (static_cast<std::size_t>(static_cast<unsigned char>(block[at])) << 8) |
            static_cast<unsigned char>(block[at + 1]);
      at += 2;
    } else {
      len = static_cast<std::size_t>(size);
    }
    if (at + len > block.size()) return eventStreamBroken("header '" + h.name + "' runs past the headers");
    h.type = static_cast<EventStreamHeaderType>(type);
    h.value.assign(block.substr(at, len));
    at += len;
    out.push_back(std::move(h));
  }
  return out;
}

}  // namespace

std::string EventStreamMessage::header(std::string_view name) const {
  for (const auto& h : headers) {
    if (h.name == name && (h.type == EventStreamHeaderType::kString || h.type == EventStreamHeaderType::kBytes))
      return h.value;
  }
  return "";
}

std::uint32_t eventStreamCrc32(std::string_view bytes) {
  boost::crc_32_type crc;
  crc.process_bytes(bytes.data(), bytes.size());
  return crc.checksum();
}

std::string encodeEventStreamMessage(const EventStreamMessage& message) {
  std::string headers;
  for (const auto& h : message.headers) {
    headers.push_back(static_cast<char>(h.name.size()));
    headers += h.name;
    auto type = static_cast<std::uint8_t>(h.type);
    headers.push_back(static_cast<char>(type));
    if (eventStreamValueSize(type) == -1) {
      headers.push_back(static_cast<char>(h.value.size() >> 8));
      headers.push_back(static_cast<char>(h.value.size() & 0xff));
    }
    headers += h.value;
  }
  std::string out;
  auto total = static_cast<std::uint32_t>(12 + headers.size() + message.payload.size() + 4);
  eventStreamPutU32(out, total);
  eventStreamPutU32(out, static_cast<std::uint32_t>(headers.size()));
  eventStreamPutU32(out, eventStreamCrc32(out));
  out += headers;
  out += message.payload;
  eventStreamPutU32(out, eventStreamCrc32(out));
  return out;
}

core::Status EventStreamDecoder::feed(std::string_view bytes, const Sink& sink) {
  if (failed_) return *failed_;
  buffer_.append(bytes);
  std::size_t at = 0;
  auto fail = [&](core::Error e) {
    failed_ = e;
    buffer_.clear();
    return e;
  };
  while (buffer_.size() - at >= 12) {
    std::string_view view(buffer_);
    std::uint32_t total = eventStreamReadU32(view, at);
    std::uint32_t headers_len = eventStreamReadU32(view, at + 4);
    if (eventStreamCrc32(view.substr(at, 8)) != eventStreamReadU32(view, at + 8))
      return fail(eventStreamBroken("prelude CRC mismatch"));
    if (total < 16 || total > kEventStreamMaxMessage)
      return fail(eventStreamBroken("message length " + std::to_string(total) + " out of bounds"));
    if (headers_len > kEventStreamMaxHeaders || headers_len > total - 16)
      return fail(eventStreamBroken("headers length " + std::to_string(headers_len) + " out of bounds"));
    if (buffer_.size() - at < total) break;
    auto whole = view.substr(at, total);
    if (eventStreamCrc32(whole.substr(0, total - 4)) != eventStreamReadU32(whole, total - 4))
      return fail(eventStreamBroken("message CRC mismatch"));
    auto headers = eventStreamParseHeaders(whole.substr(12, headers_len));
    if (!headers.ok()) return fail(headers.error());
    EventStreamMessage message;
    message.headers = std::move(headers.value());
    message.payload.assign(whole.substr(12 + headers_len, total - 16 - headers_len));
    at += total;
    auto handled = sink(std::move(message));
    if (!handled.ok()) return fail(handled.error());
  }
  buffer_.erase(0, at);
  return core::okStatus();
}

core::Status EventStreamDecoder::finish() const {
  if (failed_) return *failed_;
  if (!buffer_.empty())
    return eventStreamBroken("the stream ended inside a message (" + std::to_string(buffer_.size()) + " bytes left)");
  return core::okStatus();
}

}  // namespace codecrew::cloud::aws
