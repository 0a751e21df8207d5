// OpenAI pass-through: when a caller's OpenAI chat-completions body
// (ChatRequest::openai_body) goes to a provider that speaks OpenAI's wire,
// the body is forwarded as the caller sent it and the answer comes back as
// the provider sent it, instead of decoding and re-encoding both. Changed
// are only:
//  - the request's "model", when the routed model's name differs from the
//    caller's (an alias, a fallback), and then the answer's "model" (whole,
//    or in each stream frame) back to the caller's name;
//  - for a stream whose caller did not ask for usage, the request gains
//    "stream_options": {"include_usage": true} (so that the call's usage is
//    known) and the usage-only frame this adds is not forwarded; the other
//    frames then carry "usage": null, as OpenAI sends them.
// A stream whose stream_options say anything else is not forwarded (encoded
// as usual). Only usage and finish_reason are read on the way; the rest of
// the answer is decoded later, for the call record (decodeForwardedAnswer).
// Thread-safety: pure functions; a decoder belongs to one stream.
#pragma once

#include "core/result.h"
#include "llm/providers/wire_format.h"
#include "llm/types.h"

#include <boost/json/object.hpp>

#include <memory>
#include <string>
#include <string_view>

namespace codecrew::llm {

// Whether `body` can be forwarded for a call (streamed or not).
bool canForward(const OpenAiBody& body, bool stream);

// The body to send for `model`. kInvalidArgument if body.text is not a JSON
// object.
core::Result<std::string> forwardedRequestBody(const OpenAiBody& body, const std::string& model, bool stream);

// The caller's model name when the answer must carry it instead of the
// provider's (the request's model was changed), else "".
std::string callerModelToRestore(const ChatRequest& request);

// A whole 2xx answer: forwarded, forwarded_body = body ("model" set to
// `caller_model` when that is not empty), usage and finish_reason read.
// kMalformed when the body is not an object with a non-empty "choices" array.
core::Result<ChatResponse> forwardedAnswer(std::string body, const std::string& caller_model);

// Decodes a forwarded stream: each SSE frame goes to the sink as it is, as a
// kForwarded delta (with "model" set to `caller_model` when that is not
// empty; the usage-only frame left out when drop_usage_frame), with kUsage
// and kFinish deltas read from the frames. A malformed frame or an error
// event fails the stream as OpenAiWire's decoder does, and is not forwarded.
std::unique_ptr<StreamDecoder> forwardingStreamDecoder(std::string caller_model, bool drop_usage_frame);

// The whole response a forwarded answer amounts to: `text` is the whole
// body, or the raw text of the stream when `streamed`. For call records.
core::Result<ChatResponse> decodeForwardedAnswer(std::string_view text, bool streamed);
// A whole (non-streamed) answer whose body is already parsed.
core::Result<ChatResponse> decodeForwardedAnswer(const boost::json::object& body);

}  // namespace codecrew::llm
