// GeminiWire: Google's Gemini API (models/{model}:generateContent and
// :streamGenerateContent?alt=sse), with functionCall/functionResponse parts,
// systemInstruction, generationConfig and the x-goog-api-key header.
// Gemini issues no tool-call ids; calls get "call_<n>" ids in response order.
// Thread-safety: immutable after construction.
#pragma once

#include "llm/providers/wire_format.h"

namespace codecrew::llm {

class GeminiWire final : public WireFormat {
 public:
  explicit GeminiWire(Endpoint endpoint);

  core::Result<http::ClientRequest> encode(const ChatRequest& request, bool stream) const override;
  core::Result<ChatResponse> decodeResponse(std::string_view body) const override;
  std::unique_ptr<StreamDecoder> streamDecoder() const override;

  boost::json::object encodeBody(const ChatRequest& request) const;

 private:
  Endpoint endpoint_;
};

FinishReason geminiFinishReason(std::string_view raw);

}  // namespace codecrew::llm
