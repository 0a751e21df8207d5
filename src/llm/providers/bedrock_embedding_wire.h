// BedrockEmbeddingWire: Amazon Titan text embeddings on Bedrock
// (amazon.titan-embed-text-v2:0 and its kind) through InvokeModel: POST
// {endpoint}/model/{model id, URL-encoded}/invoke with {"inputText",
// "dimensions"?}, answered {"embedding": [...], "inputTextTokenCount"}. The
// API embeds one text a call (maxInputsPerCall() is 1: HttpProvider splits a
// request). Signed with SigV4 (service "bedrock") at encode() time.
// Thread-safety: immutable after construction (the clock is thread-safe).
#pragma once

#include "core/clock.h"
#include "llm/providers/bedrock_wire.h"
#include "llm/providers/embedding_wire.h"

#include <memory>

namespace codecrew::llm {

class BedrockEmbeddingWire final : public EmbeddingWire {
 public:
  BedrockEmbeddingWire(Endpoint endpoint, BedrockAuth auth, std::shared_ptr<core::Clock> clock);

  // kInvalidArgument unless the request holds exactly one input.
  core::Result<http::ClientRequest> encode(const EmbeddingRequest& request) const override;
  core::Result<EmbeddingResponse> decode(std::string_view body) const override;
  std::size_t maxInputsPerCall() const override { return 1; }

 private:
  Endpoint endpoint_;
  BedrockAuth auth_;
  std::shared_ptr<core::Clock> clock_;
};

}  // namespace codecrew::llm
