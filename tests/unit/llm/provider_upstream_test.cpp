// Every adapter end to end: HttpProvider + BeastHttpClient against the fake
// upstream on 127.0.0.1, whole and streamed, plus the faults (429 with
// Retry-After, 500, malformed JSON, a cut stream, an error after a 200, a
// hang caught by the first-byte timeout, cancellation) and keep-alive reuse.
#include "fake_upstream.h"
#include "http/client/beast_http_client.h"
#include "llm/provider_registry.h"
#include "llm/providers/http_provider.h"
#include "llm_test_util.h"

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include <thread>

namespace codecrew::llm {
namespace {

using testing::FakeReply;
using testing::FakeToolCall;
using testing::FakeUpstream;
namespace bj = boost::json;

struct Case {
  std::string kind;
  std::string model;
};

class ProviderUpstreamTest : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(upstream_.start().ok());
    ProviderConfig config;
    config.name = GetParam().kind;
    config.kind = GetParam().kind;
    config.api_key = "planted-secret-key-0123456789";
    config.base_url = upstream_.baseUrl();
    if (config.kind == "openai") config.base_url += "/v1";
    if (config.kind == "gemini") config.base_url += "/v1beta";
    if (config.kind == "azure") config.deployment = "dep-1";
    client_ = std::make_shared<http::BeastHttpClient>();
    provider_ = std::make_shared<HttpProvider>(config.name, config.kind, makeWireFormat(config), client_,
                                               core::SystemClock::instance());
  }

  template <typename T>
  T run(boost::asio::awaitable<T> a) {
    return test::runOn(io_, std::move(a));
  }

  ChatRequest request() const {
    ChatRequest r;
    r.model = GetParam().model;
    r.messages = {Message::system("be brief"), Message::user("hi")};
    return r;
  }

  core::Result<ChatResponse> chat(CallOptions options = {}) { return run(provider_->chat(request(), options)); }

  core::Result<ChatResponse> stream(std::vector<StreamDelta>* deltas = nullptr, CallOptions options = {}) {
    return run(provider_->stream(request(), options, [deltas](const StreamDelta& d) {
      if (deltas) deltas->push_back(d);
    }));
  }

  FakeUpstream upstream_;
  boost::asio::io_context io_;
  std::shared_ptr<http::BeastHttpClient> client_;
  std::shared_ptr<HttpProvider> provider_;
};

TEST_P(ProviderUpstreamTest, ChatReturnsTextAndUsage) {
  FakeReply reply = FakeReply::text_reply("Hello there, friend.");
  reply.prompt_tokens = 21;
  reply.completion_tokens = 4;
  upstream_.enqueue(reply);
  auto r = chat();
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->message.content, "Hello there, friend.");
  EXPECT_EQ(r->usage.prompt_tokens, 21);
  EXPECT_EQ(r->usage.completion_tokens, 4);
  EXPECT_EQ(r->finish_reason, FinishReason::kStop);
  auto received = upstream_.requests();
  ASSERT_EQ(received.size(), 1u);
  EXPECT_FALSE(received[0].stream);
  EXPECT_NE(received[0].body.find("be brief"), std::string::npos);
}

TEST_P(ProviderUpstreamTest, StreamDeliversDeltasAndAssemblesToolCalls) {
  FakeReply reply = FakeReply::text_reply("Streaming a longer answer here.");
  reply.tool_calls.push_back(FakeToolCall{"", "read_file", R"({"path":"src/a.cpp"})"});
  upstream_.enqueue(reply);
  std::vector<StreamDelta> deltas;
  auto r = stream(&deltas);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->message.content, "Streaming a longer answer here.");
  ASSERT_EQ(r->message.tool_calls.size(), 1u);
  EXPECT_EQ(r->message.tool_calls[0].name, "read_file");
  EXPECT_EQ(bj::parse(r->message.tool_calls[0].arguments), bj::parse(R"({"path":"src/a.cpp"})"));
  EXPECT_EQ(r->finish_reason, FinishReason::kToolCalls);
  EXPECT_EQ(r->usage.prompt_tokens, 12);
  int text_deltas = 0;
  for (const auto& d : deltas) text_deltas += d.kind == StreamDelta::Kind::kText;
  EXPECT_GT(text_deltas, 1);
  EXPECT_TRUE(upstream_.requests().at(0).stream);
}

TEST_P(ProviderUpstreamTest, RateLimitCarriesRetryAfter) {
  upstream_.enqueue(FakeReply::error(429, "slow down", "7"));
  auto r = chat();
  ASSERT_FALSE(r.ok());
  auto info = classifyFailure(r.error());
  EXPECT_EQ(info.kind, FailureKind::kRateLimited);
  EXPECT_EQ(info.http_status, 429);
  EXPECT_EQ(info.retry_after, std::chrono::milliseconds(7000));
}

TEST_P(ProviderUpstreamTest, ServerErrorsAreRetryable) {
  upstream_.enqueue(FakeReply::error(500, "boom"));
  upstream_.enqueue(FakeReply::error(503, "unavailable"));
  for (int i = 0; i < 2; ++i) {
    auto r = chat();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(classifyFailure(r.error()).kind, FailureKind::kServer);
  }
}

TEST_P(ProviderUpstreamTest, ContextLengthErrorIsRecognised) {
  upstream_.enqueue(FakeReply::error(400, "This model's maximum context length is 8192 tokens"));
  auto r = chat();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(classifyFailure(r.error()).kind, FailureKind::kContextLength);
}

TEST_P(ProviderUpstreamTest, MalformedJsonIsReported) {
  FakeReply reply;
  reply.malformed = true;
  upstream_.enqueue(reply);
  auto r = chat();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(classifyFailure(r.error()).kind, FailureKind::kMalformed);
  upstream_.enqueue(reply);
  auto s = stream();
  ASSERT_FALSE(s.ok());
}

TEST_P(ProviderUpstreamTest, StreamCutInTheMiddleOfAChunkFails) {
  FakeReply reply = FakeReply::text_reply("a reply long enough to be cut in the middle of its chunks");
  reply.cut_stream = true;
  upstream_.enqueue(reply);
  std::vector<StreamDelta> deltas;
  auto r = stream(&deltas);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(classifyFailure(r.error()).retryable);
  EXPECT_FALSE(deltas.empty());
}

TEST_P(ProviderUpstreamTest, ErrorEventAfter200FailsTheStream) {
  FakeReply reply = FakeReply::text_reply("partial answer then trouble");
  reply.error_after_200 = true;
  reply.error_message = "Overloaded";
  upstream_.enqueue(reply);
  auto r = stream();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("Overloaded"), std::string::npos);
}

TEST_P(ProviderUpstreamTest, HangIsCutByTheFirstByteTimeout) {
  FakeReply reply;
  reply.hang = true;
  upstream_.enqueue(reply);
  CallOptions options;
  options.timeouts.first_byte = std::chrono::milliseconds(150);
  auto r = chat(options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(classifyFailure(r.error()).kind, FailureKind::kTimeout);
  EXPECT_NE(r.error().message.find("first byte"), std::string::npos);
}

TEST_P(ProviderUpstreamTest, CancellationStopsAHangingCall) {
  FakeReply reply;
  reply.hang = true;
  upstream_.enqueue(reply);
  CallOptions options;
  options.cancel = http::CancelToken::create();
  std::thread canceller([token = options.cancel] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    token->cancel();
  });
  auto r = chat(options);
  canceller.join();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(classifyFailure(r.error()).kind, FailureKind::kCancelled);
}

TEST_P(ProviderUpstreamTest, KeepAliveReusesTheConnection) {
  auto first = chat();
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(client_->idleConnections(), 1u);
  auto second = chat();
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(client_->idleConnections(), 1u);
}

INSTANTIATE_TEST_SUITE_P(AllWireFormats, ProviderUpstreamTest,
                         ::testing::Values(Case{"openai", "gpt-4o-mini"}, Case{"azure", "gpt-4o"},
                                           Case{"anthropic", "claude-sonnet-4"}, Case{"gemini", "gemini-2.5-flash"},
                                           Case{"ollama", "llama3.2"}),
                         [](const auto& info) { return info.param.kind; });

TEST(ProviderUpstream, AzureRequestsHitTheDeploymentPath) {
  FakeUpstream upstream;
  ASSERT_TRUE(upstream.start().ok());
  boost::asio::io_context io;
  ProviderConfig config{"az", "azure", upstream.baseUrl(), "az-key-0123456789"};
  config.deployment = "prod";
  config.api_version = "2024-10-21";
  auto client = std::make_shared<http::BeastHttpClient>();
  HttpProvider provider("az", "azure", makeWireFormat(config), client, core::SystemClock::instance());
  ChatRequest r;
  r.model = "gpt-4o";
  r.messages = {Message::user("hi")};
  ASSERT_TRUE(test::runOn(io, provider.chat(r, {})).ok());
  auto got = upstream.requests().at(0);
  EXPECT_EQ(got.target, "/openai/deployments/prod/chat/completions?api-version=2024-10-21");
  EXPECT_EQ(got.header("api-key"), "az-key-0123456789");
}

}  // namespace
}  // namespace codecrew::llm

namespace codecrew::llm {
namespace {

TEST(ProviderUpstream, HttpProxyReceivesAbsoluteFormAndNoProxyBypassesIt) {
  testing::FakeUpstream proxy;
  ASSERT_TRUE(proxy.start().ok());
  boost::asio::io_context io;
  http::ClientOptions options;
  options.proxy = http::ProxyConfig::fromEnv({{"HTTP_PROXY", proxy.baseUrl()}, {"NO_PROXY", "localhost"}});
  http::BeastHttpClient client(options);
  http::ClientRequest request;
  request.method = "POST";
  request.url = "http://api.example.invalid/v1/chat/completions";
  request.body = R"({"model":"m","messages":[],"stream":false})";
  auto r = test::runOn(io, client.send(request));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->status, 200);
  ASSERT_EQ(proxy.requests().size(), 1u);
  EXPECT_EQ(proxy.requests()[0].target, "http://api.example.invalid/v1/chat/completions");

  request.url = "http://localhost:1/v1/chat/completions";  // bypasses the proxy: nothing listens there
  auto direct = test::runOn(io, client.send(request));
  EXPECT_FALSE(direct.ok());
  EXPECT_EQ(proxy.requests().size(), 1u);
}

TEST(ProviderUpstream, TlsToAPlainServerFailsTheHandshake) {
  testing::FakeUpstream plain;
  ASSERT_TRUE(plain.start().ok());
  boost::asio::io_context io;
  http::BeastHttpClient client;
  http::ClientRequest request;
  request.url = "https://127.0.0.1:" + std::to_string(plain.port()) + "/v1/chat/completions";
  request.timeouts.connect = std::chrono::milliseconds(2000);
  auto r = test::runOn(io, client.send(request));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("TLS handshake"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace codecrew::llm

#include "llm/record/call_recorder.h"
#include "llm/router/router.h"

namespace codecrew::llm {
namespace {

// Router + HttpProvider + the fake upstream: a 429 with Retry-After is
// retried after exactly that long on the fake clock, then a 503 falls back
// after the retries, and each attempt is recorded with the wire status.
TEST(RouterOverTheWire, RetryAfterAndFallbackAgainstTheFakeUpstream) {
  testing::FakeUpstream upstream;
  ASSERT_TRUE(upstream.start().ok());
  boost::asio::io_context io;
  auto clock = std::make_shared<core::FakeClock>();
  auto sleeper = std::make_shared<FakeSleeper>(clock);
  auto client = std::make_shared<http::BeastHttpClient>();
  LlmConfig config;
  config.providers.push_back(ProviderConfig{"oa", "openai", upstream.baseUrl() + "/v1", "sk-wire-0123456789abcdef"});
  config.providers.push_back(ProviderConfig{"an", "anthropic", upstream.baseUrl(), "sk-ant-wire-0123456789"});
  auto registry = ProviderRegistry::fromConfig(config, client, clock);
  auto recorder = std::make_shared<MemoryCallRecorder>();
  Router router(RouterDeps{registry, recorder, Redactor::create(config.secrets()).value(), clock, sleeper,
                           std::make_shared<RateScheduler>(clock, sleeper)});
  RolePolicy policy{"coder", "oa/gpt-4o", {"an/claude-sonnet-4"}};
  policy.retry.max_attempts = 2;
  router.setPolicy(policy);

  upstream.enqueue(testing::FakeReply::error(429, "rate limited", "2"));
  upstream.enqueue(testing::FakeReply::error(503, "overloaded"));
  upstream.enqueue(testing::FakeReply::text_reply("from anthropic"));
  ChatRequest request;
  request.messages = {Message::user("hi")};
  auto start = clock->nowMillis();
  auto r = test::runOn(io, router.chat("coder", request, CallContext{}));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->response.message.content, "from anthropic");
  EXPECT_EQ(r->provider, "an");
  EXPECT_EQ(clock->nowMillis() - start, 2000);
  auto calls = recorder->calls();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0].response_data.at("status"), 429);
  EXPECT_EQ(calls[1].response_data.at("status"), 503);
  EXPECT_EQ(calls[2].status, store::CallStatus::kSuccess);
  EXPECT_EQ(calls[2].model, "claude-sonnet-4");
  EXPECT_EQ(calls[2].fallback_of, calls[0].id);
  auto received = upstream.requests();
  ASSERT_EQ(received.size(), 3u);
  EXPECT_EQ(received[2].kind, testing::WireKind::kAnthropic);
  for (const auto& call : calls)
    EXPECT_EQ(boost::json::serialize(call.request_data).find("sk-wire-0123456789abcdef"), std::string::npos);
}

}  // namespace
}  // namespace codecrew::llm
