// The HTTP client's timeouts end to end (HttpProvider + BeastHttpClient
// against the fake upstream's latency, slow-stream and hang faults): the
// idle gap between stream chunks, the total budget, first byte under a
// latency fault, and the router's max_latency capping the total budget.
// Each test asserts which timeout fired (the error names it), never how long
// anything took.
#include "fake_upstream.h"
#include "http/client/beast_http_client.h"
#include "llm/provider_registry.h"
#include "llm/providers/http_provider.h"
#include "llm_test_util.h"
#include "wire_router.h"

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>

namespace codecrew::llm {
namespace {

using std::chrono::milliseconds;
using testing::FakeReply;
using testing::FakeUpstream;

ChatRequest hiRequest() {
  ChatRequest r;
  r.model = "timeout-model";
  r.messages = {Message::user("hi")};
  return r;
}

class ProviderTimeoutTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(upstream_.start().ok());
    ProviderConfig config;
    config.name = config.kind = GetParam();
    config.api_key = "timeout-test-key-0123456789";
    config.base_url = upstream_.baseUrl();
    if (config.kind == "openai") config.base_url += "/v1";
    if (config.kind == "gemini") config.base_url += "/v1beta";
    client_ = std::make_shared<http::BeastHttpClient>();
    provider_ = std::make_shared<HttpProvider>(config.name, config.kind, makeWireFormat(config), client_,
                                               core::SystemClock::instance());
  }

  core::Result<ChatResponse> stream(const http::Timeouts& timeouts, std::vector<StreamDelta>* deltas) {
    CallOptions options;
    options.timeouts = timeouts;
    return test::runOn(io_, provider_->stream(hiRequest(), options,
                                              [deltas](const StreamDelta& d) { deltas->push_back(d); }));
  }

  core::Result<ChatResponse> chat(const http::Timeouts& timeouts) {
    CallOptions options;
    options.timeouts = timeouts;
    return test::runOn(io_, provider_->chat(hiRequest(), options));
  }

  static FakeReply longReply() {
    return FakeReply::text_reply("one two three four five six seven eight nine ten eleven twelve");
  }

  FakeUpstream upstream_;
  boost::asio::io_context io_;
  std::shared_ptr<http::BeastHttpClient> client_;
  std::shared_ptr<HttpProvider> provider_;
};

void expectTimeout(const core::Result<ChatResponse>& r, const std::string& which) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(classifyFailure(r.error()).kind, FailureKind::kTimeout) << r.error().message;
  EXPECT_TRUE(classifyFailure(r.error()).retryable);
  EXPECT_NE(r.error().message.find("HTTP " + which + " timeout"), std::string::npos) << r.error().message;
}

// The first frames arrive, then the upstream stalls far longer than the idle
// budget (but well inside first-byte and total): the idle timeout fires.
TEST_P(ProviderTimeoutTest, IdleGapBetweenStreamChunksIsCut) {
  FakeReply reply = longReply();
  reply.chunk_delay_ms = 60'000;
  upstream_.enqueue(reply);
  std::vector<StreamDelta> deltas;
  auto r = stream(http::Timeouts{milliseconds(5000), milliseconds(5000), milliseconds(200), milliseconds(30'000)},
                  &deltas);
  expectTimeout(r, "idle");
}

// Frames keep coming (each gap inside the idle budget) but the whole answer
// takes longer than the total budget: the total timeout fires mid-stream.
TEST_P(ProviderTimeoutTest, TotalTimeoutCutsAStreamThatKeepsTrickling) {
  FakeReply reply = longReply();
  reply.chunk_delay_ms = 150;
  upstream_.enqueue(reply);
  std::vector<StreamDelta> deltas;
  auto r = stream(http::Timeouts{milliseconds(5000), milliseconds(5000), milliseconds(5000), milliseconds(400)},
                  &deltas);
  expectTimeout(r, "total");
}

// The latency fault holds the response head back: past the first-byte budget
// it is a first-byte timeout; a total budget shorter than that wins instead.
TEST_P(ProviderTimeoutTest, LatencyFaultTripsFirstByteOrTotalWhicheverIsSooner) {
  FakeReply slow;
  slow.latency_ms = 60'000;
  upstream_.enqueue(slow);
  expectTimeout(chat(http::Timeouts{milliseconds(5000), milliseconds(200), milliseconds(5000), milliseconds(30'000)}),
                "first byte");
  upstream_.enqueue(slow);
  expectTimeout(chat(http::Timeouts{milliseconds(5000), milliseconds(30'000), milliseconds(5000), milliseconds(200)}),
                "total");
  EXPECT_GE(upstream_.peakConcurrent(), 1u);
}

// Latency inside every budget is just a slow answer.
TEST_P(ProviderTimeoutTest, LatencyWithinTheBudgetsStillAnswers) {
  FakeReply slow = FakeReply::text_reply("late but fine");
  slow.latency_ms = 100;
  upstream_.enqueue(slow);
  auto r = chat(http::Timeouts{milliseconds(5000), milliseconds(20'000), milliseconds(20'000), milliseconds(30'000)});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->message.content, "late but fine");
  EXPECT_EQ(upstream_.peakConcurrent(), 1u);
}

INSTANTIATE_TEST_SUITE_P(AllWireFormats, ProviderTimeoutTest,
                         ::testing::Values("openai", "anthropic", "gemini", "ollama"),
                         [](const auto& info) { return info.param; });

// The router caps each attempt's total budget with the role's max_latency: a
// hanging primary is given up after max_latency (the caller's own budget is
// far longer), recorded as a timeout, and the fallback answers.
TEST(RouterMaxLatency, CapsTheTotalTimeoutOfEachAttemptThenFallsBack) {
  FakeUpstream upstream;
  ASSERT_TRUE(upstream.start().ok());
  LlmConfig config;
  config.providers.push_back(ProviderConfig{"slow", "openai", upstream.baseUrl() + "/v1", "sk-slow-0123456789abcdef"});
  config.providers.push_back(ProviderConfig{"fast", "ollama", upstream.baseUrl(), ""});
  test::WireRouter wire(config);
  RolePolicy policy{"coder", "slow/gpt-4o", {"fast/llama3.2"}};
  policy.retry.max_attempts = 1;
  policy.max_latency = milliseconds(250);
  wire.router.setPolicy(policy);

  FakeReply hang;
  hang.hang = true;
  upstream.enqueue(hang);
  upstream.enqueue(FakeReply::text_reply("from the fallback"));
  CallContext context;
  context.options.timeouts = http::Timeouts{milliseconds(60'000), milliseconds(600'000), milliseconds(600'000),
                                            milliseconds(600'000)};
  auto r = wire.chat("coder", hiRequest(), context);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->response.message.content, "from the fallback");
  EXPECT_EQ(r->provider, "fast");
  auto calls = wire.recorder->calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].status, store::CallStatus::kFailed);
  EXPECT_EQ(calls[0].error_code, "timeout");
  EXPECT_EQ(calls[1].status, store::CallStatus::kSuccess);
  EXPECT_EQ(calls[1].fallback_of, calls[0].id);
  EXPECT_EQ(upstream.requests().size(), 2u);
}

// Without a max_latency the caller's budgets stand: the same hang is cut by
// the caller's first-byte timeout instead (the message says which).
TEST(RouterMaxLatency, AbsentMaxLatencyLeavesTheCallersBudgets) {
  FakeUpstream upstream;
  ASSERT_TRUE(upstream.start().ok());
  LlmConfig config;
  config.providers.push_back(ProviderConfig{"slow", "openai", upstream.baseUrl() + "/v1", "sk-slow-0123456789abcdef"});
  test::WireRouter wire(config);
  RolePolicy policy{"coder", "slow/gpt-4o", {}};
  policy.retry.max_attempts = 1;
  wire.router.setPolicy(policy);
  FakeReply hang;
  hang.hang = true;
  upstream.enqueue(hang);
  CallContext context;
  context.options.timeouts.first_byte = milliseconds(200);
  auto r = wire.chat("coder", hiRequest(), context);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("first byte"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace codecrew::llm
