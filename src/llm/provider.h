// Provider: one model vendor's API behind one interface (seed 004's chat +
// stream). Both calls are C++20 coroutines (boost::asio::awaitable):
//  - chat() returns the whole response.
//  - stream() hands each normalised StreamDelta to on_delta as it arrives
//    (text, tool-call fragments, usage, finish reason) and, when the stream
//    ends, returns the assembled response, exactly as chat() would have.
//  - embed() returns one vector per input text; a provider whose API has no
//    embeddings says so (embeds() is false and embed() fails with
//    kInvalidArgument, the default).
//  - openAiForwarding() is the provider's OpenAI forwarding capability
//    (llm/openai_forwarding.h), or null when it has none (the default).
// Failures are Results; classify them with llm/provider_error.h (HTTP status,
// Retry-After, context-length). A stream that fails after some deltas were
// delivered returns the error; the deltas already delivered stand.
// Cancellation: CallOptions::cancel stops the call (kCancelled).
// on_delta runs while the caller's coroutine is suspended in stream(), but
// possibly on another thread of the I/O executor: it must not block, and
// should hand work elsewhere by posting.
// Thread-safety: implementations are safe to call concurrently from any
// number of coroutines and threads.
#pragma once

#include "core/result.h"
#include "http/client/cancel_token.h"
#include "http/client/http_client.h"
#include "llm/embedding.h"
#include "llm/types.h"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace codecrew::llm {

class OpenAiForwarding;

using DeltaSink = std::function<void(const StreamDelta&)>;

// The wire exchange behind a call, for call records and cassettes.
struct WireExchange {
  std::string method;
  std::string url;
  http::Headers request_headers;
  std::string request_body;
  int status = 0;
  std::string response_body;  // whole body, or the raw stream text
};

// What the caller says about one call besides the request itself.
struct CallOptions {
  http::Timeouts timeouts;
  std::shared_ptr<http::CancelToken> cancel;
  // Who is calling, for cassettes and records: agent and step of the
  // execution, and the index of this call within the step.
  std::string agent;
  std::string step;
  int call_index = 0;
  // When set, receives the HTTP exchange behind the call (after it ends,
  // failed or not), for call records and cassettes.
  std::function<void(WireExchange)> on_exchange;
  // Sent with the call's HTTP request besides the provider's own headers
  // (the router's traceparent and X-Request-Id).
  http::Headers headers;
};

class Provider {
 public:
  virtual ~Provider() = default;

  // The configured name of this provider ("openai", "my-azure", ...).
  virtual const std::string& name() const = 0;
  // Its kind ("openai", "azure", "anthropic", "gemini", "ollama", ...).
  virtual const std::string& kind() const = 0;

  virtual boost::asio::awaitable<core::Result<ChatResponse>> chat(const ChatRequest& request,
                                                                  const CallOptions& options) = 0;
  virtual boost::asio::awaitable<core::Result<ChatResponse>> stream(const ChatRequest& request,
                                                                    const CallOptions& options, DeltaSink on_delta) = 0;

  // Whether embed() can succeed for this provider's kind.
  virtual bool embeds() const { return false; }
  virtual boost::asio::awaitable<core::Result<EmbeddingResponse>> embed(const EmbeddingRequest& request,
                                                                        const CallOptions& options);

  // Whether a caller's own OpenAI body can be sent to this provider as it
  // is: the capability that does it, owned by the provider, or null.
  virtual OpenAiForwarding* openAiForwarding() { return nullptr; }
};

// The error of a provider that has no embeddings API.
core::Error noEmbeddings(const std::string& provider, const std::string& kind);

}  // namespace codecrew::llm
