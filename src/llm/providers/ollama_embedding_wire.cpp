#include "llm/providers/ollama_embedding_wire.h"

#include "llm/providers/json_util.h"

#include <boost/json.hpp>

namespace codecrew::llm {

namespace bj = boost::json;
using core::Result;

OllamaEmbeddingWire::OllamaEmbeddingWire(Endpoint endpoint) : endpoint_(std::move(endpoint)) {}

Result<http::ClientRequest> OllamaEmbeddingWire::encode(const EmbeddingRequest& request) const {
  http::ClientRequest out;
  out.method = "POST";
  out.url = trimmedBase(endpoint_.base_url) + "/api/embed";
  if (!endpoint_.api_key.empty()) out.headers.emplace_back("Authorization", "Bearer " + endpoint_.api_key);
  out.headers.emplace_back("Content-Type", "application/json");
  for (const auto& h : endpoint_.extra_headers) out.headers.push_back(h);
  bj::array input;
  for (const auto& text : request.inputs) input.emplace_back(text);
  bj::object body{{"model", request.model}, {"input", std::move(input)}};
  if (request.dimensions) body["dimensions"] = *request.dimensions;
  out.body = bj::serialize(body);
  return out;
}

Result<EmbeddingResponse> OllamaEmbeddingWire::decode(std::string_view body) const {
  auto parsed = json::parseObject(body, "Ollama embed response");
  if (!parsed.ok()) return parsed.error();
  const auto& o = parsed.value();
  const auto* embeddings = json::arr(o, "embeddings");
  if (!embeddings) return core::Error::unavailable("Ollama embed response has no embeddings array");
  EmbeddingResponse out;
  out.model = json::str(o, "model");
  for (const auto& v : *embeddings) {
    auto vector = embeddingVector(&v, "Ollama embedding");
    if (!vector.ok()) return vector.error();
    out.vectors.push_back(std::move(vector.value()));
  }
  if (o.contains("prompt_eval_count")) {
    out.usage.prompt_tokens = json::i64(o, "prompt_eval_count");
    out.usage.total_tokens = out.usage.prompt_tokens;
    out.usage.reported = true;
  }
  return out;
}

}  // namespace codecrew::llm
