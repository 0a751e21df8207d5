// ForwardedStreamDecoder: reads a forwarded OpenAI stream (OpenAI forwarding,
// llm/openai_forwarding.h) as its bytes arrive, in any split: each complete
// SSE frame goes to the sink as it is (with "model" set to the caller's name
// when that is not empty; the usage-only frame left out when
// drop_usage_frame), and only usage and finish_reason are read from the
// frames on the way. A malformed frame or an error event fails the stream as
// OpenAiWire's decoder does, and is not passed on.
// Thread-safety: belongs to one stream.
#pragma once

#include "core/result.h"
#include "llm/forwarded_answer.h"
#include "llm/openai_forwarding.h"
#include "llm/types.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace codecrew::llm {

class ForwardedStreamDecoder {
 public:
  ForwardedStreamDecoder(std::string caller_model, bool drop_usage_frame);

  // Consumes the next bytes of the body, passing on the frames they complete.
  // An error (malformed frame, an error event after the 200) ends the stream.
  core::Status feed(std::string_view bytes, const FrameSink& sink);
  // The body ended: an error if the stream stopped before its final chunk.
  core::Status finish() const;

  // Moves what was read (usage, finish reason) into `answer`, a stream's.
  void readInto(ForwardedAnswer& answer);

 private:
  // One SSE event (its lines and the blank line that ends it).
  core::Status onFrame(std::string_view raw, const FrameSink& sink);

  std::string caller_model_;
  bool drop_usage_frame_;
  std::string pending_;      // bytes of the event not yet complete
  std::size_t scanned_ = 0;  // of pending_, the complete lines already looked at
  std::optional<Usage> usage_;
  std::optional<std::string> finish_reason_;
  bool done_ = false;
};

}  // namespace codecrew::llm
