#include "llm/providers/openai_embedding_wire.h"

#include "llm/providers/json_util.h"
#include "llm/providers/openai_wire.h"

#include <boost/json.hpp>

namespace codecrew::llm {

namespace bj = boost::json;
using core::Result;

OpenAiEmbeddingWire::OpenAiEmbeddingWire(Endpoint endpoint, bool azure)
    : endpoint_(std::move(endpoint)), azure_(azure) {}

Result<http::ClientRequest> OpenAiEmbeddingWire::encode(const EmbeddingRequest& request) const {
  http::ClientRequest out;
  out.method = "POST";
  setOpenAiTarget(out, endpoint_, azure_, request.model, "embeddings");
  out.headers.emplace_back("Content-Type", "application/json");
  for (const auto& h : endpoint_.extra_headers) out.headers.push_back(h);
  bj::array input;
  for (const auto& text : request.inputs) input.emplace_back(text);
  bj::object body{{"model", request.model}, {"input", std::move(input)}, {"encoding_format", "float"}};
  if (request.dimensions) body["dimensions"] = *request.dimensions;
  out.body = bj::serialize(body);
  return out;
}

Result<EmbeddingResponse> OpenAiEmbeddingWire::decode(std::string_view body) const {
  auto parsed = json::parseObject(body, "OpenAI embeddings response");
  if (!parsed.ok()) return parsed.error();
  const auto& o = parsed.value();
  const auto* data = json::arr(o, "data");
  if (!data) return core::Error::unavailable("OpenAI embeddings response has no data array");
  EmbeddingResponse out;
  out.model = json::str(o, "model");
  out.vectors.resize(data->size());
  for (std::size_t i = 0; i < data->size(); ++i) {
    const auto* item = (*data)[i].if_object();
    if (!item) return core::Error::unavailable("OpenAI embeddings response has a data item that is not an object");
    auto index = item->contains("index") ? json::i64(*item, "index") : static_cast<std::int64_t>(i);
    if (index < 0 || static_cast<std::size_t>(index) >= out.vectors.size())
      return core::Error::unavailable("OpenAI embeddings response has an index out of range");
    auto vector = embeddingVector(item->if_contains("embedding"), "OpenAI embedding");
    if (!vector.ok()) return vector.error();
    out.vectors[static_cast<std::size_t>(index)] = std::move(vector.value());
  }
  if (const auto* usage = json::obj(o, "usage")) {
    out.usage.prompt_tokens = json::i64(*usage, "prompt_tokens");
    out.usage.total_tokens = usage->contains("total_tokens") ? json::i64(*usage, "total_tokens")
                                                             : out.usage.prompt_tokens;
    out.usage.reported = true;
  }
  return out;
}

}  // namespace codecrew::llm
