#include "fake_embeddings.h"

#include <boost/json.hpp>

#include <cstdint>

namespace codecrew::testing {

namespace bj = boost::json;

namespace {

std::size_t dimensionsOf(const bj::object& o, std::string_view key) {
  const auto* d = o.if_contains(key);
  return d && d->is_int64() && d->as_int64() > 0 ? static_cast<std::size_t>(d->as_int64()) : kFakeEmbeddingDimensions;
}

bj::array values(const std::vector<float>& v) {
  bj::array out;
  for (float f : v) out.emplace_back(static_cast<double>(f));
  return out;
}

std::vector<std::string> textsOf(const bj::value* input) {
  std::vector<std::string> out;
  if (!input) return out;
  if (input->is_string()) out.emplace_back(input->as_string());
  if (const auto* a = input->if_array()) {
    for (const auto& v : *a) {
      if (v.is_string()) out.emplace_back(v.as_string());
    }
  }
  return out;
}

}  // namespace

std::optional<WireKind> embeddingKindOf(std::string_view path) {
  if (path.ends_with("/embeddings")) return WireKind::kOpenAi;
  if (path.ends_with("/api/embed")) return WireKind::kOllama;
  if (path.find(":batchEmbedContents") != std::string_view::npos) return WireKind::kGemini;
  if (path.starts_with("/model/") && path.ends_with("/invoke")) return WireKind::kBedrock;
  return std::nullopt;
}

std::vector<float> fakeEmbedding(std::string_view text, std::size_t dims) {
  std::uint64_t h = 1469598103934665603ULL;  // FNV-1a
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ULL;
  std::vector<float> out(dims);
  for (std::size_t i = 0; i < dims; ++i) {
    h = (h ^ (i + 1)) * 1099511628211ULL;
    // Multiples of 1/1024 in [-1, 1]: exact in float32 and in JSON.
    out[i] = static_cast<float>(static_cast<int>(h % 2049) - 1024) / 1024.0f;
  }
  return out;
}

std::string renderEmbeddings(WireKind kind, const bj::value& request, const FakeReply& reply,
                             const std::string& model) {
  static const bj::object kEmpty;
  const bj::object& o = request.is_object() ? request.as_object() : kEmpty;
  if (kind == WireKind::kGemini) {
    bj::array embeddings;
    if (const auto* requests = o.if_contains("requests"); requests && requests->is_array()) {
      for (const auto& r : requests->as_array()) {
        const auto* one = r.if_object();
        std::string text;
        if (const auto* content = one ? one->if_contains("content") : nullptr; content && content->is_object()) {
          if (const auto* parts = content->as_object().if_contains("parts"); parts && parts->is_array())
            for (const auto& p : parts->as_array())
              if (p.is_object() && p.as_object().contains("text")) text += bj::value_to<std::string>(p.at("text"));
        }
        auto dims = one ? dimensionsOf(*one, "outputDimensionality") : kFakeEmbeddingDimensions;
        embeddings.push_back(bj::object{{"values", values(fakeEmbedding(text, dims))}});
      }
    }
    return bj::serialize(bj::object{{"embeddings", std::move(embeddings)}});
  }
  if (kind == WireKind::kBedrock) {  // Titan: one inputText, one embedding
    std::string text;
    if (const auto* t = o.if_contains("inputText"); t && t->is_string()) text = t->as_string();
    return bj::serialize(bj::object{{"embedding", values(fakeEmbedding(text, dimensionsOf(o, "dimensions")))},
                                    {"inputTextTokenCount", reply.prompt_tokens}});
  }
  auto texts = textsOf(o.if_contains("input"));
  auto dims = dimensionsOf(o, "dimensions");
  if (kind == WireKind::kOllama) {
    bj::array embeddings;
    for (const auto& t : texts) embeddings.push_back(values(fakeEmbedding(t, dims)));
    return bj::serialize(bj::object{{"model", model},
                                    {"embeddings", std::move(embeddings)},
                                    {"prompt_eval_count", reply.prompt_tokens}});
  }
  bj::array data;
  for (std::size_t i = 0; i < texts.size(); ++i)
    data.push_back(
        bj::object{{"object", "embedding"}, {"index", i}, {"embedding", values(fakeEmbedding(texts[i], dims))}});
  return bj::serialize(
      bj::object{{"object", "list"},
                 {"data", std::move(data)},
                 {"model", model},
                 {"usage", bj::object{{"prompt_tokens", reply.prompt_tokens}, {"total_tokens", reply.prompt_tokens}}}});
}

}  // namespace codecrew::testing
