// OpenAiDialect: the OpenAI chat-completions shape as callers send it
// (POST /v1/chat/completions): messages with text or image parts, tools and
// tool_choice, response_format (json_object, json_schema), stop, max_tokens
// or max_completion_tokens, stream with stream_options.include_usage; and
// its answers: chat.completion objects, chat.completion.chunk SSE frames
// (tool-call deltas included) ending in "data: [DONE]", and the error
// object {"error": {"message", "type", "param", "code"}}.
// Thread-safety: see dialect.h.
#pragma once

#include "gateway/dialect.h"

namespace codecrew::gateway {

class OpenAiDialect final : public Dialect {
 public:
  core::Result<ParsedCall> parseRequest(std::string_view body) const override;
  std::string renderResponse(const llm::ChatResponse& response, const ParsedCall& call,
                             core::Millis now) const override;
  std::unique_ptr<StreamRenderer> streamRenderer(const ParsedCall& call, core::Millis now) const override;
  std::string renderError(const GatewayFailure& failure) const override;
};

// OpenAI's words for a finish reason.
std::string_view openAiFinishName(llm::FinishReason reason);

}  // namespace codecrew::gateway
