// WireFormat: one vendor's HTTP dialect for chat calls, apart from transport,
// so that the same codec serves live calls (HttpProvider), recorded wire
// samples in tests, and the fake upstream's expectations.
//  - encode() builds the HTTP request (URL, auth header, JSON body).
//  - decodeResponse() maps a whole 2xx body to a ChatResponse.
//  - streamDecoder() parses a streamed 2xx body, fed in arbitrary pieces.
//  - failure() maps a non-2xx answer to the call's error (by default
//    httpFailure(); a vendor with its own error vocabulary overrides it).
// Thread-safety: a WireFormat is immutable after construction and may be used
// from any thread; a StreamDecoder belongs to one call.
#pragma once

#include "core/result.h"
#include "http/client/http_client.h"
#include "llm/provider.h"
#include "llm/provider_error.h"
#include "llm/types.h"

#include <memory>
#include <string>
#include <string_view>

namespace codecrew::llm {

// Where and how to reach one configured provider.
struct Endpoint {
  std::string base_url;     // e.g. https://api.openai.com/v1
  std::string api_key;      // may be empty (Ollama, local servers)
  std::string api_version;  // Azure api-version
  std::string deployment;   // Azure deployment; empty: the request's model
  http::Headers extra_headers;
};

class StreamDecoder {
 public:
  virtual ~StreamDecoder() = default;
  // Consumes the next bytes of the body (any split), emitting deltas. An error
  // (malformed frame, an error event after the 200) ends the stream.
  virtual core::Status feed(std::string_view bytes, const DeltaSink& sink) = 0;
  // The body ended. An error if the stream stopped before its final frame.
  virtual core::Status finish(const DeltaSink& sink) = 0;
};

class WireFormat {
 public:
  virtual ~WireFormat() = default;
  virtual core::Result<http::ClientRequest> encode(const ChatRequest& request, bool stream) const = 0;
  virtual core::Result<ChatResponse> decodeResponse(std::string_view body) const = 0;
  virtual std::unique_ptr<StreamDecoder> streamDecoder() const = 0;
  virtual core::Error failure(std::string_view provider, const http::ClientRequest& request, int status,
                              const http::Headers& headers, std::string_view body, core::Millis now) const {
    (void)request;
    return httpFailure(provider, status, headers, body, now);
  }
};

}  // namespace codecrew::llm
