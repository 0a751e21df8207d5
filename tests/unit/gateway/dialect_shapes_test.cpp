// The dialects around the model calls: POST /v1/messages/count_tokens
// (forwarded to an Anthropic provider, counted here for the others), the
// router's own refusals under /v1 in the dialect of the path, crew models
// that never reach a provider, and /v1/models with the providers' own lists.
#include "gateway_fixture.h"

#include <set>

namespace codecrew::gateway {
namespace {

namespace bj = boost::json;
using testing::FakeReply;

bj::object countBody(const std::string& model) {
  return {{"model", model},
          {"system", "You are terse."},
          {"messages", bj::array{bj::object{{"role", "user"}, {"content", "How many tokens is this sentence?"}}}}};
}

void expectAnthropicError(const testing::HttpResult& r, int status, const std::string& type) {
  EXPECT_EQ(r.status, status) << r.body;
  auto v = r.json().as_object();
  EXPECT_EQ(v["type"], "error") << r.body;
  EXPECT_EQ(v["error"].at("type"), type.c_str()) << r.body;
  EXPECT_FALSE(v["error"].at("message").as_string().empty()) << r.body;
}

void expectOpenAiError(const testing::HttpResult& r, int status, const std::string& type) {
  EXPECT_EQ(r.status, status) << r.body;
  auto v = r.json().as_object();
  ASSERT_TRUE(v["error"].is_object()) << r.body;
  const auto& e = v["error"].as_object();
  EXPECT_EQ(e.at("type"), type.c_str()) << r.body;
  EXPECT_FALSE(e.at("message").as_string().empty()) << r.body;
  EXPECT_TRUE(e.contains("param")) << r.body;
  EXPECT_TRUE(e.contains("code")) << r.body;
  EXPECT_FALSE(e.contains("details")) << r.body;
}

TEST_F(GatewayTest, CountTokensOfAnAnthropicModelAsksTheProvider) {
  start();
  auto r = post("/v1/messages/count_tokens", countBody("claude-3-5-haiku"), "", {{"anthropic-version", "2023-06-01"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto received = upstream_.requests();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].target, "/v1/messages/count_tokens");
  EXPECT_EQ(received[0].header("x-api-key"), "sk-ant-provider-0123456789");
  EXPECT_EQ(received[0].body.find(key_), std::string::npos);
  EXPECT_EQ(bj::parse(received[0].body).at("model"), "claude-3-5-haiku");
  // The fake counts the body it was sent: the answer is the provider's.
  EXPECT_EQ(r.json().at("input_tokens"), static_cast<std::int64_t>(received[0].body.size()));

  // The provider's refusal comes back as it is.
  FakeReply limited;
  limited.status = 429;
  limited.error_message = "slow down";
  upstream_.enqueue(limited);
  auto refused = post("/v1/messages/count_tokens", countBody("claude-3-5-haiku"));
  expectAnthropicError(refused, 429, "rate_limit_error");
}

TEST_F(GatewayTest, CountTokensOfAnotherModelIsCountedHere) {
  start();
  auto short_count = post("/v1/messages/count_tokens", countBody("gpt-4o-mini"));
  ASSERT_EQ(short_count.status, 200) << short_count.body;
  auto body = countBody("gpt-4o-mini");
  body["messages"].as_array().push_back(
      bj::object{{"role", "assistant"}, {"content", "It is about eight tokens long, give or take a few."}});
  auto longer = post("/v1/messages/count_tokens", body);
  ASSERT_EQ(longer.status, 200) << longer.body;
  auto a = short_count.json().at("input_tokens").as_int64();
  auto b = longer.json().at("input_tokens").as_int64();
  EXPECT_GT(a, 5);
  EXPECT_GT(b, a + 5);
  EXPECT_TRUE(upstream_.requests().empty());
  // Nothing was recorded: counting is not a model call.
  gateway_->flushRecords();
  EXPECT_EQ(get("/v1/usage").json().at("total_calls"), 0);
}

TEST_F(GatewayTest, CountTokensRefusalsComeInAnthropicShape) {
  start();
  expectAnthropicError(post("/v1/messages/count_tokens", countBody("no-such-model")), 404, "not_found_error");
  expectAnthropicError(post("/v1/messages/count_tokens", bj::object{{"model", "claude-3-5-haiku"}}), 400,
                       "invalid_request_error");
  auto anonymous = client_->request("POST", "/v1/messages/count_tokens", bj::serialize(countBody("gpt-4o-mini")),
                                    {{"anthropic-version", "2023-06-01"}});
  expectAnthropicError(anonymous, 401, "authentication_error");
  EXPECT_TRUE(upstream_.requests().empty());
}

TEST_F(GatewayTest, RouterRefusalsUnderV1SpeakTheDialectOfThePath) {
  start();
  auto auth = testing::HeaderList{{"Authorization", "Bearer " + key_}};
  expectOpenAiError(client_->request("GET", "/v1/nope", "", auth), 404, "invalid_request_error");
  expectOpenAiError(client_->request("POST", "/v1/chat/nope", "{}", auth), 404, "invalid_request_error");
  auto wrong_method = client_->request("GET", "/v1/responses", "", auth);
  expectOpenAiError(wrong_method, 405, "invalid_request_error");
  EXPECT_EQ(wrong_method.header("Allow"), "POST");
  expectOpenAiError(client_->request("GET", "/v1/chat/completions", "", auth), 405, "invalid_request_error");
  expectOpenAiError(client_->request("DELETE", "/v1/models", "", auth), 405, "invalid_request_error");
  expectOpenAiError(client_->request("POST", "/v1/embeddings", "x",
                                     {{"Authorization", "Bearer " + key_}, {"Content-Type", "text/plain"}}),
                    415, "invalid_request_error");
  expectAnthropicError(client_->request("POST", "/v1/messages/nope", "{}", auth), 404, "not_found_error");
  expectAnthropicError(client_->request("GET", "/v1/messages", "", auth), 405, "invalid_request_error");
  expectAnthropicError(client_->request("GET", "/v1/messages/count_tokens", "", auth), 405, "invalid_request_error");
  expectAnthropicError(client_->request("POST", "/v1/messages", "x",
                                        {{"Authorization", "Bearer " + key_}, {"Content-Type", "text/plain"}}),
                       415, "invalid_request_error");
  // Bad requests of each model route, and a missing key, in its own shape.
  expectOpenAiError(post("/v1/responses", bj::object{{"input", "hi"}}), 400, "invalid_request_error");
  expectOpenAiError(client_->request("POST", "/v1/responses", R"({"model":"gpt-4o-mini","input":"hi"})", {}), 401,
                    "authentication_error");
  expectOpenAiError(client_->request("GET", "/v1/models", "", {}), 401, "authentication_error");
  expectOpenAiError(client_->request("POST", "/v1/embeddings", R"({"model":"gpt-4o-mini","input":"x"})", {}), 401,
                    "authentication_error");
}

TEST_F(GatewayTest, CrewModelsNeverReachAProviderWithoutTheCrewEngine) {
  start();
  auto messages = post("/v1/messages",
                       bj::object{{"model", "crew/codegen"},
                                  {"max_tokens", 100},
                                  {"messages",
                                   bj::array{bj::object{{"role", "user"}, {"content", "a slugify function"}}}}});
  expectAnthropicError(messages, 409, "invalid_request_error");
  auto responses = post("/v1/responses", bj::object{{"model", "crew/codegen"}, {"input", "a slugify function"}});
  expectOpenAiError(responses, 409, "invalid_request_error");
  EXPECT_NE(responses.body.find("crew engine"), std::string::npos) << responses.body;
  EXPECT_TRUE(upstream_.requests().empty());
}

std::vector<std::string> modelIds(const testing::HttpResult& r) {
  std::vector<std::string> ids;
  auto list = r.json();
  for (const auto& m : list.at("data").as_array()) ids.emplace_back(m.at("id").as_string());
  return ids;
}

TEST_F(GatewayTest, ModelsListsWhatTheProvidersNameBesideTheConfiguredOnesEachOnce) {
  start();
  auto r = get("/v1/models");
  ASSERT_EQ(r.status, 200) << r.body;
  auto ids = modelIds(r);
  std::set<std::string> unique(ids.begin(), ids.end());
  EXPECT_EQ(unique.size(), ids.size()) << r.body;
  // Configured first (by name and provider/name), then discovered: by bare
  // id when it reaches its provider, else under the provider's name; only
  // models that generate.
  for (const char* want : {"gpt-4o-mini", "claude-3-5-haiku", "gemini-2.0-flash", "llama3", "fast", "oa/fake-large",
                           "an/fake-large", "gm/gemini-fake-pro", "ol/fake-llama:latest"})
    EXPECT_TRUE(unique.count(want)) << want << " missing from " << r.body;
  EXPECT_FALSE(unique.count("gm/text-embedding-004")) << r.body;
  EXPECT_EQ(r.json().at("first_id"), ids.front().c_str());
  EXPECT_EQ(r.json().at("last_id"), ids.back().c_str());

  // A discovered model is callable by the id listed.
  upstream_.enqueue(FakeReply::text_reply("from the pro model"));
  auto chat = post("/v1/chat/completions", GatewayTest::chat("gm/gemini-fake-pro", "hi"));
  ASSERT_EQ(chat.status, 200) << chat.body;
  EXPECT_NE(upstream_.requests().at(0).target.find("/models/gemini-fake-pro:generateContent"), std::string::npos);
}

TEST_F(GatewayTest, ModelsDiscoveryCanBeTurnedOff) {
  start("[gateway]\ndiscover_models = false\n");
  auto r = get("/v1/models");
  ASSERT_EQ(r.status, 200) << r.body;
  auto ids = modelIds(r);
  std::set<std::string> unique(ids.begin(), ids.end());
  EXPECT_TRUE(unique.count("gpt-4o-mini")) << r.body;
  for (const char* discovered : {"oa/fake-large", "gm/gemini-fake-pro", "ol/fake-llama:latest"})
    EXPECT_FALSE(unique.count(discovered)) << discovered << " listed: " << r.body;
}

}  // namespace
}  // namespace codecrew::gateway
