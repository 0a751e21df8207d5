// The AWS event-stream framing (application/vnd.amazon.eventstream), the body
// of Bedrock's ConverseStream and other streaming AWS APIs. One message:
//   prelude: total length (u32 BE), headers length (u32 BE), prelude CRC32
//            (of the 8 bytes before it);
//   headers: name length (u8), name, value type (u8), value (by type:
//            0/1 bool true/false with no bytes, 2 byte, 3 int16, 4 int32,
//            5 int64, 6 bytes and 7 string with a u16 BE length, 8 timestamp
//            (int64 ms), 9 uuid (16 bytes));
//   payload: the rest;
//   message CRC32 (of everything before it).
// CRC32 is the IEEE/zlib one (Boost.CRC's crc_32_type).
// EventStreamDecoder takes the bytes in any pieces and hands out whole
// messages; a bad prelude CRC, a bad message CRC, a length over the limits
// (16 MiB a message, 128 KiB of headers) or under the minimum, or a header
// that runs past its block is an error (kUnavailable) and ends decoding; bytes
// left over at finish() are a truncated message (kUnavailable).
// encodeEventStreamMessage writes one message (for the fake and tests).
// Thread-safety: the decoder belongs to one stream; the rest are pure.
#pragma once

#include "core/result.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace codecrew::cloud::aws {

enum class EventStreamHeaderType : std::uint8_t {
  kBoolTrue = 0,
  kBoolFalse = 1,
  kByte = 2,
  kInt16 = 3,
  kInt32 = 4,
  kInt64 = 5,
  kBytes = 6,
  kString = 7,
  kTimestamp = 8,
  kUuid = 9,
};

struct EventStreamHeader {
  std::string name;
  EventStreamHeaderType type = EventStreamHeaderType::kString;
  std::string value;  // strings and bytes as they are; other types their raw big-endian bytes
};

struct EventStreamMessage {
  std::vector<EventStreamHeader> headers;
  std::string payload;

  // The value of a string header, "" if absent.
  std::string header(std::string_view name) const;
};

inline constexpr std::size_t kEventStreamMaxMessage = 16 * 1024 * 1024;
inline constexpr std::size_t kEventStreamMaxHeaders = 128 * 1024;

std::uint32_t eventStreamCrc32(std::string_view bytes);

std::string encodeEventStreamMessage(const EventStreamMessage& message);

class EventStreamDecoder {
 public:
  using Sink = std::function<core::Status(EventStreamMessage)>;

  // Consumes bytes; calls sink for each complete message. The first error
  // (of the framing or returned by the sink) ends decoding and is returned
  // again by every later call.
  core::Status feed(std::string_view bytes, const Sink& sink);
  // The stream ended: an error if part of a message is left over.
  core::Status finish() const;

 private:
  std::string buffer_;
  std::optional<core::Error> failed_;
};

}  // namespace codecrew::cloud::aws
