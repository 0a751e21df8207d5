// The whole layer wired from TOML: a router call through the fake upstream
// recorded to a cassette, then the same call replayed from the cassette with
// the upstream gone.
#include "llm/llm_runtime.h"
#include "core/config.h"
#include "fake_upstream.h"
#include "llm/record/call_recorder.h"
#include "llm_test_util.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

namespace codecrew::llm {
namespace {

TEST(LlmRuntime, RecordsThroughTheUpstreamThenReplaysWithoutIt) {
  testing::TempDir dir;
  auto cassette = dir.str() + "/run.jsonl";
  auto upstream = std::make_unique<testing::FakeUpstream>();
  ASSERT_TRUE(upstream->start().ok());
  upstream->enqueue(testing::FakeReply::text_reply("recorded answer"));
  auto toml = "[providers.local]\nkind = \"openai_compatible\"\nbase_url = \"" + upstream->baseUrl() +
              "/v1\"\nmodels = [\"gpt-4o-mini\"]\nrpm = 100\n\n[roles.coder]\nprimary = \"gpt-4o-mini\"\n";
  auto config = core::parseConfig(toml, {});
  ASSERT_TRUE(config.ok()) << config.error().message;

  ChatRequest request;
  request.messages = {Message::user("write hello.c")};
  CallContext context;
  context.options.agent = "coder";
  context.options.step = "BUILD";

  boost::asio::io_context io;
  {
    LlmRuntimeOptions options;
    options.record_cassette = cassette;
    auto rt = buildLlmRuntime(config->document, options);
    ASSERT_TRUE(rt.ok()) << rt.error().message;
    ASSERT_EQ(rt->providers_found.size(), 1u);
    EXPECT_NE(rt->providers_found[0].find("local (openai_compatible)"), std::string::npos);
    auto r = test::runOn(io, rt->router->chat("coder", request, context));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->response.message.content, "recorded answer");
    auto calls = std::static_pointer_cast<MemoryCallRecorder>(rt->recorder)->calls();
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].provider, "local");
  }
  upstream.reset();

  LlmRuntimeOptions options;
  options.replay_cassette = cassette;
  options.strict_replay = true;
  auto rt = buildLlmRuntime(config->document, options);
  ASSERT_TRUE(rt.ok()) << rt.error().message;
  auto r = test::runOn(io, rt->router->chat("coder", request, context));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->response.message.content, "recorded answer");
  EXPECT_EQ(r->provider, "replay");
}

// The gateway relays as many calls at once as its clients send: every
// connection those calls opened stays pooled for the next ones (a smaller
// pool would close the rest after each call and reconnect).
TEST(LlmRuntime, KeepsEveryConcurrentUpstreamConnectionForReuse) {
  testing::FakeUpstreamOptions upstream_options;
  upstream_options.latency_ms = 200;
  testing::FakeUpstream upstream(upstream_options);
  ASSERT_TRUE(upstream.start().ok());
  upstream.setDefault(testing::FakeReply::text_reply("ok"));
  auto toml = "[providers.local]\nkind = \"openai_compatible\"\nbase_url = \"" + upstream.baseUrl() +
              "/v1\"\nmodels = [\"gpt-4o-mini\"]\n\n[roles.coder]\nprimary = \"gpt-4o-mini\"\n";
  auto config = core::parseConfig(toml, {});
  ASSERT_TRUE(config.ok()) << config.error().message;
  boost::asio::io_context io;
  LlmRuntimeOptions options;
  auto rt = buildLlmRuntime(config->document, options);
  ASSERT_TRUE(rt.ok()) << rt.error().message;

  constexpr int kCalls = 40;
  int ok = 0;
  for (int i = 0; i < kCalls; ++i) {
    boost::asio::co_spawn(
        io,
        [&]() -> boost::asio::awaitable<void> {
          const std::string role = "coder";
          ChatRequest request;
          request.messages = {Message::user("hi")};
          CallContext context;
          auto call = rt->router->chat(role, request, context);
          auto r = co_await std::move(call);
          if (r.ok()) ++ok;
        },
        boost::asio::detached);
  }
  io.run();
  EXPECT_EQ(ok, kCalls);
  ASSERT_GT(upstream.peakConcurrent(), 16u);  // the calls overlapped
  EXPECT_EQ(rt->client->idleConnections(), upstream.peakConcurrent());
}

}  // namespace
}  // namespace codecrew::llm
