// OpenAI's embeddings shape for POST /v1/embeddings: the caller's request
// parsed into the LLM layer's EmbeddingRequest, and the answer rendered back,
// as floats or as base64 of little-endian float32 (the official SDKs ask for
// base64 by default and decode it themselves).
// Thread-safety: pure functions.
#pragma once

#include "core/result.h"
#include "llm/embedding.h"

#include <string>
#include <string_view>

namespace codecrew::gateway {

struct ParsedEmbeddingCall {
  llm::EmbeddingRequest request;  // request.model is the name the caller asked for
  bool base64 = false;            // encoding_format "base64"
};

// kInvalidArgument (via badRequest) naming the field at fault. Inputs given
// as token arrays are refused: providers other than OpenAI take text only.
core::Result<ParsedEmbeddingCall> parseEmbeddingRequest(std::string_view body);

// The answer body; `model` is the name the caller used.
std::string renderEmbeddingResponse(const llm::EmbeddingResponse& response, const std::string& model, bool base64);

// The base64 form of a vector: its float32 values, little-endian.
std::string base64Floats(const std::vector<float>& vector);

}  // namespace codecrew::gateway
