// OpenAiWire: the OpenAI chat-completions dialect, shared by OpenAI itself,
// Azure OpenAI (deployment URLs, api-version, api-key header), OpenRouter,
// Groq and any OpenAI-compatible server (vLLM, LM Studio, llama.cpp, ...).
// Thread-safety: immutable after construction.
#pragma once

#include "llm/providers/wire_format.h"

namespace codecrew::llm {

class OpenAiWire final : public WireFormat {
 public:
  enum class Flavor { kOpenAi, kAzure };
  OpenAiWire(Endpoint endpoint, Flavor flavor = Flavor::kOpenAi);

  core::Result<http::ClientRequest> encode(const ChatRequest& request, bool stream) const override;
  core::Result<ChatResponse> decodeResponse(std::string_view body) const override;
  // The same from a body already parsed (the call record parses it once).
  static core::Result<ChatResponse> decodeResponseObject(const boost::json::object& o);
  std::unique_ptr<StreamDecoder> streamDecoder() const override;

  // The JSON body alone (also used by the gateway and the fake upstream tests).
  boost::json::object encodeBody(const ChatRequest& request, bool stream) const;

 private:
  Endpoint endpoint_;
  Flavor flavor_;
};

// Sets the URL and auth header of an OpenAI-style request for `path`
// ("chat/completions", "embeddings"): {base}/{path} with a Bearer key, or for
// Azure {base}/openai/deployments/{deployment or model}/{path}?api-version=...
// with an api-key header.
void setOpenAiTarget(http::ClientRequest& out, const Endpoint& endpoint, bool azure, const std::string& model,
                     std::string_view path);
// A chat-completions POST for `model` without its body: target, auth, content
// type, Accept for a stream, and the endpoint's extra headers.
http::ClientRequest openAiChatRequest(const Endpoint& endpoint, bool azure, const std::string& model, bool stream);

// Reads an OpenAI "usage" object.
Usage decodeOpenAiUsage(const boost::json::object& usage);

// Maps OpenAI's finish_reason words.
FinishReason openAiFinishReason(std::string_view raw);
// The kFinish delta of a stream that ended with `raw_reason` ("" if none).
StreamDelta openAiFinishDelta(std::string raw_reason);

}  // namespace codecrew::llm
