// /v1/messages in Anthropic's shape, call records and /v1/usage, per-key
// budgets and rate limits, and a client disconnect cancelling upstream.
#include "gateway_fixture.h"

#include "core/crypto.h"

#include <thread>

namespace codecrew::gateway {
namespace {

namespace bj = boost::json;
using testing::FakeReply;

bj::object messages(const std::string& model, bool stream = false) {
  bj::object body{{"model", model},
                  {"max_tokens", 256},
                  {"system", "be brief"},
                  {"messages", bj::array{bj::object{{"role", "user"}, {"content", "hello"}}}}};
  if (stream) body["stream"] = true;
  return body;
}

TEST_F(GatewayTest, AnthropicMessagesWholeWithXApiKey) {
  start();
  upstream_.enqueue(FakeReply::text_reply("Hi there"));
  auto r = client_->request("POST", "/v1/messages", bj::serialize(messages("claude-3-5-haiku")),
                            {{"x-api-key", key_}, {"anthropic-version", "2023-06-01"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = r.json().as_object();
  EXPECT_EQ(v["type"], "message");
  EXPECT_EQ(v["content"].as_array().at(0).at("text"), "Hi there");
  EXPECT_EQ(v["stop_reason"], "end_turn");
  EXPECT_EQ(v["usage"].at("input_tokens"), 12);
  EXPECT_EQ(v["usage"].at("output_tokens"), 7);
  auto sent = bj::parse(upstream_.requests().at(0).body).as_object();
  EXPECT_NE(bj::serialize(sent["system"]).find("be brief"), std::string::npos);
  EXPECT_EQ(upstream_.requests()[0].header("x-api-key"), "sk-ant-provider-0123456789");
}

TEST_F(GatewayTest, AnthropicStreamOfAnOpenAiModelWithToolUse) {
  start();
  FakeReply reply;
  reply.text = "Let me check.";
  reply.tool_calls = {{"call_9", "get_weather", R"({"city":"Oslo"})"}};
  reply.finish = "tool_calls";
  upstream_.enqueue(reply);
  auto body = messages("gpt-4o-mini", true);
  body["tools"] = bj::array{bj::object{{"name", "get_weather"}, {"input_schema", bj::object{{"type", "object"}}}}};
  auto r = post("/v1/messages", body);
  ASSERT_EQ(r.status, 200) << r.body;
  std::vector<std::string> types;
  std::string text, json;
  std::string stop_reason;
  for (const auto& f : sseData(r.body)) {
    auto e = bj::parse(f).as_object();
    types.emplace_back(e["type"].as_string());
    if (e["type"] == "content_block_delta") {
      const auto& d = e["delta"].as_object();
      if (d.at("type") == "text_delta") text += std::string(d.at("text").as_string());
      if (d.at("type") == "input_json_delta") json += std::string(d.at("partial_json").as_string());
    }
    if (e["type"] == "content_block_start" && e["content_block"].at("type") == "tool_use")
      EXPECT_EQ(e["content_block"].at("name"), "get_weather");
    if (e["type"] == "message_delta") stop_reason = std::string(e["delta"].at("stop_reason").as_string());
  }
  ASSERT_FALSE(types.empty());
  EXPECT_EQ(types.front(), "message_start");
  EXPECT_EQ(types.back(), "message_stop");
  EXPECT_EQ(text, "Let me check.");
  EXPECT_EQ(bj::parse(json), bj::parse(R"({"city":"Oslo"})"));
  EXPECT_EQ(stop_reason, "tool_use");
  EXPECT_NE(upstream_.requests().at(0).target.find("/chat/completions"), std::string::npos);
}

TEST_F(GatewayTest, AnthropicErrorsComeInItsShape) {
  start();
  auto missing = client_->request("POST", "/v1/messages", bj::serialize(messages("claude-3-5-haiku")));
  EXPECT_EQ(missing.status, 401);
  EXPECT_EQ(missing.json().at("type"), "error");
  EXPECT_EQ(missing.json().at("error").at("type"), "authentication_error");
  auto body = messages("claude-3-5-haiku");
  body.erase("max_tokens");
  auto bad = post("/v1/messages", body);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json().at("error").at("type"), "invalid_request_error");
  auto unknown = post("/v1/messages", messages("nope"));
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.json().at("error").at("type"), "not_found_error");
}

TEST_F(GatewayTest, CallsAreRecordedPerKeyAndListedByUsage) {
  start();
  upstream_.setDefault(FakeReply::text_reply("ok"));
  ASSERT_EQ(post("/v1/chat/completions", chat("gpt-4o-mini", "one")).status, 200);
  ASSERT_EQ(post("/v1/messages", messages("claude-3-5-haiku", true)).status, 200);
  ASSERT_EQ(post("/v1/chat/completions", chat("llama3", "other tenant")).status, 200);
  ASSERT_EQ(post("/v1/chat/completions", chat("llama3", "other tenant"), other_key_).status, 200);
  gateway_->flushRecords();

  auto mine = get("/v1/usage?sort_by=id&sort_dir=asc");
  ASSERT_EQ(mine.status, 200) << mine.body;
  auto v = mine.json().as_object();
  EXPECT_EQ(v["total"], 3);
  EXPECT_EQ(v["total_tokens_used"], 57);
  const auto& calls = v["calls"].as_array();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0].at("model"), "gpt-4o-mini");
  EXPECT_EQ(calls[1].at("model"), "claude-3-5-haiku");
  for (const auto& c : calls) {
    EXPECT_EQ(c.at("status"), "success");
    EXPECT_EQ(bj::serialize(c).find("sk-provider-secret"), std::string::npos);
  }
  auto filtered = get("/v1/usage?model=llama3");
  EXPECT_EQ(filtered.json().at("total"), 1);
  auto theirs = get("/v1/usage", other_key_);
  EXPECT_EQ(theirs.json().at("total"), 1);
  auto bad = get("/v1/usage?sort_by=nonsense");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json().at("error").at("type"), "invalid_request_error");
}

TEST_F(GatewayTest, DailyTokenBudgetRefusesWith429InEachDialect) {
  start("[gateway.keys.\"" + prefix(key_) + "\"]\ndaily_tokens = 10\n");
  upstream_.setDefault(FakeReply::text_reply("ok"));
  ASSERT_EQ(post("/v1/chat/completions", chat("gpt-4o-mini", "spend")).status, 200);
  auto refused = post("/v1/chat/completions", chat("gpt-4o-mini", "more"));
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(refused.json().at("error").at("code"), "budget_exceeded");
  EXPECT_FALSE(refused.header("Retry-After").empty());
  auto anthropic = post("/v1/messages", messages("claude-3-5-haiku"));
  EXPECT_EQ(anthropic.status, 429);
  EXPECT_EQ(anthropic.json().at("error").at("type"), "rate_limit_error");
  EXPECT_EQ(upstream_.requests().size(), 1u);
  EXPECT_EQ(post("/v1/chat/completions", chat("gpt-4o-mini", "other key"), other_key_).status, 200);
}

TEST_F(GatewayTest, BudgetSurvivesARestartThroughTheRecords) {
  start("[gateway]\ndaily_tokens = 20\n");
  upstream_.setDefault(FakeReply::text_reply("ok"));
  ASSERT_EQ(post("/v1/chat/completions", chat("gpt-4o-mini", "spend")).status, 200);
  gateway_->flushRecords();
  server_->stop();
  start("[gateway]\ndaily_tokens = 20\n");
  ASSERT_EQ(post("/v1/chat/completions", chat("gpt-4o-mini", "spend")).status, 200);
  EXPECT_EQ(post("/v1/chat/completions", chat("gpt-4o-mini", "spend")).status, 429);
}

TEST_F(GatewayTest, RateLimitPerKey) {
  start("[gateway]\nrpm = 2\n");
  upstream_.setDefault(FakeReply::text_reply("ok"));
  EXPECT_EQ(post("/v1/chat/completions", chat("gpt-4o-mini", "1")).status, 200);
  EXPECT_EQ(post("/v1/chat/completions", chat("gpt-4o-mini", "2")).status, 200);
  auto refused = post("/v1/chat/completions", chat("gpt-4o-mini", "3"));
  EXPECT_EQ(refused.status, 429);
  EXPECT_EQ(refused.json().at("error").at("code"), "rate_limit_exceeded");
  EXPECT_EQ(refused.json().at("error").at("type"), "rate_limit_error");
  EXPECT_EQ(post("/v1/chat/completions", chat("gpt-4o-mini", "1"), other_key_).status, 200);
}

TEST_F(GatewayTest, ClientDisconnectCancelsTheUpstreamCall) {
  start();
  FakeReply slow = FakeReply::text_reply(std::string(400, 'x'));
  slow.chunk_delay_ms = 100;  // 50 pieces: several seconds if left to finish
  upstream_.enqueue(slow);
  auto reader = client_->stream("POST", "/v1/chat/completions", bj::serialize(chat("gpt-4o-mini", "long", true)),
                                {{"Authorization", "Bearer " + key_}});
  ASSERT_EQ(reader.status(), 200);
  std::string first;
  ASSERT_EQ(reader.readChunk(first, std::chrono::seconds(5)), testing::HttpStreamReader::Read::kData);
  reader.close();
  // The call ends as cancelled (a completed call would be recorded as success).
  std::vector<store::LlmCall> calls;
  for (int i = 0; i < 200 && calls.empty(); ++i) {
    gateway_->flushRecords();
    store::LlmCallQuery q;
    auto page = store_->listLlmCalls(store_->findApiKeyByHash(core::sha256Hex(key_)).value()->tenant_id, q);
    ASSERT_TRUE(page.ok());
    calls = page->items;
    if (calls.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].status, store::CallStatus::kFailed);
  EXPECT_EQ(calls[0].error_code, "cancelled");
}

}  // namespace
}  // namespace codecrew::gateway
