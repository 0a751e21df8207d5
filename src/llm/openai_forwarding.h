// OpenAI forwarding: the optional capability of a provider that speaks
// OpenAI's chat-completions wire to send a caller's own OpenAI body as it is
// instead of encoding the normalised request, and to hand its answer back as
// it came (a ForwardedAnswer) instead of decoding it. A provider that has it
// returns it from Provider::openAiForwarding(); the others return null and
// are sent the normalised request as usual.
//  - The body's "model" is changed only when the routed model's name differs
//    from the caller's (an alias, a fallback), and then the answer's "model"
//    (whole, or in each stream frame) back to the caller's name.
//  - A stream whose caller did not ask for usage asks for it upstream (the
//    call's usage must be known) and the usage-only frame this adds is not
//    passed on. A stream whose stream_options say anything else cannot be
//    forwarded (canForward is false).
// Failures are classified as chat()'s and stream()'s are (provider_error.h);
// a stream that fails after frames were delivered returns the error.
// Thread-safety: as Provider's: calls may run concurrently from any number of
// coroutines and threads; on_frame runs as a DeltaSink does.
#pragma once

#include "core/result.h"
#include "llm/forwarded_answer.h"
#include "llm/provider.h"
#include "llm/types.h"

#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include <functional>
#include <string>
#include <string_view>

namespace codecrew::llm {

// A caller's own OpenAI chat-completions body and what was read from it.
struct OpenAiRequest {
  std::string text;                 // the body as the caller sent it
  std::string model;                // its "model" value, decoded
  bool wants_usage = false;         // stream_options.include_usage is true
  bool has_stream_options = false;  // it has "stream_options" at all
};

// Receives each complete frame of a forwarded stream, to send on as it is.
using FrameSink = std::function<void(std::string_view frame)>;

class OpenAiForwarding {
 public:
  virtual ~OpenAiForwarding() = default;

  // Whether `request` can be forwarded, streamed or not.
  virtual bool canForward(const OpenAiRequest& request, bool stream) const = 0;

  // Sends `request` to `model` and returns the whole answer as it came.
  virtual boost::asio::awaitable<core::Result<ForwardedAnswer>> forward(const OpenAiRequest& request,
                                                                        const std::string& model,
                                                                        const CallOptions& options) = 0;
  // The same streamed: each frame goes to on_frame as it completes; the
  // answer returned has no body.
  virtual boost::asio::awaitable<core::Result<ForwardedAnswer>> forwardStream(const OpenAiRequest& request,
                                                                              const std::string& model,
                                                                              const CallOptions& options,
                                                                              FrameSink on_frame) = 0;

  // The normalised response a forwarded answer amounts to, read from the
  // provider's own text (WireExchange::response_body): the whole body, or the
  // text of the stream when `streamed`. `parsed` is the whole body already
  // parsed, when the caller has it (it is then not parsed again). For call
  // records, off the call's path; pure.
  virtual core::Result<ChatResponse> readAnswer(std::string_view text, bool streamed,
                                                const boost::json::object* parsed) const = 0;
};

}  // namespace codecrew::llm
