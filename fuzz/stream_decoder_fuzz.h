// The body of the four stream-decoder targets (one per provider wire
// format): the input is a streamed 2xx body. It is decoded twice, once fed
// whole and once fed in small pieces (a size taken from the input), and the
// deltas of both runs must be the same: a StreamDecoder's contract is that
// any split of the body gives the same stream. The whole-body decoder
// (decodeResponse) gets the input too.
#pragma once

#include "fuzz_input.h"
#include "llm/providers/wire_format.h"
#include "llm/types_json.h"

#include <boost/json/serialize.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace codecrew::fuzz {

// The deltas of one run, as text, and whether the stream ended well.
struct DecodedStream {
  std::string deltas;
  bool ok = true;
};

inline DecodedStream decodeInPieces(const llm::WireFormat& wire, std::string_view body, std::size_t piece) {
  DecodedStream out;
  auto decoder = wire.streamDecoder();
  llm::DeltaSink sink = [&out](const llm::StreamDelta& delta) {
    out.deltas += boost::json::serialize(llm::toJson(delta));
    out.deltas += '\n';
  };
  for (std::size_t at = 0; at < body.size(); at += piece) {
    auto status = decoder->feed(body.substr(at, piece), sink);
    if (!status.ok()) {
      out.ok = false;
      out.deltas += "error: " + status.error().message + '\n';
      return out;
    }
  }
  auto status = decoder->finish(sink);
  if (!status.ok()) {
    out.ok = false;
    out.deltas += "error: " + status.error().message + '\n';
  }
  return out;
}

inline int fuzzStreamDecoder(const llm::WireFormat& wire, const std::uint8_t* data, std::size_t size) {
  auto body = asText(data, size);
  (void)wire.decodeResponse(body);
  if (body.empty()) return 0;
  auto whole = decodeInPieces(wire, body, body.size());
  std::size_t piece = 1 + static_cast<unsigned char>(body.back()) % 17;
  auto split = decodeInPieces(wire, body, piece);
  // A decoder may stop at a different point on an error (a malformed frame
  // is seen once whole); up to then, and whenever both succeed, the deltas
  // must agree.
  if (whole.ok && split.ok && whole.deltas != split.deltas) {
    std::fprintf(
        stderr,
        "stream decoder: the deltas depend on how the body is split (pieces of %zu)\n--- whole:\n%s--- split:\n%s",
        piece, whole.deltas.c_str(), split.deltas.c_str());
    std::abort();
  }
  return 0;
}

}  // namespace codecrew::fuzz
