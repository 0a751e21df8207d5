// OpenAI dialect to an OpenAI-kind provider: the caller's body reaches the
// upstream byte for byte (only "model" changed for an alias), the upstream's
// answer reaches the caller byte for byte (whole and streamed), the call is
// recorded as completely as a translated one; and where forwarding does not
// apply (other providers, a caller who turned stream usage off, a failed
// first attempt) the call is translated as before.
#include "core/crypto.h"
#include "gateway_fixture.h"
#include "llm/types_json.h"

namespace codecrew::gateway {
namespace {

namespace bj = boost::json;
using testing::FakeReply;
using testing::WireKind;

std::string join(const std::vector<std::string>& frames) {
  std::string out;
  for (const auto& f : frames) out += f;
  return out;
}

class PassthroughTest : public GatewayTest {
 protected:
  testing::HttpResult postRaw(const std::string& body) {
    return client_->request("POST", "/v1/chat/completions", body, {{"Authorization", "Bearer " + key_}});
  }
  std::vector<store::LlmCall> recordedCalls() {
    gateway_->flushRecords();
    auto tenant = store_->findApiKeyByHash(core::sha256Hex(key_)).value()->tenant_id;
    store::LlmCallQuery q;
    q.sort_by = "id";
    q.descending = false;
    return store_->listLlmCalls(tenant, q)->items;
  }
};

// Key order, spacing, escapes, fields the gateway does not know, and a
// "model" inside a message: all of it must arrive as it was sent.
const std::string kOddBody =
    "{\n  \"messages\" : [ {\"role\":\"user\", \"content\":\"say \\\"model\\\": \\\"fast\\\" \\u00e9\", \"model\":\"fast\"} ],"
    "\"seed\":42, \"user\":\"u-1\",\"logit_bias\":{\"50256\":-100},\t\"model\" : \"gpt-4o-mini\" ,\"top_p\":1.0e0 }\n";

TEST_F(PassthroughTest, AWholeCallForwardsTheCallersBytesAndReturnsTheUpstreams) {
  start();
  FakeReply reply = FakeReply::text_reply("Bonjour!");
  upstream_.enqueue(reply);
  auto r = postRaw(kOddBody);
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(upstream_.requests().size(), 1u);
  EXPECT_EQ(upstream_.requests()[0].body, kOddBody);
  EXPECT_EQ(r.body, testing::renderWhole(WireKind::kOpenAi, reply, "gpt-4o-mini"));
}

TEST_F(PassthroughTest, AnAliasChangesOnlyTheTopLevelModelBothWays) {
  start();
  upstream_.enqueue(FakeReply::text_reply("fast answer"));
  std::string body = kOddBody;
  body.replace(body.find("\"gpt-4o-mini\""), 13, "\"fast\"");
  auto r = postRaw(body);
  ASSERT_EQ(r.status, 200) << r.body;
  std::string expected = kOddBody;  // the same bytes with gpt-4o-mini where "fast" was the top-level model
  EXPECT_EQ(upstream_.requests()[0].body, expected);
  EXPECT_EQ(r.json().at("model"), "fast");
  EXPECT_EQ(r.json().at("choices").at(0).at("message").at("content"), "fast answer");
}

TEST_F(PassthroughTest, AStreamIsForwardedFrameForFrame) {
  start();
  FakeReply reply = FakeReply::text_reply("The quick brown fox jumps over the lazy dog.");
  upstream_.enqueue(reply);
  const std::string body =
      R"({"stream":true,"model":"gpt-4o-mini","stream_options":{"include_usage":true},"messages":[{"role":"user","content":"tell me"}]})";
  auto r = postRaw(body);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.header("Content-Type").find("text/event-stream"), std::string::npos);
  EXPECT_EQ(upstream_.requests()[0].body, body);
  EXPECT_EQ(r.body, join(testing::renderStream(WireKind::kOpenAi, reply, "gpt-4o-mini")));
}

TEST_F(PassthroughTest, AStreamWithoutUsageGetsItForTheRecordButNotTheCaller) {
  start();
  FakeReply reply = FakeReply::text_reply("short answer");
  upstream_.enqueue(reply);
  const std::string body = R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"stream":true})";
  auto r = postRaw(body);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(
      upstream_.requests()[0].body,
      R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true}})");
  auto frames = testing::renderStream(WireKind::kOpenAi, reply, "gpt-4o-mini");
  frames.erase(frames.end() - 2);  // the usage-only frame
  EXPECT_EQ(r.body, join(frames));
  auto calls = recordedCalls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].total_tokens, 19);
  EXPECT_EQ(calls[0].status, store::CallStatus::kSuccess);
}

TEST_F(PassthroughTest, ForwardedCallsAreRecordedLikeTranslatedOnes) {
  start();
  FakeReply truncated = FakeReply::text_reply("cut sh");
  truncated.finish = "length";
  upstream_.enqueue(truncated);
  upstream_.enqueue(truncated);
  auto whole = post("/v1/chat/completions", chat("gpt-4o-mini", "Say hello"));
  ASSERT_EQ(whole.status, 200) << whole.body;
  auto streamed = post("/v1/chat/completions", chat("gpt-4o-mini", "Say hello", true));
  ASSERT_EQ(streamed.status, 200) << streamed.body;
  auto calls = recordedCalls();
  ASSERT_EQ(calls.size(), 2u);
  llm::ChatRequest request;
  request.messages.push_back(llm::Message::user("Say hello"));
  llm::ChatResponse answer;
  answer.message.content = "cut sh";
  for (const auto& c : calls) {
    EXPECT_EQ(c.status, store::CallStatus::kTruncated);
    EXPECT_EQ(c.prompt_tokens, 12);
    EXPECT_EQ(c.total_tokens, 19);
    EXPECT_EQ(c.prompt_hash, llm::promptHash(request));
    EXPECT_EQ(c.response_hash, llm::responseHash(answer));
    const auto data = bj::serialize(c.request_data);
    EXPECT_NE(data.find("Say hello"), std::string::npos) << data;
    EXPECT_EQ(data.find("sk-provider-secret"), std::string::npos) << data;
    // The record keeps the upstream's answer: a whole one as JSON, a stream as its text.
    const auto& body = c.response_data.at("body");
    if (body.is_object()) {
      EXPECT_EQ(body.at("choices").at(0).at("message").at("content").as_string(), "cut sh");
    } else {
      ASSERT_TRUE(body.is_string()) << bj::serialize(c.response_data);
      EXPECT_NE(body.as_string().find("data: "), bj::string::npos);
    }
  }
  EXPECT_NE(calls[0].response_data.at("body").is_object(), calls[1].response_data.at("body").is_object());
}

TEST_F(PassthroughTest, ACallerWhoTurnedStreamUsageOffIsTranslated) {
  start();
  upstream_.enqueue(FakeReply::text_reply("plain"));
  auto r = postRaw(R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"stream":true,)"
                   R"("stream_options":{"include_usage":false}})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto sent = bj::parse(upstream_.requests()[0].body).as_object();
  EXPECT_EQ(sent.at("stream_options").at("include_usage"), true);
  EXPECT_EQ(r.body.find("\"usage\""), std::string::npos) << r.body;
  EXPECT_EQ(r.body.find("chatcmpl-fake"), std::string::npos) << "rendered by the gateway, not forwarded";
  EXPECT_NE(r.body.find("data: [DONE]"), std::string::npos);
}

TEST_F(PassthroughTest, AFallbackToAnotherKindOfProviderIsTranslated) {
  gateway_role_ = "max_attempts = 1\nfallbacks = [\"claude-3-5-haiku\"]\n";
  start();
  upstream_.enqueue(FakeReply::error(503, "overloaded"));
  upstream_.enqueue(FakeReply::text_reply("from claude"));
  auto r = postRaw(kOddBody);
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(upstream_.requests().size(), 2u);
  EXPECT_EQ(upstream_.requests()[0].body, kOddBody);
  EXPECT_EQ(upstream_.requests()[1].kind, WireKind::kAnthropic);
  EXPECT_EQ(r.json().at("object"), "chat.completion");
  EXPECT_EQ(r.json().at("model"), "gpt-4o-mini");
  EXPECT_EQ(r.json().at("choices").at(0).at("message").at("content"), "from claude");
}

TEST_F(PassthroughTest, AMalformedAnswerIsRetriedThenForwarded) {
  gateway_role_ = "max_attempts = 2\n";
  start();
  FakeReply broken;
  broken.malformed = true;
  upstream_.enqueue(broken);
  FakeReply good = FakeReply::text_reply("second try");
  upstream_.enqueue(good);
  auto r = post("/v1/chat/completions", chat("gpt-4o-mini", "hi"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(upstream_.requests().size(), 2u);
  EXPECT_EQ(r.body, testing::renderWhole(WireKind::kOpenAi, good, "gpt-4o-mini"));
}

}  // namespace
}  // namespace codecrew::gateway
