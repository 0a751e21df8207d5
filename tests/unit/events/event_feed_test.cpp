// EventFeed: backlog then live with no gap and no duplicate, gaps filled
// from the store, live-only events carrying the last stored seq, a sink
// that says stop unsubscribing the feed, and a failed store read stopping it.
#include "events_fixture.h"

#include <atomic>

namespace codecrew::events::test {
namespace {

using FeedTest = EventsTest;

// The only store a feed needs: an EventStore, here one whose reads fail.
class UnreadableEventStore final : public store::EventStore {
 public:
  store::Result<store::Event> appendEvent(const store::Event&) override {
    return core::Error::unavailable("this store only fails");
  }
  store::Result<std::vector<store::Event>> listEvents(core::Id, core::Id, std::int64_t, int) override {
    ++reads;
    return core::Error::unavailable("the disk went away");
  }
  std::atomic<int> reads{0};
};

TEST_F(FeedTest, BacklogAfterTheGivenSeqThenLive) {
  for (int i = 0; i < 5; ++i) append("old");
  Collector got;
  auto feed = log_->follow({tenant_, workflow_, 2}, got.sink());
  EXPECT_EQ(seqs(got.items()), range(3, 5));  // the backlog is delivered before follow() returns
  for (int i = 0; i < 3; ++i) append("new");
  EXPECT_EQ(seqs(got.waitFor(6)), range(3, 8));
  feed->stop();
}

TEST_F(FeedTest, EventsRacingTheBacklogReadAreNeitherLostNorRepeated) {
  Collector got;
  std::atomic<bool> done{false};
  std::thread appender([&] {
    for (int i = 0; i < 300; ++i) append("race");
    done = true;
  });
  // Subscribing while the appender runs: some events come from the store,
  // some live, some both ways; each must arrive exactly once, in order.
  while (log_->store()->listEvents(tenant_, workflow_, 0, 1)->empty()) std::this_thread::yield();
  auto feed = log_->follow({tenant_, workflow_, 0}, got.sink());
  appender.join();
  EXPECT_EQ(seqs(got.waitFor(300)), range(1, 300));
  feed->stop();
}

TEST_F(FeedTest, AGapInLiveEventsIsFilledFromTheStore) {
  Collector got;
  auto feed = log_->follow({tenant_, workflow_, 0}, got.sink());
  append("one");
  got.waitFor(1);
  // Appended without publishing (as a store that does not publish would):
  // the feed first hears of seq 4, and must fetch 2 and 3 itself.
  ASSERT_TRUE(raw_->appendEvent(event("unpublished-2")));
  ASSERT_TRUE(raw_->appendEvent(event("unpublished-3")));
  append("four");
  auto items = got.waitFor(4);
  EXPECT_EQ(seqs(items), range(1, 4));
  EXPECT_EQ(items[1].type, "unpublished-2");
  append("five");
  EXPECT_EQ(seqs(got.waitFor(5)), range(1, 5));
  feed->stop();
}

TEST_F(FeedTest, LiveOnlyEventsCarryTheLastStoredSeq) {
  append("stored");
  Collector got;
  auto feed = log_->follow({tenant_, workflow_, 0}, got.sink());
  log_->publishLive(event("token"));
  append("stored-again");
  log_->publishLive(event("token"));
  auto items = got.waitFor(4);
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[1].type, "token");
  EXPECT_EQ(items[1].seq, 0);
  EXPECT_EQ(items[1].id, 1);
  EXPECT_EQ(items[3].id, 2);
  auto stored = raw_->listEvents(tenant_, workflow_, 0, 100);
  EXPECT_EQ(stored->size(), 2u);  // live-only events are not stored
  feed->stop();
}

TEST_F(FeedTest, ASinkThatSaysStopUnsubscribes) {
  Collector got;
  auto feed = log_->follow({tenant_, workflow_, 0}, got.sink(2));
  EXPECT_EQ(hub_->subscriberCount(workflow_), 1u);
  append("a");
  append("b");
  append("c");
  got.waitFor(2);
  append("marker");  // dispatched after the feed's unsubscribe
  Collector other;
  auto second = log_->follow({tenant_, workflow_, 4}, other.sink());
  append("e");
  other.waitFor(1);
  EXPECT_TRUE(feed->stopped());
  EXPECT_EQ(got.items().size(), 2u);
  EXPECT_EQ(hub_->subscriberCount(workflow_), 1u);  // only the second feed
  second->stop();
  EXPECT_EQ(hub_->subscriberCount(workflow_), 0u);
}

TEST_F(FeedTest, EventsArrivingDuringALongBacklogAreNotLost) {
  // Live events arrive while the feed reads a backlog of several batches
  // (possibly more than it holds, in which case it reads the store again).
  for (int i = 0; i < 3 * EventFeed::kBatch; ++i) append("backlog");
  Collector got;
  std::thread appender([&] {
    for (std::size_t i = 0; i < 2 * EventFeed::kMaxHeld; ++i) append("live");
  });
  auto feed = log_->follow({tenant_, workflow_, 0}, got.sink());
  appender.join();
  const auto total = static_cast<std::int64_t>(3 * EventFeed::kBatch + 2 * EventFeed::kMaxHeld);
  EXPECT_EQ(seqs(got.waitFor(total)), range(1, total));
  feed->stop();
}

TEST_F(FeedTest, AStoreReadThatFailsStopsTheFeedAndIsReportedOnce) {
  auto events = std::make_shared<UnreadableEventStore>();
  Collector got;
  std::vector<core::Error> failures;  // the handler runs on this thread: start() reads the backlog
  auto feed = std::make_shared<EventFeed>(events, std::make_shared<WorkQueue>(1), FeedTarget{tenant_, workflow_, 0},
                                          got.sink(), [&](const core::Error& e) { failures.push_back(e); });
  feed->start(*hub_);
  ASSERT_EQ(failures.size(), 1u);
  EXPECT_EQ(failures[0].code, core::ErrorCode::kUnavailable);
  EXPECT_EQ(failures[0].message, "the disk went away");
  EXPECT_TRUE(feed->stopped());
  EXPECT_EQ(hub_->subscriberCount(workflow_), 0u);
  append("after");  // published to the hub; the stopped feed neither delivers nor reads again
  EXPECT_TRUE(got.items().empty());
  EXPECT_EQ(events->reads.load(), 1);
}

}  // namespace
}  // namespace codecrew::events::test
