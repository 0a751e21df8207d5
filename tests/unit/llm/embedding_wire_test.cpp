// The embedding wire formats: requests each vendor expects (URL, auth, body)
// and decoding of their answers, including out-of-order OpenAI items and
// answers that are not what they claim.
#include "llm/providers/embedding_wire.h"
#include "llm/provider_registry.h"
#include "llm/providers/gemini_embedding_wire.h"
#include "llm/providers/ollama_embedding_wire.h"
#include "llm/providers/openai_embedding_wire.h"

#include <gtest/gtest.h>
#include <boost/json.hpp>

namespace codecrew::llm {
namespace {

namespace bj = boost::json;

EmbeddingRequest twoTexts() {
  EmbeddingRequest r;
  r.model = "embed-1";
  r.inputs = {"alpha", "beta"};
  r.dimensions = 3;
  return r;
}

std::string header(const http::ClientRequest& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "";
}

TEST(OpenAiEmbeddingWire, EncodesInputsAndDecodesItemsByIndex) {
  OpenAiEmbeddingWire wire(Endpoint{"http://up/v1/", "sk-x", "", "", {}}, false);
  auto req = wire.encode(twoTexts());
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->url, "http://up/v1/embeddings");
  EXPECT_EQ(header(*req, "Authorization"), "Bearer sk-x");
  auto body = bj::parse(req->body).as_object();
  EXPECT_EQ(body["model"], "embed-1");
  EXPECT_EQ(body["input"].as_array().size(), 2u);
  EXPECT_EQ(body["encoding_format"], "float");
  EXPECT_EQ(body["dimensions"], 3);

  auto decoded = wire.decode(R"({"object":"list","model":"embed-1","data":[
      {"object":"embedding","index":1,"embedding":[0.5,0.25]},
      {"object":"embedding","index":0,"embedding":[1,-1]}],
      "usage":{"prompt_tokens":5,"total_tokens":5}})");
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  ASSERT_EQ(decoded->vectors.size(), 2u);
  EXPECT_EQ(decoded->vectors[0], (std::vector<float>{1.0f, -1.0f}));
  EXPECT_EQ(decoded->vectors[1], (std::vector<float>{0.5f, 0.25f}));
  EXPECT_EQ(decoded->usage.prompt_tokens, 5);
  EXPECT_TRUE(decoded->usage.reported);

  EXPECT_FALSE(wire.decode(R"({"data":[{"index":0,"embedding":"AAAA"}]})").ok());
  EXPECT_FALSE(wire.decode(R"({"data":[{"index":7,"embedding":[1]}]})").ok());
  EXPECT_FALSE(wire.decode("not json").ok());
}

TEST(OpenAiEmbeddingWire, AzureUsesTheDeploymentUrlAndApiKeyHeader) {
  OpenAiEmbeddingWire wire(Endpoint{"https://r.openai.azure.com", "az-key", "2024-06-01", "emb", {}}, true);
  auto req = wire.encode(twoTexts());
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->url, "https://r.openai.azure.com/openai/deployments/emb/embeddings?api-version=2024-06-01");
  EXPECT_EQ(header(*req, "api-key"), "az-key");
}

TEST(OllamaEmbeddingWire, UsesApiEmbedAndReadsPromptEvalCount) {
  OllamaEmbeddingWire wire(Endpoint{"http://ollama:11434", "", "", "", {}});
  auto req = wire.encode(twoTexts());
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->url, "http://ollama:11434/api/embed");
  auto decoded = wire.decode(R"({"model":"embed-1","embeddings":[[0.5],[0.25]],"prompt_eval_count":4})");
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(decoded->vectors.size(), 2u);
  EXPECT_EQ(decoded->usage.total_tokens, 4);
}

TEST(GeminiEmbeddingWire, BatchesOneRequestPerInput) {
  GeminiEmbeddingWire wire(Endpoint{"https://g/v1beta", "AIza-k", "", "", {}});
  auto req = wire.encode(twoTexts());
  ASSERT_TRUE(req.ok());
  EXPECT_EQ(req->url, "https://g/v1beta/models/embed-1:batchEmbedContents");
  EXPECT_EQ(header(*req, "x-goog-api-key"), "AIza-k");
  auto body = bj::parse(req->body).as_object();
  const auto& requests = body["requests"].as_array();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].at("content").at("parts").at(0).at("text"), "beta");
  EXPECT_EQ(requests[0].at("outputDimensionality"), 3);
  auto decoded = wire.decode(R"({"embeddings":[{"values":[1]},{"values":[2]}]})");
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded->vectors[1], std::vector<float>{2.0f});
  EXPECT_FALSE(decoded->usage.reported);
}

TEST(EmbeddingWire, AnthropicHasNone) {
  ProviderConfig anthropic;
  anthropic.kind = "anthropic";
  EXPECT_EQ(makeEmbeddingWire(anthropic), nullptr);
  ProviderConfig groq;
  groq.kind = "groq";
  EXPECT_NE(makeEmbeddingWire(groq), nullptr);
}

}  // namespace
}  // namespace codecrew::llm
