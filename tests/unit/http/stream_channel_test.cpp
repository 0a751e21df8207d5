#include "http/stream_channel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

namespace codecrew::http {
namespace {

// Records what the channel asks of its connection; runs callbacks inline.
class FakeSink : public StreamSink {
 public:
  void wake() override { ++wakes; }
  void abort(const StreamChannel*) override { ++aborts; }
  void runCallback(std::function<void()> fn) override { fn(); }
  std::atomic<int> wakes{0};
  std::atomic<int> aborts{0};
};

class StreamChannelTest : public ::testing::Test {
 protected:
  std::shared_ptr<FakeSink> sink_ = std::make_shared<FakeSink>();
  std::shared_ptr<StreamChannel> channel_ = std::make_shared<StreamChannel>(10, sink_);
};

TEST_F(StreamChannelTest, HeadThenChunksInOrder) {
  channel_->begin({201, "text/event-stream", {{"X-A", "1"}}});
  EXPECT_TRUE(channel_->write("ab"));
  EXPECT_TRUE(channel_->write("cd"));
  EXPECT_EQ(channel_->bufferedBytes(), 4u);
  auto batch = channel_->take();
  ASSERT_TRUE(batch.head);
  EXPECT_EQ(batch.head->status, 201);
  ASSERT_EQ(batch.chunks.size(), 2u);
  EXPECT_EQ(batch.chunks[0], "ab");
  EXPECT_EQ(batch.chunks[1], "cd");
  EXPECT_FALSE(channel_->take().head);  // the head is taken once
  channel_->sent(4);
  EXPECT_EQ(channel_->bufferedBytes(), 0u);
  EXPECT_EQ(sink_->wakes, 2);  // begin, and the write that made the queue non-empty
}

TEST_F(StreamChannelTest, OverflowClosesAbortsAndFailsTheWrite) {
  bool closed_called = false;
  channel_->onClose([&] { closed_called = true; });
  channel_->begin({200, "text/plain", {}});
  EXPECT_TRUE(channel_->write("12345678"));
  EXPECT_FALSE(channel_->write("abc"));  // 11 > 10
  EXPECT_TRUE(channel_->closed());
  EXPECT_TRUE(closed_called);
  EXPECT_EQ(sink_->aborts, 1);
  EXPECT_TRUE(channel_->take().closed);
  EXPECT_FALSE(channel_->write("x"));
}

TEST_F(StreamChannelTest, EndRunsCallbacksOnceAndRefusesWrites) {
  int calls = 0;
  channel_->onClose([&] { ++calls; });
  channel_->begin({200, "text/plain", {}});
  channel_->end();
  channel_->end();
  channel_->close();
  EXPECT_EQ(calls, 1);
  EXPECT_TRUE(channel_->closed());
  EXPECT_FALSE(channel_->write("late"));
  int late = 0;
  channel_->onClose([&] { ++late; });
  EXPECT_EQ(late, 1);
}

TEST_F(StreamChannelTest, DisconnectCallbacksRunOnCloseBeforeEndOnly) {
  int disconnects = 0;
  channel_->onDisconnect([&] { ++disconnects; });
  channel_->begin({200, "text/plain", {}});
  channel_->close();
  channel_->close();
  channel_->detach();
  EXPECT_EQ(disconnects, 1);
  channel_->onDisconnect([&] { ++disconnects; });  // already gone: at once
  EXPECT_EQ(disconnects, 2);

  auto ended = std::make_shared<StreamChannel>(10, sink_);
  int after_end = 0;
  ended->onDisconnect([&] { ++after_end; });
  ended->begin({200, "text/plain", {}});
  ended->end();
  ended->close();
  ended->detach();
  ended->onDisconnect([&] { ++after_end; });
  EXPECT_EQ(after_end, 0);
}

TEST_F(StreamChannelTest, OverflowRunsDisconnectCallbacks) {
  int disconnects = 0;
  channel_->onDisconnect([&] { ++disconnects; });
  channel_->begin({200, "text/plain", {}});
  EXPECT_FALSE(channel_->write("more than ten bytes"));
  EXPECT_EQ(disconnects, 1);
}

TEST_F(StreamChannelTest, EndedBatchStillDeliversQueuedChunks) {
  channel_->begin({200, "text/plain", {}});
  ASSERT_TRUE(channel_->write("last"));
  channel_->end();
  auto batch = channel_->take();
  EXPECT_TRUE(batch.ended);
  EXPECT_FALSE(batch.closed);
  ASSERT_EQ(batch.chunks.size(), 1u);
}

TEST_F(StreamChannelTest, DroppingTheHandleWithoutEndAbandons) {
  { ChunkedResponseStream handle(channel_); }
  auto batch = channel_->take();
  EXPECT_TRUE(batch.ended);
  EXPECT_TRUE(batch.abandoned);
  EXPECT_FALSE(batch.head);
}

TEST_F(StreamChannelTest, FailBeforeTheHeadIsTakenReportsFailure) {
  channel_->begin({200, "text/plain", {}});
  channel_->fail();
  auto batch = channel_->take();
  EXPECT_TRUE(batch.failed);
  EXPECT_FALSE(batch.head);
  EXPECT_EQ(sink_->aborts, 0);
}

TEST_F(StreamChannelTest, FailAfterTheHeadWasSentAborts) {
  channel_->begin({200, "text/plain", {}});
  (void)channel_->take();
  channel_->fail();
  EXPECT_EQ(sink_->aborts, 1);
  EXPECT_TRUE(channel_->take().closed);
}

TEST_F(StreamChannelTest, MisuseIsAProgrammerError) {
  EXPECT_THROW(channel_->write("x"), std::logic_error);
  channel_->begin({200, "text/plain", {}});
  EXPECT_THROW(channel_->begin({200, "text/plain", {}}), std::logic_error);
}

TEST_F(StreamChannelTest, DetachedChannelNoLongerWakesAndCloses) {
  channel_->begin({200, "text/plain", {}});
  channel_->detach();
  int wakes = sink_->wakes;
  EXPECT_FALSE(channel_->write("x"));
  EXPECT_TRUE(channel_->closed());
  EXPECT_EQ(sink_->wakes, wakes);
}

}  // namespace
}  // namespace codecrew::http
