// RouterModelClient: with a token sink the call streams and the sink sees the
// text as it comes, with the call's context; the reply is the whole answer
// either way, and without a sink the call is not streamed.
#include "engine/model_client.h"
#include "llm/record/call_recorder.h"

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

namespace codecrew::engine {
namespace {

class TwoPieceProvider final : public llm::Provider {
 public:
  const std::string& name() const override { return name_; }
  const std::string& kind() const override { return name_; }
  boost::asio::awaitable<core::Result<llm::ChatResponse>> chat(const llm::ChatRequest&,
                                                               const llm::CallOptions&) override {
    ++chats;
    co_return answer();
  }
  boost::asio::awaitable<core::Result<llm::ChatResponse>> stream(const llm::ChatRequest&, const llm::CallOptions&,
                                                                 llm::DeltaSink on_delta) override {
    ++streams;
    on_delta(llm::StreamDelta::textDelta("Hello, "));
    on_delta(llm::StreamDelta::textDelta("world"));
    co_return answer();
  }
  int chats = 0, streams = 0;

 private:
  static llm::ChatResponse answer() {
    llm::ChatResponse r;
    r.model = "two-piece";
    r.message.content = "Hello, world";
    r.usage = llm::Usage{5, 2, 7, 0, {}, true};
    r.finish_reason = llm::FinishReason::kStop;
    return r;
  }
  std::string name_ = "twopiece";
};

struct RouterBench {
  std::shared_ptr<TwoPieceProvider> provider = std::make_shared<TwoPieceProvider>();
  std::shared_ptr<llm::ProviderRegistry> registry = std::make_shared<llm::ProviderRegistry>();
  std::shared_ptr<llm::Router> router;
  RouterBench() {
    registry->addProvider(provider, {"two-piece"});
    auto clock = std::make_shared<core::FakeClock>();
    auto sleeper = std::make_shared<llm::FakeSleeper>(clock);
    router = std::make_shared<llm::Router>(llm::RouterDeps{registry, std::make_shared<llm::MemoryCallRecorder>(),
                                                           llm::Redactor::create({}).value(), clock, sleeper,
                                                           std::make_shared<llm::RateScheduler>(clock, sleeper)});
  }
};

core::Result<ModelReply> callOnce(ModelClient& client, llm::CallContext ctx) {
  boost::asio::io_context io;
  std::optional<core::Result<ModelReply>> out;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        std::string role = "developer";
        llm::ChatRequest request;
        auto reply = co_await client.call(role, request, ctx);
        out.emplace(std::move(reply));
      },
      [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
      });
  io.run();
  return std::move(*out);
}

TEST(RouterModelClientTest, WithATokenSinkTheCallStreamsItsTextWithItsContext) {
  RouterBench s;
  std::vector<std::string> pieces;
  std::vector<core::Id> executions;
  RouterModelClient client(s.router, s.registry, {}, "two-piece",
                           [&](const llm::CallContext& ctx, const std::string& text) {
                             pieces.push_back(text);
                             executions.push_back(ctx.execution_id.value_or(0));
                           });
  llm::CallContext ctx;
  ctx.tenant_id = 1;
  ctx.execution_id = 42;
  auto reply = callOnce(client, ctx);
  ASSERT_TRUE(reply.ok()) << reply.error().message;
  EXPECT_EQ(reply->response.message.content, "Hello, world");
  EXPECT_EQ(pieces, (std::vector<std::string>{"Hello, ", "world"}));
  EXPECT_EQ(executions, (std::vector<core::Id>{42, 42}));
  EXPECT_EQ(s.provider->streams, 1);
  EXPECT_EQ(s.provider->chats, 0);
}

TEST(RouterModelClientTest, WithoutASinkTheCallIsWhole) {
  RouterBench s;
  RouterModelClient client(s.router, s.registry, {}, "two-piece");
  llm::CallContext ctx;
  ctx.tenant_id = 1;
  auto reply = callOnce(client, ctx);
  ASSERT_TRUE(reply.ok()) << reply.error().message;
  EXPECT_EQ(reply->response.message.content, "Hello, world");
  EXPECT_EQ(s.provider->chats, 1);
  EXPECT_EQ(s.provider->streams, 0);
}

}  // namespace
}  // namespace codecrew::engine
