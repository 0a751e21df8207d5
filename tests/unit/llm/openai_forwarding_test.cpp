// OpenAI forwarding as a provider's capability: which providers have it, the
// ForwardedAnswer an HttpProvider returns over the wire (the upstream's bytes
// with usage and finish reason decoded by the provider), and the router's use
// of it: the answer handed on as it is, a stream's frames to the frame sink,
// and the record's normalised response read by the provider, not the router.
#include "llm/openai_forwarding.h"
#include "fake_upstream.h"
#include "http/client/beast_http_client.h"
#include "llm/provider_registry.h"
#include "llm/record/call_recorder.h"
#include "llm/router/router.h"
#include "llm/types_json.h"
#include "llm_test_util.h"

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

namespace codecrew::llm {
namespace {

using testing::FakeReply;
using testing::FakeUpstream;
using testing::WireKind;

std::string joined(const std::vector<std::string>& frames) {
  std::string out;
  for (const auto& f : frames) out += f;
  return out;
}

TEST(OpenAiForwardingCapability, OnlyProvidersThatSpeakOpenAisWireHaveIt) {
  test::ScriptedProvider scripted("scripted");
  EXPECT_EQ(scripted.openAiForwarding(), nullptr) << "a Provider has none unless it says so";
  auto client = std::make_shared<http::BeastHttpClient>();
  for (const std::string kind : {"openai", "openrouter", "groq", "openai_compatible"}) {
    auto provider = makeHttpProvider(ProviderConfig{kind, kind, "http://up/v1", "k"}, client,
                                     core::SystemClock::instance());
    EXPECT_NE(provider->openAiForwarding(), nullptr) << kind;
  }
  for (const std::string kind : {"azure", "anthropic", "gemini", "ollama"}) {
    auto provider = makeHttpProvider(ProviderConfig{kind, kind, "http://up", "k"}, client,
                                     core::SystemClock::instance());
    EXPECT_EQ(provider->openAiForwarding(), nullptr) << kind;
  }
}

class ForwardingOverTheWireTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(upstream_.start().ok());
    ProviderConfig config{"openai", "openai", upstream_.baseUrl() + "/v1", "sk-upstream-0123456789"};
    provider_ = makeHttpProvider(config, std::make_shared<http::BeastHttpClient>(), core::SystemClock::instance());
    forwarding_ = provider_->openAiForwarding();
    ASSERT_NE(forwarding_, nullptr);
  }

  FakeUpstream upstream_;
  boost::asio::io_context io_;
  std::shared_ptr<Provider> provider_;
  OpenAiForwarding* forwarding_ = nullptr;
};

TEST_F(ForwardingOverTheWireTest, AWholeForwardedAnswerCarriesTheDecodedUsage) {
  FakeReply reply = FakeReply::text_reply("as it came");
  reply.prompt_tokens = 21;
  reply.completion_tokens = 4;
  reply.finish = "length";
  upstream_.enqueue(reply);
  const OpenAiRequest request{R"({"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"seed":3})",
                              "gpt-4o-mini"};
  CallOptions options;
  std::optional<WireExchange> exchange;
  options.on_exchange = [&](WireExchange e) { exchange = std::move(e); };
  auto answer = test::runOn(io_, forwarding_->forward(request, "gpt-4o-mini", options));
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ(answer->status, 200);
  EXPECT_FALSE(answer->streamed);
  EXPECT_EQ(answer->body, testing::renderWhole(WireKind::kOpenAi, reply, "gpt-4o-mini"));
  EXPECT_TRUE(answer->usage.reported);
  EXPECT_EQ(answer->usage.prompt_tokens, 21);
  EXPECT_EQ(answer->usage.completion_tokens, 4);
  EXPECT_EQ(answer->usage.total_tokens, 25);
  EXPECT_EQ(answer->finish_reason, FinishReason::kLength);
  EXPECT_EQ(upstream_.requests().at(0).body, request.text);
  ASSERT_TRUE(exchange);
  auto read = forwarding_->readAnswer(exchange->response_body, false, nullptr);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->message.content, "as it came");
}

TEST_F(ForwardingOverTheWireTest, AForwardedStreamCarriesTheDecodedUsageAndItsFramesWentToTheSink) {
  FakeReply reply = FakeReply::text_reply("one frame after another");
  upstream_.enqueue(reply);
  const OpenAiRequest request{
      R"({"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]})",
      "gpt-4o-mini", true, true};
  std::string frames;
  FrameSink sink = [&](std::string_view frame) { frames.append(frame); };
  auto answer = test::runOn(io_, forwarding_->forwardStream(request, "gpt-4o-mini", CallOptions{}, sink));
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_TRUE(answer->streamed);
  EXPECT_TRUE(answer->body.empty());
  EXPECT_EQ(frames, joined(testing::renderStream(WireKind::kOpenAi, reply, "gpt-4o-mini")));
  EXPECT_EQ(answer->usage.prompt_tokens, 12);
  EXPECT_EQ(answer->usage.total_tokens, 19);
  EXPECT_EQ(answer->finish_reason, FinishReason::kStop);
}

// A provider with the capability whose answers are scripted here, and whose
// reading of an answer is told apart from any decoding of the body.
class FakeForwardingProvider final : public Provider, public OpenAiForwarding {
 public:
  const std::string& name() const override { return name_; }
  const std::string& kind() const override { return name_; }
  boost::asio::awaitable<core::Result<ChatResponse>> chat(const ChatRequest&, const CallOptions&) override {
    ++translated;
    ChatResponse r;
    r.message.content = "translated";
    co_return r;
  }
  boost::asio::awaitable<core::Result<ChatResponse>> stream(const ChatRequest& request, const CallOptions& options,
                                                            DeltaSink) override {
    return chat(request, options);
  }
  OpenAiForwarding* openAiForwarding() override { return this; }

  bool canForward(const OpenAiRequest&, bool) const override { return true; }
  boost::asio::awaitable<core::Result<ForwardedAnswer>> forward(const OpenAiRequest& request, const std::string& model,
                                                                const CallOptions& options) override {
    sent_model = model;
    if (options.on_exchange) options.on_exchange(WireExchange{"POST", "u", {}, request.text, 200, R"({"up":1})"});
    ForwardedAnswer answer{
        200, {}, "the provider's own bytes", false, Usage{30, 10, 40, 0, {}, true}, FinishReason::kStop, "stop"};
    co_return answer;
  }
  boost::asio::awaitable<core::Result<ForwardedAnswer>> forwardStream(const OpenAiRequest& request,
                                                                      const std::string& model,
                                                                      const CallOptions& options,
                                                                      FrameSink on_frame) override {
    on_frame("data: 1\n\n");
    on_frame("data: [DONE]\n\n");
    auto answer = co_await forward(request, model, options);
    if (answer.ok()) {
      answer->body.clear();
      answer->streamed = true;
    }
    co_return answer;
  }
  core::Result<ChatResponse> readAnswer(std::string_view text, bool streamed,
                                        const boost::json::object* parsed) const override {
    read_text = std::string(text);
    read_streamed = streamed;
    read_parsed = parsed != nullptr;
    ChatResponse r;
    r.message.content = "read by the provider";
    r.finish_reason = FinishReason::kLength;
    return r;
  }

  int translated = 0;
  std::string sent_model;
  mutable std::string read_text;
  mutable bool read_streamed = false;
  mutable bool read_parsed = false;

 private:
  std::string name_ = "fwd";
};

class RouterForwardingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    registry_->addProvider(provider_);
    registry_->addModel(ModelConfig{"fast", "fwd", "fwd-large", 8'000});
    RouterDeps deps{registry_, recorder_, Redactor::create({}).value(),
                    clock_,    sleeper_,  std::make_shared<RateScheduler>(clock_, sleeper_)};
    deps.prices.set("fwd-large", ModelPrice{1'000'000.0, 1'000'000.0, 0});
    router_ = std::make_unique<Router>(deps);
  }

  CallContext context(bool with_openai_request) const {
    CallContext ctx;
    ctx.tenant_id = 1;
    if (with_openai_request)
      ctx.openai_request = std::make_shared<const OpenAiRequest>(OpenAiRequest{R"({"model":"fast"})", "fast"});
    return ctx;
  }
  ChatRequest request() const {
    ChatRequest r;
    r.model = "fast";
    r.messages = {Message::user("hi")};
    return r;
  }

  std::shared_ptr<core::FakeClock> clock_ = std::make_shared<core::FakeClock>();
  std::shared_ptr<FakeSleeper> sleeper_ = std::make_shared<FakeSleeper>(clock_);
  std::shared_ptr<ProviderRegistry> registry_ = std::make_shared<ProviderRegistry>();
  std::shared_ptr<FakeForwardingProvider> provider_ = std::make_shared<FakeForwardingProvider>();
  std::shared_ptr<MemoryCallRecorder> recorder_ = std::make_shared<MemoryCallRecorder>();
  std::unique_ptr<Router> router_;
};

TEST_F(RouterForwardingTest, AForwardedAnswerIsHandedOnAndRecordedFromTheProvidersReading) {
  auto routed = test::run(router_->chat("default", request(), context(true)));
  ASSERT_TRUE(routed.ok()) << routed.error().message;
  EXPECT_EQ(provider_->translated, 0);
  EXPECT_EQ(provider_->sent_model, "fwd-large");
  ASSERT_TRUE(routed->forwarded);
  EXPECT_EQ(routed->forwarded->body, "the provider's own bytes");
  EXPECT_EQ(routed->response.usage.total_tokens, 40);
  EXPECT_DOUBLE_EQ(routed->cost, 40.0);
  auto calls = recorder_->calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].total_tokens, 40);
  EXPECT_EQ(provider_->read_text, R"({"up":1})");
  EXPECT_FALSE(provider_->read_streamed);
  EXPECT_TRUE(provider_->read_parsed) << "the record's parse of the body is reused";
  ChatResponse read;
  read.message.content = "read by the provider";
  EXPECT_EQ(calls[0].response_hash, responseHash(read));
  EXPECT_EQ(calls[0].status, store::CallStatus::kTruncated) << "the finish reason of the provider's reading";
}

TEST_F(RouterForwardingTest, AForwardedStreamSendsFramesNotDeltas) {
  std::string frames;
  int deltas = 0;
  DeltaSink on_delta = [&](const StreamDelta&) { ++deltas; };
  FrameSink on_frame = [&](std::string_view frame) { frames.append(frame); };
  auto routed = test::run(router_->stream("default", request(), context(true), on_delta, on_frame));
  ASSERT_TRUE(routed.ok()) << routed.error().message;
  ASSERT_TRUE(routed->forwarded);
  EXPECT_TRUE(routed->forwarded->streamed);
  EXPECT_EQ(frames, "data: 1\n\ndata: [DONE]\n\n");
  EXPECT_EQ(deltas, 0);
  EXPECT_TRUE(provider_->read_streamed);
  EXPECT_FALSE(provider_->read_parsed);
}

TEST_F(RouterForwardingTest, WithoutTheCallersOpenAiRequestOrAFrameSinkTheCallIsTranslated) {
  auto whole = test::run(router_->chat("default", request(), context(false)));
  ASSERT_TRUE(whole.ok());
  EXPECT_FALSE(whole->forwarded);
  EXPECT_EQ(whole->response.message.content, "translated");
  auto streamed = test::run(router_->stream("default", request(), context(true), [](const StreamDelta&) {}));
  ASSERT_TRUE(streamed.ok());
  EXPECT_FALSE(streamed->forwarded);
  EXPECT_EQ(provider_->translated, 2);
}

}  // namespace
}  // namespace codecrew::llm
