// OllamaEmbeddingWire: POST {base}/api/embed ({"model", "input": [...]} in,
// {"embeddings": [[...]], "prompt_eval_count"} out).
// Thread-safety: immutable after construction.
#pragma once

#include "llm/providers/embedding_wire.h"
#include "llm/providers/wire_format.h"

namespace codecrew::llm {

class OllamaEmbeddingWire final : public EmbeddingWire {
 public:
  explicit OllamaEmbeddingWire(Endpoint endpoint);
  core::Result<http::ClientRequest> encode(const EmbeddingRequest& request) const override;
  core::Result<EmbeddingResponse> decode(std::string_view body) const override;

 private:
  Endpoint endpoint_;
};

}  // namespace codecrew::llm
