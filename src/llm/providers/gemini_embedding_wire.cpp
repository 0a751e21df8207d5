#include "llm/providers/gemini_embedding_wire.h"

#include "llm/providers/json_util.h"

#include <boost/json.hpp>

namespace codecrew::llm {

namespace bj = boost::json;
using core::Result;

GeminiEmbeddingWire::GeminiEmbeddingWire(Endpoint endpoint) : endpoint_(std::move(endpoint)) {}

Result<http::ClientRequest> GeminiEmbeddingWire::encode(const EmbeddingRequest& request) const {
  http::ClientRequest out;
  out.method = "POST";
  out.url = trimmedBase(endpoint_.base_url) + "/models/" + request.model + ":batchEmbedContents";
  if (!endpoint_.api_key.empty()) out.headers.emplace_back("x-goog-api-key", endpoint_.api_key);
  out.headers.emplace_back("Content-Type", "application/json");
  for (const auto& h : endpoint_.extra_headers) out.headers.push_back(h);
  bj::array requests;
  for (const auto& text : request.inputs) {
    bj::object one{{"model", "models/" + request.model},
                   {"content", bj::object{{"parts", bj::array{bj::object{{"text", text}}}}}}};
    if (request.dimensions) one["outputDimensionality"] = *request.dimensions;
    requests.push_back(std::move(one));
  }
  out.body = bj::serialize(bj::object{{"requests", std::move(requests)}});
  return out;
}

Result<EmbeddingResponse> GeminiEmbeddingWire::decode(std::string_view body) const {
  auto parsed = json::parseObject(body, "Gemini batchEmbedContents response");
  if (!parsed.ok()) return parsed.error();
  const auto* embeddings = json::arr(parsed.value(), "embeddings");
  if (!embeddings) return core::Error::unavailable("Gemini batchEmbedContents response has no embeddings array");
  EmbeddingResponse out;
  for (const auto& v : *embeddings) {
    const auto* item = v.if_object();
    auto vector = embeddingVector(item ? item->if_contains("values") : nullptr, "Gemini embedding");
    if (!vector.ok()) return vector.error();
    out.vectors.push_back(std::move(vector.value()));
  }
  return out;
}

}  // namespace codecrew::llm
