// JournaledModelClient: an answer that was recorded but not yet consumed (the
// process died between the two) is served from the record, not paid again.
#include "engine/journaled_model_client.h"
#include "llm/types_json.h"
#include "store/store_factory.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

namespace codecrew::engine {
namespace {

class CountingClient final : public ModelClient {
 public:
  boost::asio::awaitable<core::Result<ModelReply>> call(const std::string&, llm::ChatRequest,
                                                        llm::CallContext) override {
    ++calls;
    ModelReply r;
    r.response.message.content = "fresh answer";
    r.model = "live";
    co_return r;
  }
  std::int64_t contextWindow(const std::string&) const override { return 1234; }
  int calls = 0;
};

class JournaledModelClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::openSqliteStore((dir_.path() / "db.sqlite").string(), core::SystemClock::instance());
    ASSERT_TRUE(s.ok());
    store_ = std::shared_ptr<store::Store>(std::move(s).value());
    tenant_ = store_->ensureTenant("t")->id;
    store::Workflow w;
    w.tenant_id = tenant_;
    w.name = "wf";
    auto wf = store_->createWorkflow(w);
    store::Conversation c;
    c.tenant_id = tenant_;
    c.workflow_id = wf->value.id;
    c.agent = "dev";
    c.step = "BUILD/x#0";
    conversation_ = store_->createConversation(c)->id;
  }

  void record(const std::string& status, const std::string& text) {
    store::LlmCall call;
    call.tenant_id = tenant_;
    call.conversation_id = conversation_;
    call.provider = "p";
    call.model = "recorded-model";
    call.status = store::parseCallStatus(status).value();
    call.cost = 0.25;
    llm::ChatResponse r;
    r.message.content = text;
    r.finish_reason = llm::FinishReason::kStop;
    if (status != "failed") call.response_data = boost::json::object{{"normalized", llm::toJson(r)}};
    ASSERT_TRUE(store_->insertLlmCall(call).ok());
  }

  core::Result<ModelReply> callAt(JournaledModelClient& client, int index) {
    llm::CallContext ctx;
    ctx.tenant_id = tenant_;
    ctx.conversation_id = conversation_;
    ctx.options.call_index = index;
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

  testing::TempDir dir_;
  std::shared_ptr<store::Store> store_;
  core::Id tenant_ = 0, conversation_ = 0;
};

TEST_F(JournaledModelClientTest, ServesRecordedAnswersByIndexSkippingFailedAttempts) {
  record("success", "first");
  record("failed", "");  // a failed attempt before the fallback answered
  record("success", "second");
  auto inner = std::make_shared<CountingClient>();
  JournaledModelClient client(inner, store_);
  auto a = callAt(client, 0);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->response.message.content, "first");
  EXPECT_EQ(a->model, "recorded-model");
  EXPECT_DOUBLE_EQ(a->cost, 0.25);
  auto b = callAt(client, 1);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->response.message.content, "second");
  EXPECT_EQ(inner->calls, 0) << "answers already paid for are not asked again";
  auto c = callAt(client, 2);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->response.message.content, "fresh answer");
  EXPECT_EQ(inner->calls, 1);
  EXPECT_EQ(client.contextWindow("developer"), 1234);
}

TEST_F(JournaledModelClientTest, AnIndexAskedAgainInTheSameProcessIsServedFromTheRecord) {
  auto inner = std::make_shared<CountingClient>();
  JournaledModelClient client(inner, store_);
  // Index 0 asked and answered live (the router records it; here by hand).
  auto live = callAt(client, 0);
  ASSERT_TRUE(live.ok());
  EXPECT_EQ(inner->calls, 1);
  record("success", "paid once");
  // The run stopped before its checkpoint and is resumed by this same
  // process (a worker re-claiming the job): index 0 again is the record.
  auto again = callAt(client, 0);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->response.message.content, "paid once");
  EXPECT_EQ(inner->calls, 1) << "the answer already paid for is not asked again";
}

TEST_F(JournaledModelClientTest, WithoutAConversationItAlwaysAsks) {
  record("success", "first");
  auto inner = std::make_shared<CountingClient>();
  JournaledModelClient client(inner, store_);
  llm::CallContext ctx;
  ctx.tenant_id = tenant_;
  boost::asio::io_context io;
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        std::string role = "developer";
        llm::ChatRequest request;
        auto r = co_await client.call(role, request, ctx);
        EXPECT_EQ(r->response.message.content, "fresh answer");
      },
      [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
      });
  io.run();
  EXPECT_EQ(inner->calls, 1);
}

}  // namespace
}  // namespace codecrew::engine
