// OllamaWire: Ollama's native POST /api/chat: NDJSON streaming, tool-call
// arguments as JSON objects, images as base64 lists, options.num_predict,
// and its counters (prompt_eval_count, eval_count and the *_duration fields,
// kept in Usage::extra).
// Thread-safety: immutable after construction.
#pragma once

#include "llm/providers/wire_format.h"

namespace codecrew::llm {

class OllamaWire final : public WireFormat {
 public:
  explicit OllamaWire(Endpoint endpoint);

  core::Result<http::ClientRequest> encode(const ChatRequest& request, bool stream) const override;
  core::Result<ChatResponse> decodeResponse(std::string_view body) const override;
  std::unique_ptr<StreamDecoder> streamDecoder() const override;

  boost::json::object encodeBody(const ChatRequest& request, bool stream) const;

 private:
  Endpoint endpoint_;
};

}  // namespace codecrew::llm
