// EmbeddingWire: one vendor's HTTP dialect for embedding calls, apart from
// transport (the embeddings counterpart of WireFormat):
//  - encode() builds the HTTP request (URL, auth header, JSON body);
//  - decode() maps a 2xx body to an EmbeddingResponse (vectors in input order).
//  - maxInputsPerCall(): how many inputs one call may carry (0: any number);
//    HttpProvider splits a larger request into calls of that size.
// Implementations: OpenAI and its compatibles and Azure (/embeddings), Ollama
// (/api/embed), Gemini (:batchEmbedContents), Bedrock (Titan through
// InvokeModel, one input a call). Anthropic has no embeddings API.
// Thread-safety: immutable after construction; use from any thread.
#pragma once

#include "core/result.h"
#include "http/client/http_client.h"
#include "llm/embedding.h"

#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace codecrew::llm {

class EmbeddingWire {
 public:
  virtual ~EmbeddingWire() = default;
  virtual core::Result<http::ClientRequest> encode(const EmbeddingRequest& request) const = 0;
  virtual core::Result<EmbeddingResponse> decode(std::string_view body) const = 0;
  virtual std::size_t maxInputsPerCall() const { return 0; }
};

// Reads a JSON array of numbers as a vector; kUnavailable (a malformed
// answer) naming `what` otherwise. Shared by the implementations.
core::Result<std::vector<float>> embeddingVector(const boost::json::value* v, std::string_view what);
// base_url without trailing slashes.
std::string trimmedBase(const std::string& base_url);

}  // namespace codecrew::llm
