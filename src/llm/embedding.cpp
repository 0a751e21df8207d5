#include "llm/embedding.h"

#include "core/crypto.h"

namespace codecrew::llm {

std::int64_t roughEmbeddingTokens(const EmbeddingRequest& request) {
  std::int64_t bytes = 0;
  for (const auto& input : request.inputs) bytes += static_cast<std::int64_t>(input.size()) + 4;
  return (bytes + 3) / 4;
}

std::string embeddingInputHash(const EmbeddingRequest& request) {
  std::string joined;
  for (const auto& input : request.inputs) {
    joined += std::to_string(input.size());
    joined += ':';
    joined += input;
  }
  return core::sha256Hex(joined);
}

}  // namespace codecrew::llm
