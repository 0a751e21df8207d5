#include "llm/providers/http_provider.h"

#include "llm/provider_error.h"
#include "llm/providers/openai_forwarding.h"
#include "llm/providers/stream_assembler.h"

namespace codecrew::llm {

using core::Result;

HttpProvider::HttpProvider(std::string name, std::string kind, std::shared_ptr<const WireFormat> wire,
                           std::shared_ptr<http::HttpClient> client, std::shared_ptr<core::Clock> clock,
                           std::shared_ptr<const EmbeddingWire> embeddings)
    : name_(std::move(name)), kind_(std::move(kind)), wire_(std::move(wire)), client_(std::move(client)),
      clock_(std::move(clock)), embeddings_(std::move(embeddings)) {}

void HttpProvider::report(const CallOptions& options, http::ClientRequest& request, int status,
                          std::string body) const {
  if (!options.on_exchange) return;
  options.on_exchange(WireExchange{std::move(request.method), std::move(request.url), std::move(request.headers),
                                   std::move(request.body), status, std::move(body)});
}

boost::asio::awaitable<Result<std::string>> HttpProvider::sendWhole(http::ClientRequest http_request,
                                                                   const CallOptions& options) {
  http_request.timeouts = options.timeouts;
  http_request.cancel = options.cancel;
  auto sent = co_await client_->send(http_request);
  if (!sent.ok()) {
    report(options, http_request, 0, "");
    co_return transportFailure(name_, sent.error());
  }
  report(options, http_request, sent->status, sent->body);
  if (sent->status < 200 || sent->status >= 300)
    co_return httpFailure(name_, sent->status, sent->headers, sent->body, clock_->nowMillis());
  co_return std::move(sent->body);
}

boost::asio::awaitable<Result<ChatResponse>> HttpProvider::chat(const ChatRequest& request,
                                                                const CallOptions& options) {
  auto encoded = wire_->encode(request, false);
  if (!encoded.ok()) co_return encoded.error();
  const bool forwarding = wire_->forwards(request, false);
  auto body = co_await sendWhole(std::move(encoded.value()), options);
  if (!body.ok()) co_return body.error();
  if (forwarding) co_return forwardedAnswer(std::move(body.value()), callerModelToRestore(request));
  co_return wire_->decodeResponse(body.value());
}

boost::asio::awaitable<Result<EmbeddingResponse>> HttpProvider::embed(const EmbeddingRequest& request,
                                                                      const CallOptions& options) {
  if (!embeddings_) co_return noEmbeddings(name_, kind_);
  auto encoded = embeddings_->encode(request);
  if (!encoded.ok()) co_return encoded.error();
  auto body = co_await sendWhole(std::move(encoded.value()), options);
  if (!body.ok()) co_return body.error();
  auto decoded = embeddings_->decode(body.value());
  if (decoded.ok() && decoded->vectors.size() != request.inputs.size())
    co_return core::Error::unavailable("provider '" + name_ + "' answered " + std::to_string(decoded->vectors.size()) +
                                       " embeddings for " + std::to_string(request.inputs.size()) + " inputs");
  co_return decoded;
}

boost::asio::awaitable<Result<ChatResponse>> HttpProvider::stream(const ChatRequest& request,
                                                                  const CallOptions& options, DeltaSink on_delta) {
  auto encoded = wire_->encode(request, true);
  if (!encoded.ok()) co_return encoded.error();
  http::ClientRequest http_request = std::move(encoded.value());
  http_request.timeouts = options.timeouts;
  http_request.cancel = options.cancel;

  auto decoder = wire_->forwards(request, true)
                     ? forwardingStreamDecoder(callerModelToRestore(request), !request.openai_body->wants_usage)
                     : wire_->streamDecoder();
  StreamAssembler assembler;
  std::string raw;
  std::optional<core::Error> stream_error;
  DeltaSink sink = [&](const StreamDelta& delta) {
    assembler.add(delta);
    if (on_delta) on_delta(delta);
  };
  http_request.on_body_chunk = [&](std::string_view chunk) {
    raw.append(chunk);
    auto fed = decoder->feed(chunk, sink);
    if (fed.ok()) return true;
    stream_error = fed.error();
    return false;
  };
  auto sent = co_await client_->send(http_request);
  if (!sent.ok()) {
    report(options, http_request, 0, raw);
    co_return transportFailure(name_, sent.error());
  }
  int status = sent->status;
  if (status < 200 || status >= 300) {
    report(options, http_request, status, sent->body);
    co_return httpFailure(name_, status, sent->headers, sent->body, clock_->nowMillis());
  }
  report(options, http_request, status, std::move(raw));
  if (stream_error) co_return *stream_error;
  auto finished = decoder->finish(sink);
  if (!finished.ok()) co_return finished.error();
  co_return assembler.result();
}

}  // namespace codecrew::llm
