// Embeddings in the LLM layer's normalised vocabulary: a request for one
// vector per input text, and the vectors a provider answered with. Adapters
// map these to and from their own wire formats (llm/providers/*_embedding_wire).
// Thread-safety: plain values.
#pragma once

#include "llm/types.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace codecrew::llm {

struct EmbeddingRequest {
  std::string model;                       // the provider's model id
  std::vector<std::string> inputs;         // one vector is asked for each, in order
  std::optional<std::int64_t> dimensions;  // for models that can shorten their vectors
};

struct EmbeddingResponse {
  std::string model;
  std::vector<std::vector<float>> vectors;  // in input order
  Usage usage;                              // prompt_tokens == total_tokens; completion 0
};

// Tokens the inputs will take before the call (a rough estimate).
std::int64_t roughEmbeddingTokens(const EmbeddingRequest& request);
// SHA-256 of the inputs (not the model), for call records.
std::string embeddingInputHash(const EmbeddingRequest& request);

}  // namespace codecrew::llm
