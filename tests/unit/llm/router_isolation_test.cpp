// Failures kept where they happen and said out loud: an embeddings endpoint
// that keeps answering the wrong shape opens its own breaker (provider and
// endpoint kind), never chat's; every upstream failure, retry and breaker
// trip or reset is a warn line naming provider, endpoint, model, status and
// attempt. And no call leaves without a model or unrecorded.
#include "core/config.h"
#include "core/log.h"
#include "fake_upstream.h"
#include "llm/llm_runtime.h"
#include "llm/record/call_recorder.h"
#include "llm/router/router.h"
#include "llm_test_util.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>
#include <boost/json.hpp>

#include <fstream>
#include <sstream>

namespace codecrew::llm {
namespace {

using std::chrono::milliseconds;

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<boost::json::object> warnLines(const std::string& log, std::string_view message) {
  std::vector<boost::json::object> out;
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    boost::system::error_code ec;
    auto v = boost::json::parse(line, ec);
    if (ec || !v.is_object()) continue;
    const auto& o = v.as_object();
    const auto* msg = o.if_contains("msg");
    if (!msg) msg = o.if_contains("message");
    if (msg && msg->is_string() && msg->as_string() == message) out.push_back(o);
  }
  return out;
}

TEST(EndpointIsolation, AWrongShapedEmbeddingsAnswerNeverOpensChatsBreaker) {
  testing::TempDir dir;
  const std::string log_path = dir.str() + "/router.log";
  core::LogConfig log_config;
  log_config.file = log_path;
  core::log::init(log_config);

  testing::FakeUpstream upstream;
  ASSERT_TRUE(upstream.start().ok());
  auto toml = "[providers.openai]\nbase_url = \"" + upstream.baseUrl() +
              "/v1\"\napi_key = \"sk-test-isolation-0123456789\"\n\n[roles.embedder]\nmax_attempts = 1\n";
  auto config = core::parseConfig(toml, {});
  ASSERT_TRUE(config.ok()) << config.error().message;
  auto rt = buildLlmRuntime(config->document, LlmRuntimeOptions{});
  ASSERT_TRUE(rt.ok()) << rt.error().message;

  boost::asio::io_context io;
  EmbeddingRequest embed;
  embed.model = "text-embedding-3-small";
  embed.inputs = {"hello"};
  testing::FakeReply wrong;
  wrong.malformed = true;        // a 200 whose body is not the embeddings shape
  for (int i = 0; i < 5; ++i) {  // the default breaker opens after 5 failures
    upstream.enqueue(wrong);
    auto r = test::runOn(io, rt->router->embed("embedder", embed, CallContext{}));
    EXPECT_FALSE(r.ok());
  }
  EXPECT_EQ(rt->router->breakerState("openai", EndpointKind::kEmbeddings), CircuitBreaker::State::kOpen);
  EXPECT_EQ(rt->router->breakerState("openai", EndpointKind::kChat), CircuitBreaker::State::kClosed);
  auto refused = test::runOn(io, rt->router->embed("embedder", embed, CallContext{}));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(classifyFailure(refused.error()).kind, FailureKind::kCircuitOpen);

  ChatRequest chat;
  chat.model = "gpt-4.1";
  chat.messages = {Message::user("still there?")};
  auto answer = test::runOn(io, rt->router->chat("coder", chat, CallContext{}));
  ASSERT_TRUE(answer.ok()) << answer.error().message;
  EXPECT_EQ(answer->response.message.content, "Hello from the fake upstream.");

  core::log::flush();
  auto log = readFile(log_path);
  core::log::init(core::LogConfig{});
  auto failures = warnLines(log, "upstream call failed");
  ASSERT_EQ(failures.size(), 5u) << log;
  EXPECT_EQ(failures[0].at("provider").as_string(), "openai");
  EXPECT_EQ(failures[0].at("endpoint").as_string(), "embeddings");
  EXPECT_EQ(failures[0].at("model").as_string(), "text-embedding-3-small");
  EXPECT_EQ(failures[0].at("attempt").as_int64(), 1);
  EXPECT_TRUE(failures[0].contains("status"));
  auto trips = warnLines(log, "circuit breaker opened: calls to this provider's endpoint are refused for a while");
  ASSERT_EQ(trips.size(), 1u) << log;
  EXPECT_EQ(trips[0].at("endpoint").as_string(), "embeddings");
  EXPECT_EQ(log.find("sk-test-isolation-0123456789"), std::string::npos);
}

TEST(EndpointIsolation, ChatAndEmbeddingsCountAgainstTheirOwnProviderLimit) {
  ResolvedModel m{"x", "openai", "gpt-4.1", 0, "abc"};
  EXPECT_EQ(Router::limitKeys(m, EndpointKind::kChat),
            (std::vector<std::string>{"provider:openai", "model:openai/gpt-4.1", "key:abc"}));
  EXPECT_EQ(Router::limitKeys(m, EndpointKind::kEmbeddings),
            (std::vector<std::string>{"provider:openai/embeddings", "model:openai/gpt-4.1", "key:abc"}));
}

class RouterGuardsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_ = std::make_shared<core::FakeClock>();
    sleeper_ = std::make_shared<FakeSleeper>(clock_);
    registry_ = std::make_shared<ProviderRegistry>();
    provider_ = std::make_shared<test::ScriptedProvider>("only");
    registry_->addProvider(provider_);  // the only provider: any name resolves to it
  }

  std::unique_ptr<Router> router(std::shared_ptr<CallRecorder> recorder) {
    RouterDeps deps{registry_,
                    std::move(recorder),
                    Redactor::create({}).value(),
                    clock_,
                    sleeper_,
                    std::make_shared<RateScheduler>(clock_, sleeper_)};
    RouterOptions options;
    options.breaker.failure_threshold = 2;
    options.breaker.open_duration = milliseconds(1000);
    return std::make_unique<Router>(deps, options);
  }

  std::shared_ptr<core::FakeClock> clock_;
  std::shared_ptr<FakeSleeper> sleeper_;
  std::shared_ptr<ProviderRegistry> registry_;
  std::shared_ptr<test::ScriptedProvider> provider_;
};

TEST_F(RouterGuardsTest, ACallWithoutAModelIsRefusedBeforeItLeaves) {
  auto r = router(std::make_shared<MemoryCallRecorder>());
  ChatRequest request;
  request.messages = {Message::user("hi")};
  provider_->pushText("never");
  auto answer = test::run(r->chat("coder", request, CallContext{}));
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(answer.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(answer.error().message.find("no model for role 'coder'"), std::string::npos) << answer.error().message;
  request.model = "only/";  // a provider and no model
  answer = test::run(r->chat("coder", request, CallContext{}));
  ASSERT_FALSE(answer.ok());
  EXPECT_EQ(provider_->calls(), 0);
}

class FailingRecorder final : public CallRecorder {
 public:
  boost::asio::awaitable<core::Result<core::Id>> record(store::LlmCall) override {
    co_return core::Error::unavailable("database is locked");
  }
};

TEST_F(RouterGuardsTest, ACallThatCannotBeRecordedFails) {
  auto r = router(std::make_shared<FailingRecorder>());
  ChatRequest request;
  request.model = "m";
  request.messages = {Message::user("hi")};
  provider_->pushText("answered but not recorded");
  auto answer = test::run(r->chat("coder", request, CallContext{}));
  ASSERT_FALSE(answer.ok());
  // The store's unavailability stays kUnavailable, marked as the record's
  // (the engine stops the run and resumes it rather than failing it).
  EXPECT_EQ(answer.error().code, core::ErrorCode::kUnavailable);
  EXPECT_TRUE(answer.error().details.is_object() && answer.error().details.as_object().contains("record"));
  EXPECT_NE(answer.error().message.find("could not record an LLM call: database is locked"), std::string::npos);
  EXPECT_EQ(provider_->calls(), 1);  // no second try of a call that was answered
}

TEST_F(RouterGuardsTest, RetriesTripsAndResetsAreWarnLines) {
  testing::TempDir dir;
  const std::string log_path = dir.str() + "/router.log";
  core::LogConfig log_config;
  log_config.file = log_path;
  core::log::init(log_config);
  auto r = router(std::make_shared<MemoryCallRecorder>());
  RolePolicy twice{"coder", "m", {}};
  twice.retry.max_attempts = 2;
  twice.retry.jitter = 0;
  r->setPolicy(twice);
  ChatRequest request;
  request.messages = {Message::user("hi")};
  provider_->pushError(FailureKind::kServer, 503);
  provider_->pushError(FailureKind::kServer, 503);
  EXPECT_FALSE(test::run(r->chat("coder", request, CallContext{})).ok());
  EXPECT_EQ(r->breakerState("only"), CircuitBreaker::State::kOpen);
  clock_->advance(milliseconds(1000));
  provider_->pushText("back");
  ASSERT_TRUE(test::run(r->chat("coder", request, CallContext{})).ok());
  EXPECT_EQ(r->breakerState("only"), CircuitBreaker::State::kClosed);
  core::log::flush();
  auto log = readFile(log_path);
  core::log::init(core::LogConfig{});
  auto retries = warnLines(log, "retrying an LLM call");
  ASSERT_EQ(retries.size(), 1u) << log;
  EXPECT_EQ(retries[0].at("provider").as_string(), "only");
  EXPECT_EQ(retries[0].at("model").as_string(), "m");
  EXPECT_EQ(retries[0].at("status").as_int64(), 503);
  EXPECT_EQ(retries[0].at("attempt").as_int64(), 2);
  auto failures = warnLines(log, "upstream call failed");
  ASSERT_EQ(failures.size(), 2u);
  EXPECT_EQ(failures[1].at("attempt").as_int64(), 2);
  EXPECT_EQ(failures[1].at("status").as_int64(), 503);
  auto trips = warnLines(log, "circuit breaker opened: calls to this provider's endpoint are refused for a while");
  ASSERT_EQ(trips.size(), 1u);
  EXPECT_EQ(trips[0].at("endpoint").as_string(), "chat");
  EXPECT_EQ(warnLines(log, "circuit breaker closed: the provider's endpoint answers again").size(), 1u);
  for (const auto& line : trips) EXPECT_EQ(line.at("level").as_string(), "warn");
}

}  // namespace
}  // namespace codecrew::llm
