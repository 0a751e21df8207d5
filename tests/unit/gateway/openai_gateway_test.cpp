// /v1/chat/completions and /v1/models against the fake upstream: plain,
// streamed, tool calls, usage, errors, and models of other providers
// translated both ways.
#include "gateway_fixture.h"

namespace codecrew::gateway {
namespace {

namespace bj = boost::json;
using testing::FakeReply;

FakeReply weatherCall() {
  FakeReply r;
  r.text = "";
  r.tool_calls = {{"call_1", "get_weather", R"({"city":"Paris","unit":"celsius"})"}};
  r.finish = "tool_calls";
  return r;
}

bj::object withTools(bj::object body) {
  body["tools"] = bj::array{bj::object{
      {"type", "function"},
      {"function",
       bj::object{{"name", "get_weather"},
                  {"description", "Weather of a city"},
                  {"parameters", bj::object{{"type", "object"},
                                            {"properties", bj::object{{"city", bj::object{{"type", "string"}}}}}}}}}}};
  return body;
}

TEST_F(GatewayTest, ModelsListsConfiguredModelsAndAliases) {
  start();
  auto r = get("/v1/models");
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = r.json().as_object();
  EXPECT_EQ(v["object"], "list");
  std::set<std::string> ids;
  for (const auto& m : v["data"].as_array()) ids.insert(std::string(m.at("id").as_string()));
  for (const char* want : {"gpt-4o-mini", "claude-3-5-haiku", "gemini-2.0-flash", "llama3", "fast"})
    EXPECT_TRUE(ids.count(want)) << want << " missing from " << r.body;
}

TEST_F(GatewayTest, PlainCompletionUsesTheProviderKeyNeverTheCallers) {
  start();
  upstream_.enqueue(FakeReply::text_reply("Bonjour!"));
  auto r = post("/v1/chat/completions", chat("gpt-4o-mini", "Say hello in French"));
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = r.json().as_object();
  EXPECT_EQ(v["object"], "chat.completion");
  EXPECT_EQ(v["model"], "gpt-4o-mini");
  const auto& choice = v["choices"].as_array().at(0).as_object();
  EXPECT_EQ(choice.at("message").at("content"), "Bonjour!");
  EXPECT_EQ(choice.at("finish_reason"), "stop");
  EXPECT_EQ(v["usage"].at("prompt_tokens"), 12);
  EXPECT_EQ(v["usage"].at("total_tokens"), 19);
  auto received = upstream_.requests();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].header("Authorization"), "Bearer sk-provider-secret-0123456789");
  EXPECT_EQ(received[0].body.find(key_), std::string::npos);
  EXPECT_NE(received[0].body.find("Say hello in French"), std::string::npos);
}

TEST_F(GatewayTest, AliasRoutesToItsModel) {
  start();
  upstream_.enqueue(FakeReply::text_reply("fast answer"));
  auto r = post("/v1/chat/completions", chat("fast", "hi"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json().at("model"), "fast");
  ASSERT_EQ(upstream_.requests().size(), 1u);
  EXPECT_NE(upstream_.requests()[0].body.find("\"gpt-4o-mini\""), std::string::npos);
}

TEST_F(GatewayTest, StreamedCompletionSendsChunksUsageAndDone) {
  start();
  upstream_.enqueue(FakeReply::text_reply("The quick brown fox jumps over the lazy dog."));
  auto body = chat("gpt-4o-mini", "tell me", true);
  body["stream_options"] = bj::object{{"include_usage", true}};
  auto r = post("/v1/chat/completions", body);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.header("Content-Type").find("text/event-stream"), std::string::npos);
  auto frames = sseData(r.body);
  ASSERT_GE(frames.size(), 4u) << r.body;
  EXPECT_EQ(frames.back(), "[DONE]");
  std::string text;
  std::string finish;
  std::int64_t total_tokens = -1;
  for (std::size_t i = 0; i + 1 < frames.size(); ++i) {
    auto chunk = bj::parse(frames[i]).as_object();
    EXPECT_EQ(chunk["object"], "chat.completion.chunk");
    if (chunk.contains("usage")) total_tokens = chunk["usage"].at("total_tokens").as_int64();
    for (const auto& c : chunk["choices"].as_array()) {
      const auto& delta = c.at("delta").as_object();
      if (const auto* t = delta.if_contains("content")) text += std::string(t->as_string());
      if (!c.at("finish_reason").is_null()) finish = std::string(c.at("finish_reason").as_string());
    }
  }
  EXPECT_EQ(text, "The quick brown fox jumps over the lazy dog.");
  EXPECT_EQ(finish, "stop");
  EXPECT_EQ(total_tokens, 19);
}

TEST_F(GatewayTest, StreamWithoutIncludeUsageHasNoUsageChunk) {
  start();
  upstream_.enqueue(FakeReply::text_reply("short"));
  auto r = post("/v1/chat/completions", chat("gpt-4o-mini", "hi", true));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body.find("\"usage\""), std::string::npos) << r.body;
}

TEST_F(GatewayTest, ToolCallsComeBackWhole) {
  start();
  upstream_.enqueue(weatherCall());
  auto r = post("/v1/chat/completions", withTools(chat("gpt-4o-mini", "weather in Paris?")));
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = r.json();
  const auto& choice = v.at("choices").as_array().at(0).as_object();
  EXPECT_EQ(choice.at("finish_reason"), "tool_calls");
  const auto& call = choice.at("message").at("tool_calls").as_array().at(0).as_object();
  EXPECT_EQ(call.at("id"), "call_1");
  EXPECT_EQ(call.at("function").at("name"), "get_weather");
  EXPECT_EQ(bj::parse(call.at("function").at("arguments").as_string()),
            bj::parse(R"({"city":"Paris","unit":"celsius"})"));
  EXPECT_NE(upstream_.requests().at(0).body.find("get_weather"), std::string::npos);
}

// Tool-call deltas, reassembled as a client does: by index, name from the
// first fragment, arguments concatenated.
void expectStreamedWeatherCall(const std::string& body) {
  std::map<int, std::pair<std::string, std::string>> calls;
  std::string finish;
  bool first = true;
  for (const auto& f : sseData(body)) {
    if (f == "[DONE]") break;
    auto chunk = bj::parse(f).as_object();
    for (const auto& c : chunk["choices"].as_array()) {
      // The SDKs' stream helpers need the role on the first chunk.
      if (first)
        EXPECT_EQ(c.at("delta").as_object().if_contains("role") ? c.at("delta").at("role") : nullptr,
                  bj::value("assistant"))
            << body;
      first = false;
      if (const auto* tcs = c.at("delta").as_object().if_contains("tool_calls")) {
        for (const auto& tc : tcs->as_array()) {
          auto& slot = calls[static_cast<int>(tc.at("index").as_int64())];
          const auto& fn = tc.at("function").as_object();
          if (const auto* n = fn.if_contains("name")) slot.first += std::string(n->as_string());
          slot.second += std::string(fn.at("arguments").as_string());
        }
      }
      if (!c.at("finish_reason").is_null()) finish = std::string(c.at("finish_reason").as_string());
    }
  }
  ASSERT_EQ(calls.size(), 1u) << body;
  EXPECT_EQ(calls[0].first, "get_weather");
  EXPECT_EQ(bj::parse(calls[0].second), bj::parse(R"({"city":"Paris","unit":"celsius"})"));
  EXPECT_EQ(finish, "tool_calls");
}

TEST_F(GatewayTest, ToolCallsStreamAsDeltas) {
  start();
  upstream_.enqueue(weatherCall());
  auto r = post("/v1/chat/completions", withTools(chat("gpt-4o-mini", "weather?", true)));
  ASSERT_EQ(r.status, 200) << r.body;
  expectStreamedWeatherCall(r.body);
}

TEST_F(GatewayTest, OtherProvidersAreTranslatedBothWays) {
  start();
  const std::pair<const char*, const char*> cases[] = {{"claude-3-5-haiku", "/v1/messages"},
                                                       {"gemini-2.0-flash", "generateContent"},
                                                       {"llama3", "/api/chat"}};
  for (auto [model, path] : cases) {
    upstream_.reset();
    upstream_.enqueue(FakeReply::text_reply(std::string("answer from ") + model));
    auto r = post("/v1/chat/completions", chat(model, "hi"));
    ASSERT_EQ(r.status, 200) << model << ": " << r.body;
    EXPECT_EQ(r.json().at("choices").as_array().at(0).at("message").at("content"),
              bj::value(std::string("answer from ") + model));
    ASSERT_EQ(upstream_.requests().size(), 1u);
    EXPECT_NE(upstream_.requests()[0].target.find(path), std::string::npos) << upstream_.requests()[0].target;

    upstream_.enqueue(weatherCall());
    auto s = post("/v1/chat/completions", withTools(chat(model, "weather?", true)));
    ASSERT_EQ(s.status, 200) << model << ": " << s.body;
    expectStreamedWeatherCall(s.body);
  }
}

TEST_F(GatewayTest, ResponseFormatReachesTheProvider) {
  start();
  upstream_.enqueue(FakeReply::text_reply(R"({"ok":true})"));
  auto body = chat("gpt-4o-mini", "json please");
  body["response_format"] = bj::object{
      {"type", "json_schema"},
      {"json_schema", bj::object{{"name", "answer"}, {"schema", bj::object{{"type", "object"}}}, {"strict", true}}}};
  auto r = post("/v1/chat/completions", body);
  ASSERT_EQ(r.status, 200) << r.body;
  auto sent = bj::parse(upstream_.requests().at(0).body).as_object();
  EXPECT_EQ(sent["response_format"].at("type"), "json_schema");
  EXPECT_EQ(sent["response_format"].at("json_schema").at("name"), "answer");
}

TEST_F(GatewayTest, ErrorsComeInOpenAiShape) {
  start();
  auto unknown = post("/v1/chat/completions", chat("no-such-model", "hi"));
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.json().at("error").at("code"), "model_not_found");
  EXPECT_EQ(unknown.json().at("error").at("type"), "invalid_request_error");
  EXPECT_EQ(unknown.json().at("error").at("param"), "model");

  auto bad = post("/v1/chat/completions", bj::object{{"model", "gpt-4o-mini"}});
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json().at("error").at("param"), "messages");

  auto anonymous = client_->request("POST", "/v1/chat/completions", bj::serialize(chat("gpt-4o-mini", "hi")));
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.json().at("error").at("type"), "authentication_error");

  auto wrong = post("/v1/chat/completions", chat("gpt-4o-mini", "hi"),
                    "cc_0000000000000000000000000000000000000000000000000");
  EXPECT_EQ(wrong.status, 401);

  auto viewer = post("/v1/chat/completions", chat("gpt-4o-mini", "hi"), viewer_key_);
  EXPECT_EQ(viewer.status, 403);
  EXPECT_EQ(viewer.json().at("error").at("type"), "permission_error");

  upstream_.enqueue(FakeReply::error(400, "messages: bad role"));
  auto upstream_bad = post("/v1/chat/completions", chat("gpt-4o-mini", "hi"));
  EXPECT_EQ(upstream_bad.status, 400);
  EXPECT_NE(std::string(upstream_bad.json().at("error").at("message").as_string()).find("bad role"), std::string::npos);
  EXPECT_TRUE(upstream_.requests().size() == 1u);
}

TEST_F(GatewayTest, UpstreamFailureBeforeAnyDeltaIsAPlainError) {
  start();
  upstream_.enqueue(FakeReply::error(400, "nope"));
  auto r = post("/v1/chat/completions", chat("gpt-4o-mini", "hi", true));
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_TRUE(r.json().at("error").is_object());
}

TEST_F(GatewayTest, FailureAfterTheStreamBeganEndsWithAnErrorFrame) {
  start();
  FakeReply reply = FakeReply::text_reply("partial answer that breaks");
  reply.error_after_200 = true;
  upstream_.enqueue(reply);
  auto r = post("/v1/chat/completions", chat("gpt-4o-mini", "hi", true));
  ASSERT_EQ(r.status, 200);
  auto frames = sseData(r.body);
  ASSERT_GE(frames.size(), 2u);
  EXPECT_EQ(frames.back(), "[DONE]");
  EXPECT_TRUE(bj::parse(frames[frames.size() - 2]).as_object().contains("error")) << r.body;
}

}  // namespace
}  // namespace codecrew::gateway
