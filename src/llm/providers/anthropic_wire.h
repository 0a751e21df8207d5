// AnthropicWire: the Anthropic Messages API (POST /v1/messages): system
// prompt apart from the messages, tool_use/tool_result content blocks, and
// the event stream (message_start, content_block_*, input_json_delta,
// cumulative usage in message_delta, ping, and error events after a 200).
// A JSON-schema response_format becomes a system instruction (the API has no
// native one).
// Thread-safety: immutable after construction.
#pragma once

#include "llm/providers/wire_format.h"

namespace codecrew::llm {

class AnthropicWire final : public WireFormat {
 public:
  explicit AnthropicWire(Endpoint endpoint);

  core::Result<http::ClientRequest> encode(const ChatRequest& request, bool stream) const override;
  core::Result<ChatResponse> decodeResponse(std::string_view body) const override;
  std::unique_ptr<StreamDecoder> streamDecoder() const override;

  boost::json::object encodeBody(const ChatRequest& request, bool stream) const;

  static constexpr std::int64_t kDefaultMaxTokens = 4096;  // the API requires max_tokens

 private:
  Endpoint endpoint_;
};

FinishReason anthropicFinishReason(std::string_view raw);

}  // namespace codecrew::llm
