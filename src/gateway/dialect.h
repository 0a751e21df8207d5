// Dialect: one client-facing API shape the gateway speaks (OpenAI chat
// completions, OpenAI responses, Anthropic messages): it parses a caller's request body into
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

#include <boost/json/object.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace codecrew::gateway {

// A caller's request, normalised.
struct ParsedCall {
  llm::ChatRequest request;  // request.model is the name the caller asked for
  bool stream = false;
  bool include_usage = false;  // OpenAI stream_options.include_usage
  // The OpenAI dialect's body as the caller sent it, for providers that can
  // forward it as it is (llm/openai_forwarding.h); null in other dialects.
  std::shared_ptr<const llm::OpenAiRequest> openai_request;

  // The Responses API's (responses_dialect.h); empty in other dialects.
  // request.messages holds the call's own input: instructions and the
  // conversation of previous_response_id are added by the gateway
  // (Gateway::prepareConversation), which keeps the exchange under
  // response_id when store is set.
  std::string response_id;           // "resp_...", the answer's id
  std::string previous_response_id;  // the conversation this call continues
  std::string instructions;          // a system message before the conversation
  // item_reference input items: (the index in request.messages the
  // referenced item goes before, its id), in order.
  std::vector<std::pair<std::size_t, std::string>> item_references;
  bool store = false;
  // The request's settings that the response object repeats (tools,
  // tool_choice, text, temperature, metadata...).
  std::shared_ptr<const boost::json::object> echo;
  // The conversation to keep under response_id once answered (set by
  // prepareConversation when store is set).
  std::shared_ptr<std::vector<llm::Message>> kept;
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
  // The whole (non-streamed) answer to `call` (call.request.model is the
  // name the caller used; the request's messages may have gone).
  virtual std::string renderResponse(const llm::ChatResponse& response, const ParsedCall& call,
                                     core::Millis now) const = 0;
  virtual std::unique_ptr<StreamRenderer> streamRenderer(const ParsedCall& call, core::Millis now) const = 0;
  // The error body in the dialect's shape.
  virtual std::string renderError(const GatewayFailure& failure) const = 0;
};

}  // namespace codecrew::gateway
