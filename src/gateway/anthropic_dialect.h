// AnthropicDialect: the Anthropic Messages shape as callers send it
// (POST /v1/messages): a system prompt (string or text blocks) apart from
// the messages, content blocks (text, image, tool_use, tool_result), tools
// with input_schema and tool_choice, stop_sequences, max_tokens; and its
// answers: message objects, the event stream (message_start,
// content_block_start/delta/stop with text_delta and input_json_delta,
// message_delta with stop_reason and usage, message_stop), and the error
// object {"type": "error", "error": {"type", "message"}}.
// Thread-safety: see dialect.h.
#pragma once

#include "gateway/dialect.h"

namespace codecrew::gateway {

class AnthropicDialect final : public Dialect {
 public:
  core::Result<ParsedCall> parseRequest(std::string_view body) const override;
  std::string renderResponse(const llm::ChatResponse& response, const ParsedCall& call,
                             core::Millis now) const override;
  std::unique_ptr<StreamRenderer> streamRenderer(const ParsedCall& call, core::Millis now) const override;
  std::string renderError(const GatewayFailure& failure) const override;
};

// A POST /v1/messages/count_tokens body (a messages request without
// max_tokens), normalised; errors as parseRequest.
core::Result<llm::ChatRequest> parseCountTokensRequest(std::string_view body);

// Anthropic's words for a finish reason (end_turn, max_tokens, tool_use).
std::string_view anthropicStopReason(llm::FinishReason reason);

}  // namespace codecrew::gateway
