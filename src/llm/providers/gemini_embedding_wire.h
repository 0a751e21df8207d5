// GeminiEmbeddingWire: POST {base}/models/{model}:batchEmbedContents (one
// embedContent request per input; {"embeddings": [{"values": [...]}]} out).
// Gemini reports no token usage for embeddings.
// Thread-safety: immutable after construction.
#pragma once

#include "llm/providers/embedding_wire.h"
#include "llm/providers/wire_format.h"

namespace codecrew::llm {

class GeminiEmbeddingWire final : public EmbeddingWire {
 public:
  explicit GeminiEmbeddingWire(Endpoint endpoint);
  core::Result<http::ClientRequest> encode(const EmbeddingRequest& request) const override;
  core::Result<EmbeddingResponse> decode(std::string_view body) const override;

 private:
  Endpoint endpoint_;
};

}  // namespace codecrew::llm
