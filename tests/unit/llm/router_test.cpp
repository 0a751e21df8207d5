// The router on scripted providers, a FakeClock and a FakeSleeper: fallback
// order, retry counts, Retry-After honoured exactly, backoff growth, breaker
// transitions, context-length fallback to a larger window, the cost cap, and
// the call records (attempts linked by fallback_of, secrets redacted).
#include "llm/router/router.h"
#include "core/log.h"
#include "llm/record/call_recorder.h"
#include "llm_test_util.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <boost/asio/detached.hpp>
#include <boost/json.hpp>

#include <algorithm>

#include <fstream>
#include <sstream>

namespace codecrew::llm {
namespace {

using std::chrono::milliseconds;
using test::ScriptedProvider;

constexpr const char* kPlantedKey = "sk-planted-abcdefghijklmnopqrstuvwxyz012345";

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_ = std::make_shared<core::FakeClock>();
    sleeper_ = std::make_shared<FakeSleeper>(clock_);
    registry_ = std::make_shared<ProviderRegistry>();
    a_ = std::make_shared<ScriptedProvider>("alpha");
    b_ = std::make_shared<ScriptedProvider>("beta");
    a_->planted_key = kPlantedKey;
    b_->planted_key = kPlantedKey;
    registry_->addProvider(a_);
    registry_->addProvider(b_);
    registry_->addModel(ModelConfig{"small", "alpha", "alpha-small", 8'000});
    registry_->addModel(ModelConfig{"large", "beta", "beta-large", 200'000});
    registry_->addModel(ModelConfig{"medium", "beta", "beta-medium", 32'000});
    recorder_ = std::make_shared<MemoryCallRecorder>();
    auto redactor = Redactor::create({kPlantedKey});
    ASSERT_TRUE(redactor.ok());
    RouterDeps deps{registry_, recorder_, redactor.value(),
                    clock_,    sleeper_,  std::make_shared<RateScheduler>(clock_, sleeper_)};
    deps.metrics = std::make_shared<RouterMetrics>(metrics_, "crew");
    deps.tracer = std::make_shared<telemetry::Tracer>(spans_);
    deps.prices.set("alpha-small", ModelPrice{1.0, 2.0, 0.5});
    deps.prices.set("beta-large", ModelPrice{100.0, 200.0, 0});
    RouterOptions options;
    options.breaker.failure_threshold = 3;
    options.breaker.open_duration = milliseconds(10'000);
    router_ = std::make_unique<Router>(deps, options);
    RolePolicy coder{"coder", "small", {"large"}};
    coder.retry.max_attempts = 3;
    coder.retry.base_delay = milliseconds(100);
    coder.retry.jitter = 0;
    router_->setPolicy(coder);
  }

  ChatRequest request() const {
    ChatRequest r;
    r.messages = {Message::user("write the code")};
    r.max_tokens = 100;
    return r;
  }

  core::Result<RoutedResponse> chat(const std::string& role = "coder") {
    CallContext context;
    context.tenant_id = 7;
    context.execution_id = 42;
    context.budget_snapshot = boost::json::object{{"tokens_left", 5000}};
    return test::run(router_->chat(role, request(), context));
  }

  std::shared_ptr<core::FakeClock> clock_;
  std::shared_ptr<FakeSleeper> sleeper_;
  std::shared_ptr<ProviderRegistry> registry_;
  std::shared_ptr<ScriptedProvider> a_, b_;
  std::shared_ptr<MemoryCallRecorder> recorder_;
  std::unique_ptr<Router> router_;
  telemetry::Registry metrics_;
  std::shared_ptr<test::SpanRecorder> spans_ = std::make_shared<test::SpanRecorder>();

  // A sample's value in the rendered registry (-1 when absent).
  double sample(const std::string& series) {
    const auto text = metrics_.render();
    const auto at = text.find("\n" + series + " ");
    if (at == std::string::npos) return -1;
    return std::stod(text.substr(at + series.size() + 2));
  }
};

TEST_F(RouterTest, PrimaryAnswersFirstTime) {
  a_->pushText("done", 30, 10);
  auto r = chat();
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->provider, "alpha");
  EXPECT_EQ(r->model, "alpha-small");
  EXPECT_EQ(r->attempts, 1);
  EXPECT_DOUBLE_EQ(r->cost, (30 * 1.0 + 10 * 2.0) / 1e6);
  auto calls = recorder_->calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].status, store::CallStatus::kSuccess);
  EXPECT_EQ(calls[0].tenant_id, 7);
  EXPECT_EQ(calls[0].execution_id, 42);
  EXPECT_EQ(calls[0].prompt_tokens, 30);
  EXPECT_EQ(calls[0].max_tokens, 100);
  EXPECT_EQ(calls[0].prompt_hash.size(), 64u);
  EXPECT_EQ(calls[0].response_hash.size(), 64u);
  EXPECT_EQ(calls[0].budget_snapshot.at("tokens_left"), 5000);
  EXPECT_FALSE(calls[0].fallback_of);
}

TEST_F(RouterTest, RetriesThenSucceedsWithBackoff) {
  a_->pushError(FailureKind::kServer, 500);
  a_->pushError(FailureKind::kServer, 503);
  a_->pushText("third time lucky");
  auto r = chat();
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(a_->calls(), 3);
  EXPECT_EQ(b_->calls(), 0);
  EXPECT_EQ(r->attempts, 3);
  auto sleeps = sleeper_->sleeps();
  ASSERT_EQ(sleeps.size(), 2u);
  EXPECT_EQ(sleeps[0], milliseconds(100));
  EXPECT_EQ(sleeps[1], milliseconds(200));
  auto calls = recorder_->calls();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0].status, store::CallStatus::kFailed);
  EXPECT_EQ(calls[0].error_code, "server_error");
  EXPECT_EQ(calls[1].attempt, 2);
  EXPECT_EQ(calls[1].fallback_of, calls[0].id);
  EXPECT_EQ(calls[2].attempt, 3);
  EXPECT_EQ(calls[2].fallback_of, calls[0].id);
  EXPECT_EQ(r->call_id, calls[2].id);
}

TEST_F(RouterTest, MetricsCountEveryAttemptRetryAndTokenByOrigin) {
  a_->pushError(FailureKind::kServer, 500);
  a_->pushError(FailureKind::kServer, 503);
  a_->pushText("third time lucky", 30, 10);
  ASSERT_TRUE(chat().ok());
  const std::string labels = R"(provider="alpha",model="alpha-small",endpoint="chat",origin="crew")";
  EXPECT_EQ(sample("codecrew_llm_requests_total{" + labels + R"(,status="failed",error="server_error"})"), 2);
  EXPECT_EQ(sample("codecrew_llm_requests_total{" + labels + R"(,status="success",error=""})"), 1);
  EXPECT_EQ(sample(R"(codecrew_llm_retries_total{provider="alpha",endpoint="chat",reason="server_error"})"), 2);
  EXPECT_EQ(sample("codecrew_llm_request_duration_seconds_count{" + labels + "}"), 3);
  EXPECT_EQ(sample(
                R"(codecrew_llm_tokens_total{provider="alpha",model="alpha-small",origin="crew",direction="input"})"),
            30);
  EXPECT_EQ(sample(
                R"(codecrew_llm_tokens_total{provider="alpha",model="alpha-small",origin="crew",direction="output"})"),
            10);
  EXPECT_DOUBLE_EQ(sample(R"(codecrew_llm_cost_usd_total{provider="alpha",model="alpha-small",origin="crew"})"),
                   (30 * 1.0 + 10 * 2.0) / 1e6);
  // A /v1 client's call is the gateway's.
  a_->pushText("for a client");
  CallContext gateway;
  gateway.tenant_id = 7;
  gateway.from_gateway = true;
  ASSERT_TRUE(test::run(router_->chat("coder", request(), gateway)).ok());
  EXPECT_EQ(sample(R"(codecrew_llm_requests_total{provider="alpha",model="alpha-small",endpoint="chat",)"
                   R"(origin="gateway",status="success",error=""})"),
            1);
}

TEST_F(RouterTest, EachAttemptIsAClientSpanUnderTheCallersAndItsTraceparentGoesToTheProvider) {
  auto parent = telemetry::parseTraceparent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
  a_->pushError(FailureKind::kServer, 500);
  a_->pushText("ok", 12, 3);
  CallContext context;
  context.tenant_id = 7;
  context.trace = *parent;
  context.request_id = "req-42";
  ASSERT_TRUE(test::run(router_->chat("coder", request(), context)).ok());
  auto spans = spans_->spans();
  ASSERT_EQ(spans.size(), 2u);  // one per attempt
  ASSERT_EQ(a_->headers_seen.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    const auto& span = spans[i];
    EXPECT_EQ(span.name, "chat alpha-small");
    EXPECT_EQ(span.kind, telemetry::SpanKind::kClient);
    EXPECT_EQ(span.context.traceIdHex(), "4bf92f3577b34da6a3ce929d0e0e4736");
    ASSERT_TRUE(span.parent);
    EXPECT_EQ(*span.parent, parent->span_id);
    auto traceparent = http::findHeader(a_->headers_seen[i], "traceparent");
    ASSERT_TRUE(traceparent);
    EXPECT_EQ(*traceparent, span.context.traceparent()) << "the provider is told the attempt's own span";
    EXPECT_EQ(http::findHeader(a_->headers_seen[i], "X-Request-Id"), "req-42");
  }
  EXPECT_TRUE(spans[0].error);
  EXPECT_FALSE(spans[1].error);
  auto calls = recorder_->calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1].trace_id, "4bf92f3577b34da6a3ce929d0e0e4736");
  EXPECT_EQ(calls[1].span_id, spans[1].context.spanIdHex());
  EXPECT_EQ(calls[1].request_id, "req-42");
}

TEST_F(RouterTest, RetryAfterIsHonouredOnTheClock) {
  a_->pushError(FailureKind::kRateLimited, 429, milliseconds(7000));
  a_->pushText("ok");
  auto before = clock_->nowMillis();
  auto r = chat();
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(sleeper_->sleeps().size(), 1u);
  EXPECT_EQ(sleeper_->sleeps()[0], milliseconds(7000));
  EXPECT_EQ(clock_->nowMillis() - before, 7000);
}

TEST_F(RouterTest, FallsBackInOrderAfterRetriesAreSpent) {
  for (int i = 0; i < 3; ++i) a_->pushError(FailureKind::kTimeout);
  b_->pushText("from beta");
  auto r = chat();
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->provider, "beta");
  EXPECT_EQ(a_->calls(), 3);
  EXPECT_EQ(b_->calls(), 1);
  EXPECT_EQ(b_->models(), std::vector<std::string>{"beta-large"});
  auto calls = recorder_->calls();
  ASSERT_EQ(calls.size(), 4u);
  EXPECT_EQ(calls[3].provider, "beta");
  EXPECT_EQ(calls[3].attempt, 4);
  EXPECT_EQ(calls[3].fallback_of, calls[0].id);
}

TEST_F(RouterTest, NonRetryableErrorFallsBackAtOnce) {
  a_->pushError(FailureKind::kAuth, 401);
  b_->pushText("beta");
  auto r = chat();
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(a_->calls(), 1);
  EXPECT_TRUE(sleeper_->sleeps().empty());
}

TEST_F(RouterTest, EveryModelFailingReturnsTheLastError) {
  for (int i = 0; i < 3; ++i) a_->pushError(FailureKind::kServer, 500);
  for (int i = 0; i < 3; ++i) b_->pushError(FailureKind::kServer, 502);
  auto r = chat();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("every model for role 'coder' failed"), std::string::npos);
  EXPECT_EQ(recorder_->calls().size(), 6u);
}

TEST_F(RouterTest, ContextLengthErrorMovesToALargerWindow) {
  router_->setPolicy(RolePolicy{"reader", "small", {}});
  a_->pushError(FailureKind::kContextLength, 400);
  b_->pushText("fits now");
  auto r = chat("reader");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(a_->calls(), 1);
  EXPECT_EQ(b_->models(), std::vector<std::string>{"beta-medium"});
}

TEST_F(RouterTest, CostCapSkipsExpensiveModels) {
  RolePolicy cheap{"cheap", "large", {"small"}};
  cheap.max_cost_per_call = 0.001;
  router_->setPolicy(cheap);
  a_->pushText("cheap answer");
  auto r = chat("cheap");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(b_->calls(), 0);
  auto calls = recorder_->calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].status, store::CallStatus::kSkipped);
  EXPECT_EQ(calls[0].error_code, "over_budget");
  EXPECT_EQ(calls[1].fallback_of, calls[0].id);
}

TEST_F(RouterTest, BreakerOpensSkipsThenHalfOpensAndCloses) {
  RolePolicy once{"once", "small", {"large"}};
  once.retry.max_attempts = 1;
  router_->setPolicy(once);
  for (int i = 0; i < 3; ++i) {
    a_->pushError(FailureKind::kServer, 500);
    b_->pushText("b");
    ASSERT_TRUE(chat("once").ok());
  }
  EXPECT_EQ(router_->breakerState("alpha"), CircuitBreaker::State::kOpen);
  EXPECT_EQ(sample(R"(codecrew_llm_breaker_trips_total{provider="alpha",endpoint="chat",router="crew"})"), 1);
  router_->reportBreakers();
  EXPECT_EQ(sample(R"(codecrew_llm_breaker_state{provider="alpha",endpoint="chat",router="crew"})"), 2);
  b_->pushText("b while open");
  ASSERT_TRUE(chat("once").ok());
  EXPECT_EQ(a_->calls(), 3);  // skipped while open
  EXPECT_EQ(recorder_->calls().back().provider, "beta");
  EXPECT_EQ(recorder_->calls()[recorder_->calls().size() - 2].error_code, "circuit_open");

  clock_->advance(milliseconds(10'000));
  EXPECT_EQ(router_->breakerState("alpha"), CircuitBreaker::State::kHalfOpen);
  a_->pushError(FailureKind::kServer, 500);  // the probe fails: open again
  b_->pushText("b");
  ASSERT_TRUE(chat("once").ok());
  EXPECT_EQ(router_->breakerState("alpha"), CircuitBreaker::State::kOpen);

  clock_->advance(milliseconds(10'000));
  a_->pushText("alpha is back");
  auto r = chat("once");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->provider, "alpha");
  EXPECT_EQ(router_->breakerState("alpha"), CircuitBreaker::State::kClosed);
}

TEST_F(RouterTest, ClientErrorsDoNotTripTheBreaker) {
  RolePolicy once{"once", "small", {}};
  once.retry.max_attempts = 1;
  router_->setPolicy(once);
  for (int i = 0; i < 5; ++i) {
    a_->pushError(FailureKind::kBadRequest, 400);
    EXPECT_FALSE(chat("once").ok());
  }
  EXPECT_EQ(router_->breakerState("alpha"), CircuitBreaker::State::kClosed);
}

TEST_F(RouterTest, PlantedKeyNeverReachesRecordsOrLogs) {
  testing::TempDir dir;
  std::string log_path = dir.str() + "/llm.log";
  core::LogConfig log_config;
  log_config.level = "debug";
  log_config.file = log_path;
  core::log::init(log_config);
  core::log::registerSecret(kPlantedKey);
  a_->push([](const ChatRequest&) {
    return core::Result<ChatResponse>(
        providerError(FailureKind::kServer, std::string("upstream echoed ") + kPlantedKey));
  });
  a_->pushText(std::string("the key is ") + kPlantedKey);
  auto r = chat();
  ASSERT_TRUE(r.ok());
  core::log::info("router finished", {{"detail", std::string("key ") + kPlantedKey}});
  core::log::flush();
  for (const auto& call : recorder_->calls()) {
    auto request = boost::json::serialize(call.request_data);
    auto response = boost::json::serialize(call.response_data);
    EXPECT_EQ(request.find(kPlantedKey), std::string::npos) << request;
    EXPECT_EQ(response.find(kPlantedKey), std::string::npos) << response;
    EXPECT_NE(request.find("[REDACTED]"), std::string::npos);
  }
  std::ifstream in(log_path);
  std::stringstream log;
  log << in.rdbuf();
  EXPECT_FALSE(log.str().empty());
  EXPECT_EQ(log.str().find(kPlantedKey), std::string::npos);
  core::log::init(core::LogConfig{});
}

TEST_F(RouterTest, HundredConcurrentCallersShareTheRequestLimit) {
  RolePolicy fast{"fast", "small", {}};
  fast.retry.max_attempts = 1;
  router_->setPolicy(fast);
  LlmConfig limits;
  limits.providers.push_back(ProviderConfig{"alpha"});
  limits.providers.back().rpm = 20;
  router_->applyLimits(limits);
  for (int i = 0; i < 100; ++i) a_->pushText("ok");
  boost::asio::io_context io;
  int ok = 0;
  for (int i = 0; i < 100; ++i) {
    boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<void> {
          const std::string role = "fast";
          ChatRequest req = request();
          CallContext context;
          auto r = co_await router_->chat(role, std::move(req), std::move(context));
          ok += r.ok();
        },
        boost::asio::detached);
  }
  io.run();
  EXPECT_EQ(ok, 100);
  std::vector<core::Millis> at;
  for (const auto& call : recorder_->calls()) at.push_back(call.timestamp);
  ASSERT_EQ(at.size(), 100u);
  std::sort(at.begin(), at.end());
  for (std::size_t i = 0; i + 20 < at.size(); ++i) EXPECT_GE(at[i + 20] - at[i], 60'000) << "window at " << i;
}

TEST_F(RouterTest, StreamRetriesOnlyBeforeAnyDeltaWasDelivered) {
  a_->pushError(FailureKind::kServer, 500);
  a_->pushText("streamed after a retry");
  std::vector<std::string> texts;
  auto r = test::run(
      router_->stream("coder", request(), CallContext{}, [&](const StreamDelta& d) { texts.push_back(d.text); }));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(texts, std::vector<std::string>{"streamed after a retry"});
  EXPECT_EQ(a_->calls(), 2);
  EXPECT_EQ(recorder_->calls().size(), 2u);
}

TEST_F(RouterTest, CallerKeysAddPerTenantLimits) {
  auto scheduler = std::make_shared<RateScheduler>(clock_, sleeper_);
  scheduler->setLimit("tenant:7", RateLimit{1, 0});
  auto redactor = Redactor::create({}).value();
  Router router(RouterDeps{registry_, recorder_, redactor, clock_, sleeper_, scheduler});
  a_->pushText("one");
  a_->pushText("two");
  CallContext context;
  context.limit_keys = {"tenant:7"};
  auto before = clock_->nowMillis();
  ASSERT_TRUE(test::run(router.chat(
                            "any",
                            [&] {
                              auto r = request();
                              r.model = "small";
                              return r;
                            }(),
                            context))
                  .ok());
  ASSERT_TRUE(test::run(router.chat(
                            "any",
                            [&] {
                              auto r = request();
                              r.model = "small";
                              return r;
                            }(),
                            context))
                  .ok());
  EXPECT_EQ(clock_->nowMillis() - before, 60'000);  // the second call waited for the tenant's window
}

TEST(RetryPolicy, BackoffGrowsCapsAndJitters) {
  RetryPolicy p;
  p.base_delay = milliseconds(100);
  p.max_delay = milliseconds(1000);
  p.jitter = 0.5;
  EXPECT_EQ(p.backoff(2, std::nullopt, 0.0), milliseconds(100));
  EXPECT_EQ(p.backoff(3, std::nullopt, 0.0), milliseconds(200));
  EXPECT_EQ(p.backoff(10, std::nullopt, 0.0), milliseconds(1000));
  EXPECT_EQ(p.backoff(3, std::nullopt, 1.0), milliseconds(100));
  EXPECT_EQ(p.backoff(3, milliseconds(4000), 0.5), milliseconds(4000));
  EXPECT_FALSE(p.backoff(3, milliseconds(120'000), 0.5));
}

}  // namespace
}  // namespace codecrew::llm
