// HttpProvider: a Provider that speaks one WireFormat over an HttpClient.
// Every adapter (OpenAI and its compatibles, Azure, Anthropic, Gemini,
// Ollama) is an HttpProvider with its own WireFormat and Endpoint, an
// EmbeddingWire when the vendor has embeddings, and an OpenAiForwardingWire
// when it can forward a caller's OpenAI body as it is (then it is its own
// OpenAiForwarding).
// Thread-safety: safe for concurrent calls (the wire format is immutable and
// the client is thread-safe).
#pragma once

#include "core/clock.h"
#include "http/client/http_client.h"
#include "llm/openai_forwarding.h"
#include "llm/provider.h"
#include "llm/providers/embedding_wire.h"
#include "llm/providers/openai_forwarding_wire.h"
#include "llm/providers/wire_format.h"

#include <functional>
#include <memory>
#include <string>

namespace codecrew::llm {

class HttpProvider final : public Provider, public OpenAiForwarding {
 public:
  HttpProvider(std::string name, std::string kind, std::shared_ptr<const WireFormat> wire,
               std::shared_ptr<http::HttpClient> client, std::shared_ptr<core::Clock> clock,
               std::shared_ptr<const EmbeddingWire> embeddings = nullptr,
               std::shared_ptr<const OpenAiForwardingWire> forwarding = nullptr);

  const std::string& name() const override { return name_; }
  const std::string& kind() const override { return kind_; }

  boost::asio::awaitable<core::Result<ChatResponse>> chat(const ChatRequest& request,
                                                          const CallOptions& options) override;
  boost::asio::awaitable<core::Result<ChatResponse>> stream(const ChatRequest& request, const CallOptions& options,
                                                            DeltaSink on_delta) override;
  bool embeds() const override { return embeddings_ != nullptr; }
  boost::asio::awaitable<core::Result<EmbeddingResponse>> embed(const EmbeddingRequest& request,
                                                                const CallOptions& options) override;
  OpenAiForwarding* openAiForwarding() override { return forwarding_ ? this : nullptr; }

  // OpenAiForwarding, when constructed with an OpenAiForwardingWire.
  bool canForward(const OpenAiRequest& request, bool stream) const override;
  boost::asio::awaitable<core::Result<ForwardedAnswer>> forward(const OpenAiRequest& request, const std::string& model,
                                                                const CallOptions& options) override;
  boost::asio::awaitable<core::Result<ForwardedAnswer>> forwardStream(const OpenAiRequest& request,
                                                                      const std::string& model,
                                                                      const CallOptions& options,
                                                                      FrameSink on_frame) override;
  core::Result<ChatResponse> readAnswer(std::string_view text, bool streamed,
                                        const boost::json::object* parsed) const override;

 private:
  // Sends a whole (non-streamed) request: a 2xx answer, else the classified
  // failure. Reports the exchange.
  // `errors`: the wire whose failure() maps a non-2xx answer (null: httpFailure).
  boost::asio::awaitable<core::Result<http::ClientResponse>> sendWhole(http::ClientRequest request,
                                                                       const CallOptions& options,
                                                                       const WireFormat* errors = nullptr);
  // Sends a streamed request, handing each piece of a 2xx body to `feed`,
  // whose first error stops reading and is the result. The status and
  // headers of a 2xx answer, else the classified failure. Reports the
  // exchange, with the stream's whole text.
  boost::asio::awaitable<core::Result<http::ClientResponse>> sendStreamed(
      http::ClientRequest request, const CallOptions& options, std::function<core::Status(std::string_view)> feed,
      const WireFormat* errors = nullptr);
  // Reports the exchange to options.on_exchange, moving the request's
  // method, URL, headers and body out of `request` (sent by then).
  void report(const CallOptions& options, http::ClientRequest& request, int status, std::string body) const;

  std::string name_;
  std::string kind_;
  std::shared_ptr<const WireFormat> wire_;
  std::shared_ptr<http::HttpClient> client_;
  std::shared_ptr<core::Clock> clock_;
  std::shared_ptr<const EmbeddingWire> embeddings_;         // null: no embeddings API
  std::shared_ptr<const OpenAiForwardingWire> forwarding_;  // null: no OpenAI forwarding
};

}  // namespace codecrew::llm
