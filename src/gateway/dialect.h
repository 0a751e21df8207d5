// Dialect: one client-facing API shape the gateway speaks (OpenAI chat
// completions, Anthropic messages): it parses a caller's request body into
// the LLM layer's normalised ChatRequest and renders normalised responses,
// stream deltas and failures back in that shape. The provider-facing side of
// the same translation is the LLM layer's WireFormat (llm/providers/), so a
// caller of either dialect reaches a model of any provider.
// Thread-safety: a Dialect is immutable and may be used from any thread; a
// StreamRenderer belongs to one streamed call and is used by one caller at a
// time.
#pragma once

#include "core/clock.h"
#include "core/result.h"
#include "gateway/gateway_failure.h"
#include "llm/openai_forwarding.h"
#include "llm/types.h"

#include <memory>
#include <string>
#include <string_view>

namespace codecrew::gateway {

// A caller's request, normalised.
struct ParsedCall {
  llm::ChatRequest request;  // request.model is the name the caller asked for
  bool stream = false;
  bool include_usage = false;  // OpenAI stream_options.include_usage
  // The OpenAI dialect's body as the caller sent it, for providers that can
  // forward it as it is (llm/openai_forwarding.h); null in other dialects.
  std::shared_ptr<const llm::OpenAiRequest> openai_request;
};

// Turns one call's deltas into the dialect's stream frames. Every method
// returns complete frames (possibly several, possibly none) to send as they are.
class StreamRenderer {
 public:
  virtual ~StreamRenderer() = default;
  // Frames for one delta, sent as soon as it arrives. Finish and usage
  // deltas are held back: the closing frames carry them.
  virtual std::string delta(const llm::StreamDelta& delta) = 0;
  // The closing frames, from the whole response the stream amounted to.
  virtual std::string finish(const llm::ChatResponse& response) = 0;
  // A failure after the stream began (its status line is already sent).
  virtual std::string error(const GatewayFailure& failure) = 0;
};

class Dialect {
 public:
  virtual ~Dialect() = default;
  // kInvalidArgument (via badRequest) naming the field at fault.
  virtual core::Result<ParsedCall> parseRequest(std::string_view body) const = 0;
  // The whole (non-streamed) answer; `model` is the name the caller used.
  virtual std::string renderResponse(const llm::ChatResponse& response, const std::string& model,
                                     core::Millis now) const = 0;
  virtual std::unique_ptr<StreamRenderer> streamRenderer(const std::string& model, bool include_usage,
                                                         core::Millis now) const = 0;
  // The error body in the dialect's shape.
  virtual std::string renderError(const GatewayFailure& failure) const = 0;
};

}  // namespace codecrew::gateway
