// BatchedCallWriter: batches reach the store, stop() loses nothing, and a
// later attempt's fallback_of points at the real id of the failed first one.
#include "gateway/call_writer.h"
#include "store/store_factory.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <chrono>
#include <future>

namespace codecrew::gateway {
namespace {

class CallWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::openSqliteStore(dir_.str() + "/db.sqlite", core::SystemClock::instance());
    ASSERT_TRUE(opened.ok());
    store_ = std::move(opened).value();
    tenant_ = store_->ensureTenant("acme")->id;
  }

  store::LlmCall call(const std::string& status, std::optional<core::Id> fallback_of = std::nullopt) {
    store::LlmCall c;
    c.tenant_id = tenant_;
    c.provider = "oa";
    c.model = "gpt-4o-mini";
    c.status = store::parseCallStatus(status).value();
    c.total_tokens = 10;
    c.fallback_of = fallback_of;
    return c;
  }

  core::Id record(BatchedCallWriter& writer, store::LlmCall c) {
    std::optional<core::Result<core::Id>> id;
    auto run = [&](store::LlmCall call) -> boost::asio::awaitable<void> {
      id.emplace(co_await writer.record(std::move(call)));
    };
    boost::asio::co_spawn(io_, run(std::move(c)), boost::asio::detached);
    io_.run();
    io_.restart();
    EXPECT_TRUE(id && id->ok());
    return id && id->ok() ? id->value() : 0;
  }

  std::vector<store::LlmCall> stored() {
    store::LlmCallQuery q;
    q.sort_by = "id";
    q.descending = false;
    q.page.page_size = 200;
    return store_->listLlmCalls(tenant_, q)->items;
  }

  testing::TempDir dir_;
  std::shared_ptr<store::Store> store_;
  core::Id tenant_ = 0;
  boost::asio::io_context io_;
};

TEST_F(CallWriterTest, StopWritesEverythingQueued) {
  BatchedCallWriter writer(store_, {100'000, 64, std::chrono::milliseconds(60'000)});
  for (int i = 0; i < 150; ++i) record(writer, call("success"));
  writer.stop();
  EXPECT_EQ(stored().size(), 150u);
  EXPECT_EQ(writer.stats().written, 150u);
  EXPECT_GE(writer.stats().batches, 3u);
}

TEST_F(CallWriterTest, FlushWaitsForQueuedCalls) {
  BatchedCallWriter writer(store_, {100, 50, std::chrono::milliseconds(60'000)});
  record(writer, call("success"));
  record(writer, call("truncated"));
  writer.flush();
  EXPECT_EQ(stored().size(), 2u);
}

TEST_F(CallWriterTest, FallbackOfIsRewrittenToTheRealId) {
  BatchedCallWriter writer(store_, {100, 50, std::chrono::milliseconds(60'000)});
  record(writer, call("success"));
  core::Id first = record(writer, call("failed"));
  record(writer, call("success", first));
  writer.flush();
  auto calls = stored();
  ASSERT_EQ(calls.size(), 3u);
  const store::LlmCall* failed = nullptr;
  const store::LlmCall* fallback = nullptr;
  for (const auto& c : calls) {
    if (c.status == store::CallStatus::kFailed) failed = &c;
    if (c.fallback_of) fallback = &c;
  }
  ASSERT_TRUE(failed && fallback);
  EXPECT_EQ(*fallback->fallback_of, failed->id);
}

// Calls the writer has taken but not yet written count against the capacity:
// with the writer held inside a batch, a third call into a queue of two waits.
TEST_F(CallWriterTest, CallsBeingWrittenCountAgainstTheCapacity) {
  BatchedCallWriter writer(store_, {2, 1, std::chrono::milliseconds(60'000)});
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::vector<std::optional<core::Result<core::Id>>> ids(3);
  auto run = [&](std::size_t i, llm::CallDescriber describe) -> boost::asio::awaitable<void> {
    ids[i].emplace(co_await writer.recordDescribed(call("success"), std::move(describe)));
  };
  boost::asio::co_spawn(io_, run(0, [released](store::LlmCall&) { released.wait(); }), boost::asio::detached);
  boost::asio::co_spawn(io_, run(1, {}), boost::asio::detached);
  boost::asio::co_spawn(io_, run(2, {}), boost::asio::detached);
  io_.run_for(std::chrono::milliseconds(50));
  EXPECT_TRUE(ids[0] && ids[1]);
  EXPECT_FALSE(ids[2]) << "queued past the capacity while the writer was holding two calls";
  release.set_value();
  for (int i = 0; i < 5000 && !ids[2]; ++i) io_.run_for(std::chrono::milliseconds(1));
  ASSERT_TRUE(ids[2] && ids[2]->ok());
  writer.flush();
  EXPECT_EQ(stored().size(), 3u);
}

TEST_F(CallWriterTest, CallsAfterStopAreWrittenAtOnce) {
  BatchedCallWriter writer(store_);
  writer.stop();
  record(writer, call("success"));
  EXPECT_EQ(stored().size(), 1u);
}

}  // namespace
}  // namespace codecrew::gateway
