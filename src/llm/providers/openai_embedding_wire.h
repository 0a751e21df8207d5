// OpenAiEmbeddingWire: POST {base}/embeddings of OpenAI and every
// OpenAI-compatible server; Azure's deployment URL and api-key header.
// Thread-safety: immutable after construction.
#pragma once

#include "llm/providers/embedding_wire.h"
#include "llm/providers/wire_format.h"

namespace codecrew::llm {

class OpenAiEmbeddingWire final : public EmbeddingWire {
 public:
  OpenAiEmbeddingWire(Endpoint endpoint, bool azure);
  core::Result<http::ClientRequest> encode(const EmbeddingRequest& request) const override;
  core::Result<EmbeddingResponse> decode(std::string_view body) const override;

 private:
  Endpoint endpoint_;
  bool azure_;
};

}  // namespace codecrew::llm
