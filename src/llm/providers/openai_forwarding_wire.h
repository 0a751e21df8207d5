// OpenAiForwardingWire: OpenAI forwarding's side of OpenAI's chat-completions
// wire (llm/openai_forwarding.h), apart from transport, as OpenAiWire is the
// translating side: the HTTP request that carries a caller's own body (its
// "model" changed only when the routed model's name differs; a stream whose
// caller sent no stream_options gains "stream_options": {"include_usage":
// true}), the whole answer as it came (its "model" set back to the caller's
// name when the request's was changed), the decoder of a forwarded stream,
// and the normalised response an answer amounts to, for call records.
// Azure has none: its deployment URLs take no "model".
// Thread-safety: immutable after construction; use from any thread.
#pragma once

#include "core/result.h"
#include "http/client/http_client.h"
#include "llm/forwarded_answer.h"
#include "llm/openai_forwarding.h"
#include "llm/providers/forwarded_stream_decoder.h"
#include "llm/providers/wire_format.h"

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace codecrew::llm {

class OpenAiForwardingWire final {
 public:
  explicit OpenAiForwardingWire(Endpoint endpoint);

  // A stream whose stream_options say anything but include_usage: true is
  // not forwarded (its usage would be unknown).
  static bool canForward(const OpenAiRequest& request, bool stream);

  // The HTTP request sending `request` to `model`. kInvalidArgument if its
  // text is not a JSON object.
  core::Result<http::ClientRequest> encode(const OpenAiRequest& request, const std::string& model, bool stream) const;

  // A whole 2xx answer to `request` sent to `model`: body as it came ("model"
  // restored), usage and finish reason read from its text. kMalformed when it
  // is not an object with a non-empty "choices" array.
  static core::Result<ForwardedAnswer> decodeAnswer(std::string body, const OpenAiRequest& request,
                                                    const std::string& model);

  // The decoder of a forwarded stream of `request` sent to `model`.
  static ForwardedStreamDecoder streamDecoder(const OpenAiRequest& request, const std::string& model);

  // The whole response a forwarded answer amounts to (as
  // OpenAiForwarding::readAnswer).
  static core::Result<ChatResponse> readAnswer(std::string_view text, bool streamed, const boost::json::object* parsed);

 private:
  Endpoint endpoint_;
};

// The body that sends `request` to `model` (see OpenAiForwardingWire::encode).
core::Result<std::string> forwardedRequestBody(const OpenAiRequest& request, const std::string& model, bool stream);

}  // namespace codecrew::llm
