#include "llm/providers/http_provider.h"

#include "llm/provider_error.h"
#include "llm/providers/stream_assembler.h"

namespace codecrew::llm {

using core::Result;

HttpProvider::HttpProvider(std::string name, std::string kind, std::shared_ptr<const WireFormat> wire,
                           std::shared_ptr<http::HttpClient> client, std::shared_ptr<core::Clock> clock,
                           std::shared_ptr<const EmbeddingWire> embeddings,
                           std::shared_ptr<const OpenAiForwardingWire> forwarding)
    : name_(std::move(name)),
      kind_(std::move(kind)),
      wire_(std::move(wire)),
      client_(std::move(client)),
      clock_(std::move(clock)),
      embeddings_(std::move(embeddings)),
      forwarding_(std::move(forwarding)) {}

void HttpProvider::report(const CallOptions& options, http::ClientRequest& request, int status,
                          std::string body) const {
  if (!options.on_exchange) return;
  options.on_exchange(WireExchange{std::move(request.method), std::move(request.url), std::move(request.headers),
                                   std::move(request.body), status, std::move(body)});
}

namespace {

core::Error answerFailure(const WireFormat* errors, std::string_view provider, const http::ClientRequest& request,
                          const http::ClientResponse& response, core::Millis now) {
  if (errors) return errors->failure(provider, request, response.status, response.headers, response.body, now);
  return httpFailure(provider, response.status, response.headers, response.body, now);
}

}  // namespace

boost::asio::awaitable<Result<http::ClientResponse>> HttpProvider::sendWhole(http::ClientRequest http_request,
                                                                             const CallOptions& options,
                                                                             const WireFormat* errors) {
  http_request.timeouts = options.timeouts;
  http_request.cancel = options.cancel;
  http_request.headers.insert(http_request.headers.end(), options.headers.begin(), options.headers.end());
  auto sent = co_await client_->send(http_request);
  if (!sent.ok()) {
    report(options, http_request, 0, "");
    co_return transportFailure(name_, sent.error());
  }
  std::optional<core::Error> failed;
  if (sent->status < 200 || sent->status >= 300)
    failed = answerFailure(errors, name_, http_request, sent.value(), clock_->nowMillis());
  report(options, http_request, sent->status, sent->body);
  if (failed) co_return *failed;
  co_return std::move(sent.value());
}

boost::asio::awaitable<Result<http::ClientResponse>> HttpProvider::sendStreamed(
    http::ClientRequest http_request, const CallOptions& options, std::function<core::Status(std::string_view)> feed,
    const WireFormat* errors) {
  http_request.timeouts = options.timeouts;
  http_request.cancel = options.cancel;
  http_request.headers.insert(http_request.headers.end(), options.headers.begin(), options.headers.end());
  std::string raw;
  std::optional<core::Error> feed_error;
  http_request.on_body_chunk = [&](std::string_view chunk) {
    raw.append(chunk);
    auto fed = feed(chunk);
    if (fed.ok()) return true;
    feed_error = fed.error();
    return false;
  };
  auto sent = co_await client_->send(http_request);
  if (!sent.ok()) {
    report(options, http_request, 0, raw);
    co_return transportFailure(name_, sent.error());
  }
  int status = sent->status;
  if (status < 200 || status >= 300) {
    auto failed = answerFailure(errors, name_, http_request, sent.value(), clock_->nowMillis());
    report(options, http_request, status, sent->body);
    co_return failed;
  }
  report(options, http_request, status, std::move(raw));
  if (feed_error) co_return *feed_error;
  co_return std::move(sent.value());
}

boost::asio::awaitable<Result<ChatResponse>> HttpProvider::chat(const ChatRequest& request,
                                                                const CallOptions& options) {
  auto encoded = wire_->encode(request, false);
  if (!encoded.ok()) co_return encoded.error();
  auto sent = co_await sendWhole(std::move(encoded.value()), options, wire_.get());
  if (!sent.ok()) co_return sent.error();
  co_return wire_->decodeResponse(sent->body);
}

boost::asio::awaitable<Result<EmbeddingResponse>> HttpProvider::embed(const EmbeddingRequest& request,
                                                                      const CallOptions& options) {
  if (!embeddings_) co_return noEmbeddings(name_, kind_);
  const std::size_t per_call = embeddings_->maxInputsPerCall();
  if (per_call > 0 && request.inputs.size() > per_call) {
    // One call per slice of inputs, in order; the vectors and usage add up.
    EmbeddingResponse whole;
    for (std::size_t at = 0; at < request.inputs.size(); at += per_call) {
      EmbeddingRequest slice{request.model, {}, request.dimensions};
      auto last = std::min(request.inputs.size(), at + per_call);
      slice.inputs.assign(request.inputs.begin() + static_cast<std::ptrdiff_t>(at),
                          request.inputs.begin() + static_cast<std::ptrdiff_t>(last));
      auto part = co_await embed(slice, options);
      if (!part.ok()) co_return part.error();
      for (auto& v : part->vectors) whole.vectors.push_back(std::move(v));
      whole.model = part->model;
      whole.usage.prompt_tokens += part->usage.prompt_tokens;
      whole.usage.total_tokens += part->usage.total_tokens;
      whole.usage.reported = whole.usage.reported || part->usage.reported;
    }
    co_return whole;
  }
  auto encoded = embeddings_->encode(request);
  if (!encoded.ok()) co_return encoded.error();
  auto sent = co_await sendWhole(std::move(encoded.value()), options, wire_.get());
  if (!sent.ok()) co_return sent.error();
  auto decoded = embeddings_->decode(sent->body);
  if (decoded.ok() && decoded->vectors.size() != request.inputs.size())
    co_return core::Error::unavailable("provider '" + name_ + "' answered " + std::to_string(decoded->vectors.size()) +
                                       " embeddings for " + std::to_string(request.inputs.size()) + " inputs");
  co_return decoded;
}

boost::asio::awaitable<Result<ChatResponse>> HttpProvider::stream(const ChatRequest& request,
                                                                  const CallOptions& options, DeltaSink on_delta) {
  auto encoded = wire_->encode(request, true);
  if (!encoded.ok()) co_return encoded.error();
  auto decoder = wire_->streamDecoder();
  StreamAssembler assembler;
  DeltaSink sink = [&](const StreamDelta& delta) {
    assembler.add(delta);
    if (on_delta) on_delta(delta);
  };
  std::function<core::Status(std::string_view)> feed = [&](std::string_view chunk) {
    return decoder->feed(chunk, sink);
  };
  auto sent = co_await sendStreamed(std::move(encoded.value()), options, std::move(feed), wire_.get());
  if (!sent.ok()) co_return sent.error();
  auto finished = decoder->finish(sink);
  if (!finished.ok()) co_return finished.error();
  co_return assembler.result();
}

bool HttpProvider::canForward(const OpenAiRequest& request, bool stream) const {
  return forwarding_ && OpenAiForwardingWire::canForward(request, stream);
}

boost::asio::awaitable<Result<ForwardedAnswer>> HttpProvider::forward(const OpenAiRequest& request,
                                                                      const std::string& model,
                                                                      const CallOptions& options) {
  auto encoded = forwarding_->encode(request, model, false);
  if (!encoded.ok()) co_return encoded.error();
  auto sent = co_await sendWhole(std::move(encoded.value()), options);
  if (!sent.ok()) co_return sent.error();
  auto answer = OpenAiForwardingWire::decodeAnswer(std::move(sent->body), request, model);
  if (!answer.ok()) co_return answer.error();
  answer->status = sent->status;
  answer->headers = std::move(sent->headers);
  co_return std::move(answer);
}

boost::asio::awaitable<Result<ForwardedAnswer>> HttpProvider::forwardStream(const OpenAiRequest& request,
                                                                            const std::string& model,
                                                                            const CallOptions& options,
                                                                            FrameSink on_frame) {
  auto encoded = forwarding_->encode(request, model, true);
  if (!encoded.ok()) co_return encoded.error();
  auto decoder = OpenAiForwardingWire::streamDecoder(request, model);
  if (!on_frame) on_frame = [](std::string_view) {};
  std::function<core::Status(std::string_view)> feed = [&](std::string_view chunk) {
    return decoder.feed(chunk, on_frame);
  };
  auto sent = co_await sendStreamed(std::move(encoded.value()), options, std::move(feed));
  if (!sent.ok()) co_return sent.error();
  auto finished = decoder.finish();
  if (!finished.ok()) co_return finished.error();
  ForwardedAnswer answer;
  answer.status = sent->status;
  answer.headers = std::move(sent->headers);
  decoder.readInto(answer);
  co_return std::move(answer);
}

Result<ChatResponse> HttpProvider::readAnswer(std::string_view text, bool streamed,
                                              const boost::json::object* parsed) const {
  return OpenAiForwardingWire::readAnswer(text, streamed, parsed);
}

}  // namespace codecrew::llm
