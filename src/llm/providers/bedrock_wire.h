// BedrockWire: Amazon Bedrock's Converse API (POST {endpoint}/model/{model
// id, URL-encoded}/converse) and ConverseStream (/converse-stream, a body of
// AWS event-stream frames), signed with AWS Signature Version 4 (service
// "bedrock") at encode() time with the credentials and region it was built
// with and the clock's time.
//  - Request: system blocks, messages of text/image/toolUse/toolResult
//    content blocks (consecutive tool results share one user turn),
//    toolConfig (tools with inputSchema.json; toolChoice auto/any/tool; "none"
//    sends no toolChoice, as the API has none), inferenceConfig (maxTokens,
//    temperature, stopSequences). A JSON response_format becomes a system
//    instruction.
//  - Response: output.message.content, stopReason (end_turn and
//    stop_sequence -> stop, max_tokens -> length, tool_use -> tool_calls,
//    guardrail_intervened and content_filtered -> content_filter), usage
//    (inputTokens, outputTokens, cacheReadInputTokens).
//  - Stream: messageStart, contentBlockStart (toolUse), contentBlockDelta
//    (text, toolUse input), contentBlockStop, messageStop, metadata (usage);
//    an exception frame (:message-type exception, e.g. throttlingException)
//    or an error frame is the call's error; a stream that ends before
//    messageStop is a network failure.
//  - Errors (non-2xx): bedrockFailure() (provider_error.h) names what to do.
// Thread-safety: immutable after construction (the clock is thread-safe).
#pragma once

#include "cloud/aws/aws_credentials.h"
#include "core/clock.h"
#include "llm/providers/wire_format.h"

#include <memory>

namespace codecrew::llm {

struct BedrockAuth {
  cloud::aws::AwsCredentials credentials;
  std::string region;
};

class BedrockWire final : public WireFormat {
 public:
  BedrockWire(Endpoint endpoint, BedrockAuth auth, std::shared_ptr<core::Clock> clock);

  core::Result<http::ClientRequest> encode(const ChatRequest& request, bool stream) const override;
  core::Result<ChatResponse> decodeResponse(std::string_view body) const override;
  std::unique_ptr<StreamDecoder> streamDecoder() const override;
  core::Error failure(std::string_view provider, const http::ClientRequest& request, int status,
                      const http::Headers& headers, std::string_view body, core::Millis now) const override;

  core::Result<boost::json::object> encodeBody(const ChatRequest& request) const;

 private:
  Endpoint endpoint_;
  BedrockAuth auth_;
  std::shared_ptr<core::Clock> clock_;
};

FinishReason bedrockFinishReason(std::string_view raw);

}  // namespace codecrew::llm
