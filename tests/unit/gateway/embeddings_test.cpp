// POST /v1/embeddings against the fake upstream: OpenAI-compatible, Ollama and
// Gemini providers, float and base64 answers, dimensions, call records, and
// refusals in OpenAI's error shape (a provider without embeddings, an unknown
// model, token-array input, an upstream failure, the key's budget).
#include "gateway_fixture.h"

#include "fake_embeddings.h"
#include "gateway/openai_embeddings.h"

namespace codecrew::gateway {
namespace {

namespace bj = boost::json;
using testing::fakeEmbedding;
using testing::FakeReply;

bj::object embeddings(const std::string& model, bj::value input) {
  return {{"model", model}, {"input", std::move(input)}};
}

std::vector<float> floatsOf(const bj::value& v) {
  std::vector<float> out;
  for (const auto& x : v.as_array()) out.push_back(static_cast<float>(x.to_number<double>()));
  return out;
}

TEST_F(GatewayTest, EmbeddingsFromAnOpenAiProviderAreFloatsInInputOrder) {
  start();
  auto r = post("/v1/embeddings", embeddings("oa/text-embedding-3-small", bj::array{"first text", "second text"}));
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = r.json().as_object();
  EXPECT_EQ(v["object"], "list");
  EXPECT_EQ(v["model"], "oa/text-embedding-3-small");
  const auto& data = v["data"].as_array();
  ASSERT_EQ(data.size(), 2u);
  EXPECT_EQ(data[0].at("object"), "embedding");
  EXPECT_EQ(data[1].at("index"), 1);
  EXPECT_EQ(floatsOf(data[0].at("embedding")), fakeEmbedding("first text", 8));
  EXPECT_EQ(floatsOf(data[1].at("embedding")), fakeEmbedding("second text", 8));
  EXPECT_EQ(v["usage"].at("prompt_tokens"), 12);
  EXPECT_EQ(v["usage"].at("total_tokens"), 12);
  auto received = upstream_.requests();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].target, "/v1/embeddings");
  EXPECT_EQ(received[0].header("Authorization"), "Bearer sk-provider-secret-0123456789");
  auto sent = bj::parse(received[0].body).as_object();
  EXPECT_EQ(sent["model"], "text-embedding-3-small");
  EXPECT_EQ(sent["input"].as_array().size(), 2u);
}

TEST_F(GatewayTest, EmbeddingsInBase64AreLittleEndianFloat32AndDimensionsPassThrough) {
  start();
  bj::object body = embeddings("oa/text-embedding-3-small", "one text");
  body["encoding_format"] = "base64";
  body["dimensions"] = 4;
  auto r = post("/v1/embeddings", body);
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = r.json();
  const auto& item = v.at("data").as_array().at(0);
  ASSERT_TRUE(item.at("embedding").is_string());
  EXPECT_EQ(std::string(item.at("embedding").as_string()), base64Floats(fakeEmbedding("one text", 4)));
  EXPECT_EQ(bj::parse(upstream_.requests().at(0).body).at("dimensions"), 4);
}

TEST(Base64Floats, EncodesFloat32LittleEndian) {
  // 1.0f is 0x3f800000: bytes 00 00 80 3f.
  EXPECT_EQ(base64Floats({1.0f}), "AACAPw==");
  EXPECT_EQ(base64Floats({}), "");
}

TEST_F(GatewayTest, EmbeddingsFromOllamaAndGeminiProviders) {
  start();
  auto ollama = post("/v1/embeddings", embeddings("ol/nomic-embed-text", bj::array{"a", "b"}));
  ASSERT_EQ(ollama.status, 200) << ollama.body;
  EXPECT_EQ(floatsOf(ollama.json().at("data").at(1).at("embedding")), fakeEmbedding("b", 8));
  EXPECT_EQ(ollama.json().at("usage").at("prompt_tokens"), 12);
  auto gemini = post("/v1/embeddings", embeddings("gm/text-embedding-004", bj::array{"c", "d", "e"}));
  ASSERT_EQ(gemini.status, 200) << gemini.body;
  auto v = gemini.json();
  const auto& data = v.at("data").as_array();
  ASSERT_EQ(data.size(), 3u);
  EXPECT_EQ(floatsOf(data[2].at("embedding")), fakeEmbedding("e", 8));
  auto received = upstream_.requests();
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(received[0].target, "/api/embed");
  EXPECT_EQ(received[1].target, "/v1beta/models/text-embedding-004:batchEmbedContents");
  EXPECT_EQ(received[1].header("x-goog-api-key"), "AIzaprovider0123456789");
}

TEST_F(GatewayTest, EmbeddingsAreRecordedAsCallsOfTheKey) {
  start();
  ASSERT_EQ(post("/v1/embeddings", embeddings("oa/text-embedding-3-small", "record me")).status, 200);
  gateway_->flushRecords();
  auto r = get("/v1/usage");
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = r.json().as_object();
  ASSERT_EQ(v["total"], 1);
  const auto& call = v["calls"].as_array().at(0).as_object();
  EXPECT_EQ(call.at("provider"), "oa");
  EXPECT_EQ(call.at("model"), "text-embedding-3-small");
  EXPECT_EQ(call.at("status"), "success");
  EXPECT_EQ(call.at("total_tokens"), 12);
  const std::string text = bj::serialize(call);
  EXPECT_EQ(text.find("sk-provider-secret"), std::string::npos);
  EXPECT_NE(text.find("record me"), std::string::npos);
}

TEST_F(GatewayTest, EmbeddingsOfAModelWithoutAnEmbeddingsApiAreRefusedBeforeAnyCall) {
  start();
  auto r = post("/v1/embeddings", embeddings("claude-3-5-haiku", "text"));
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(r.json().at("error").at("type"), "invalid_request_error");
  EXPECT_EQ(r.json().at("error").at("param"), "model");
  EXPECT_NE(std::string(r.json().at("error").at("message").as_string()).find("no embeddings API"), std::string::npos);
  EXPECT_TRUE(upstream_.requests().empty());
}

TEST_F(GatewayTest, EmbeddingsRefuseUnknownModelsBadInputAndUpstreamFailures) {
  start();
  auto unknown = post("/v1/embeddings", embeddings("nope/nothing", "text"));
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.json().at("error").at("code"), "model_not_found");
  auto tokens = post("/v1/embeddings", embeddings("oa/text-embedding-3-small", bj::array{bj::array{1, 2, 3}}));
  EXPECT_EQ(tokens.status, 400);
  EXPECT_EQ(tokens.json().at("error").at("param"), "input");
  auto empty = post("/v1/embeddings", embeddings("oa/text-embedding-3-small", bj::array{}));
  EXPECT_EQ(empty.status, 400);
  bj::object format = embeddings("oa/text-embedding-3-small", "x");
  format["encoding_format"] = "int8";
  EXPECT_EQ(post("/v1/embeddings", format).status, 400);
  EXPECT_TRUE(upstream_.requests().empty());

  upstream_.enqueue(FakeReply::error(500, "embedding backend down"));
  auto failed = post("/v1/embeddings", embeddings("oa/text-embedding-3-small", "x"));
  EXPECT_EQ(failed.status, 502) << failed.body;
  EXPECT_EQ(failed.json().at("error").at("code"), "upstream_error");
  gateway_->flushRecords();
  auto calls = get("/v1/usage").json().at("calls").as_array();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].at("status"), "failed");
}

TEST_F(GatewayTest, EmbeddingsCountAgainstTheKeyBudget) {
  start("[gateway.keys.\"" + prefix(key_) + "\"]\ndaily_tokens = 10\n");
  ASSERT_EQ(post("/v1/embeddings", embeddings("oa/text-embedding-3-small", "spend")).status, 200);
  auto refused = post("/v1/embeddings", embeddings("oa/text-embedding-3-small", "more"));
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(refused.json().at("error").at("code"), "budget_exceeded");
  EXPECT_EQ(upstream_.requests().size(), 1u);
}

}  // namespace
}  // namespace codecrew::gateway
