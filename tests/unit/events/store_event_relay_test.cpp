// StoreEventRelay and EventLog with a signal: processes sharing one store
// (here two EventLogs on one SQLite store, joined by a loopback signal that
// can lose signals) publish every stored event to their feeds from the
// store, once each and in seq order, whichever process appended it; a lost
// signal is made up by the safety poll or a resync; workflows nobody follows
// are not read; a seq the store skips is awaited, then passed.
#include "events/store_event_relay.h"
#include "events_fixture.h"

#include <atomic>
#include <thread>

namespace codecrew::events::test {
namespace {

// Carries every process's marks to the receivers connected to it, unless
// told to lose them.
class LoopbackSignal final : public EventSignal {
 public:
  void connect(std::shared_ptr<EventSignalReceiver> receiver) {
    std::lock_guard lock(mu_);
    receivers_.push_back(std::move(receiver));
  }
  void notify(const EventMark& mark) override {
    std::vector<std::shared_ptr<EventSignalReceiver>> to;
    {
      std::lock_guard lock(mu_);
      if (losing) return;
      to = receivers_;
    }
    for (const auto& r : to) r->onSignal(mark);
  }
  std::atomic<bool> losing{false};

 private:
  std::mutex mu_;
  std::vector<std::shared_ptr<EventSignalReceiver>> receivers_;
};

// An event store that hides one seq from reads, or fails a number of reads.
class UnreliableEventStore final : public store::EventStore {
 public:
  explicit UnreliableEventStore(std::shared_ptr<store::Store> target) : target_(std::move(target)) {}
  store::Result<store::Event> appendEvent(const store::Event& e) override { return target_->appendEvent(e); }
  store::Result<std::vector<store::Event>> listEvents(core::Id tenant, core::Id workflow, std::int64_t after,
                                                      int limit) override {
    if (failures > 0) {
      --failures;
      return core::Error::unavailable("the database is restarting");
    }
    auto events = target_->listEvents(tenant, workflow, after, limit);
    if (!events) return events;
    std::erase_if(*events, [&](const store::Event& e) { return e.seq == hidden.load(); });
    return events;
  }
  std::atomic<std::int64_t> hidden{0};
  std::atomic<int> failures{0};

 private:
  std::shared_ptr<store::Store> target_;
};

class RelayTest : public EventsTest {
 protected:
  void SetUp() override {
    EventsTest::SetUp();
    worker_ = makeProcess(worker_hub_);
    api_ = makeProcess(api_hub_);
    signal_->connect(api_->relay());
  }
  void TearDown() override {
    api_.reset();
    worker_.reset();
  }

  // A process on the shared store whose safety poll runs only when a test calls it.
  std::unique_ptr<EventLog> makeProcess(const std::shared_ptr<LocalEventHub>& hub) {
    EventLogOptions options;
    options.signal = signal_;
    options.relay.safety_poll = std::chrono::milliseconds(0);
    return std::make_unique<EventLog>(raw_, hub, options);
  }

  std::int64_t appendIn(EventLog& process, const std::string& type) {
    auto e = process.append(event(type));
    EXPECT_TRUE(e) << e.error().message;
    return e ? e->seq : 0;
  }
  bool readsReach(std::uint64_t n) {
    return eventually([&] { return api_->relay()->reads() >= n; });
  }

  std::shared_ptr<LoopbackSignal> signal_ = std::make_shared<LoopbackSignal>();
  std::shared_ptr<LocalEventHub> worker_hub_ = std::make_shared<LocalEventHub>();
  std::shared_ptr<LocalEventHub> api_hub_ = std::make_shared<LocalEventHub>();
  std::unique_ptr<EventLog> worker_;
  std::unique_ptr<EventLog> api_;
};

TEST_F(RelayTest, EventsAppendedByAnotherProcessReachFeedsHereOnceAndInOrder) {
  Collector published;
  auto recording = api_hub_->subscribe(workflow_, std::make_shared<RecordingListener>(published));
  Collector got;
  auto feed = api_->follow({tenant_, workflow_, 0}, got.sink());
  std::thread a([&] {
    for (int i = 0; i < 150; ++i) appendIn(*worker_, "a");
  });
  std::thread b([&] {
    for (int i = 0; i < 150; ++i) appendIn(*worker_, "b");
  });
  a.join();
  b.join();
  EXPECT_EQ(seqs(got.waitFor(300)), range(1, 300));
  // The hub saw each stored event once: the relay is its only publisher.
  EXPECT_EQ(seqs(published.waitFor(300)), range(1, 300));
  EXPECT_EQ(api_->relay()->published(), 300u);
  feed->stop();
}

TEST_F(RelayTest, EventsAppendedHereArePublishedOnceFromTheStore) {
  signal_->losing = true;  // only this process's own commits tell its relay
  Collector published;
  auto recording = api_hub_->subscribe(workflow_, std::make_shared<RecordingListener>(published));
  Collector got;
  auto feed = api_->follow({tenant_, workflow_, 0}, got.sink());
  for (int i = 0; i < 50; ++i) appendIn(*api_, "here");
  api_->publishLive(event("token"));  // live-only: straight to this process's hub
  appendIn(*api_, "last");
  auto items = published.waitForType("last");
  ASSERT_EQ(items.size(), 52u);
  std::vector<std::int64_t> stored;
  for (const auto& r : items)
    if (r.type != "token") stored.push_back(r.seq);
  EXPECT_EQ(stored, range(1, 51));
  EXPECT_EQ(seqs(got.waitFor(52)).size(), 52u);
  feed->stop();
}

TEST_F(RelayTest, ALostSignalIsMadeUpByTheSafetyPoll) {
  Collector got;
  auto feed = api_->follow({tenant_, workflow_, 0}, got.sink());
  ASSERT_TRUE(readsReach(1));  // follow()'s own read is done: nothing else reads until told
  signal_->losing = true;
  for (int i = 0; i < 3; ++i) appendIn(*worker_, "unheard");
  EXPECT_EQ(api_->relay()->reads(), 1u);
  EXPECT_TRUE(got.items().empty());
  api_->relay()->poll();
  EXPECT_EQ(seqs(got.waitFor(3)), range(1, 3));
  feed->stop();
}

TEST_F(RelayTest, AResyncReadsWhatTheSignalsLost) {
  for (int i = 0; i < 2; ++i) appendIn(*worker_, "before");
  Collector got;
  auto feed = api_->follow({tenant_, workflow_, 0}, got.sink());
  ASSERT_TRUE(readsReach(1));
  signal_->losing = true;  // the listener's connection is down
  for (int i = 0; i < 4; ++i) appendIn(*worker_, "while-down");
  signal_->losing = false;
  api_->relay()->onResync();  // it is back: LISTEN again, then catch up
  EXPECT_EQ(seqs(got.waitFor(6)), range(1, 6));
  appendIn(*worker_, "after");
  EXPECT_EQ(seqs(got.waitFor(7)), range(1, 7));
  feed->stop();
}

TEST_F(RelayTest, AFeedJoiningLaterGetsItsBacklogThenTheRelayedEvents) {
  for (int i = 0; i < 10; ++i) appendIn(*worker_, "early");
  Collector first;
  auto feed1 = api_->follow({tenant_, workflow_, 0}, first.sink());
  for (int i = 0; i < 10; ++i) appendIn(*worker_, "middle");
  first.waitFor(20);
  Collector second;
  auto feed2 = api_->follow({tenant_, workflow_, 5}, second.sink());
  for (int i = 0; i < 10; ++i) appendIn(*worker_, "late");
  EXPECT_EQ(seqs(first.waitFor(30)), range(1, 30));
  EXPECT_EQ(seqs(second.waitFor(25)), range(6, 30));
  EXPECT_EQ(api_->relay()->relayedWorkflows(), 1u);
  feed1->stop();
  feed2->stop();
}

TEST_F(RelayTest, AWorkflowWithoutSubscribersIsForgottenAndNotRead) {
  Collector got;
  auto feed = api_->follow({tenant_, workflow_, 0}, got.sink());
  ASSERT_TRUE(readsReach(1));
  feed->stop();
  api_->relay()->poll();
  EXPECT_EQ(api_->relay()->relayedWorkflows(), 0u);
  const auto reads = api_->relay()->reads();
  appendIn(*worker_, "nobody-listens");  // signalled, and ignored
  EXPECT_EQ(api_->relay()->reads(), reads);
  // A new feed starts from its own backlog.
  appendIn(*worker_, "second");
  Collector again;
  auto next = api_->follow({tenant_, workflow_, 0}, again.sink());
  appendIn(*worker_, "third");
  EXPECT_EQ(seqs(again.waitFor(3)), range(1, 3));
  next->stop();
}

TEST_F(RelayTest, AFeedResumingBeyondTheLastSeqDoesNotHoldTheWorkflowBack) {
  for (int i = 0; i < 3; ++i) appendIn(*worker_, "stored");
  Collector made_up;
  auto first = api_->follow({tenant_, workflow_, 1000}, made_up.sink());  // a made-up Last-Event-ID
  Collector honest;
  auto second = api_->follow({tenant_, workflow_, 2}, honest.sink());
  for (int i = 0; i < 2; ++i) appendIn(*worker_, "new");
  EXPECT_EQ(seqs(honest.waitFor(3)), range(3, 5));
  EXPECT_TRUE(made_up.items().empty());
  first->stop();
  second->stop();
}

TEST_F(RelayTest, WithoutASignalTheLogHasNoRelay) {
  EXPECT_EQ(log_->relay(), nullptr);  // one process: committed events are published as they commit
}

// The relay alone over a store that misbehaves.
class RelayOverUnreliableStoreTest : public EventsTest {
 protected:
  void SetUp() override {
    EventsTest::SetUp();
    events_ = std::make_shared<UnreliableEventStore>(raw_);
    StoreEventRelayOptions options;
    options.safety_poll = std::chrono::milliseconds(0);
    relay_ = std::make_shared<StoreEventRelay>(events_, hub_, options);
    relay_->start();
    subscription_ = hub_->subscribe(workflow_, std::make_shared<RecordingListener>(published_));
  }
  void TearDown() override { relay_->stop(); }

  // Appends n events to the store, unpublished (as another process would).
  void appendElsewhere(int n) {
    for (int i = 0; i < n; ++i) ASSERT_TRUE(raw_->appendEvent(event("elsewhere")));
  }
  bool readsReach(std::uint64_t n) {
    return eventually([&] { return relay_->reads() >= n; });
  }

  std::shared_ptr<UnreliableEventStore> events_;
  std::shared_ptr<StoreEventRelay> relay_;
  Collector published_;
  Subscription subscription_;
};

TEST_F(RelayOverUnreliableStoreTest, ASkippedSeqIsAwaitedThenPassedAfterAWholePollInterval) {
  appendElsewhere(5);
  events_->hidden = 3;
  relay_->follow(tenant_, workflow_, 0);
  ASSERT_TRUE(readsReach(1));
  EXPECT_EQ(relay_->published(), 2u);  // 1 and 2; then 3 is awaited
  relay_->poll();
  ASSERT_TRUE(readsReach(2));
  EXPECT_EQ(relay_->published(), 2u);  // missing since less than a whole interval
  relay_->poll();
  ASSERT_TRUE(readsReach(3));
  EXPECT_EQ(relay_->published(), 4u);
  EXPECT_EQ(seqs(published_.waitFor(4)), (std::vector<std::int64_t>{1, 2, 4, 5}));
}

TEST_F(RelayOverUnreliableStoreTest, ASkippedSeqThatAppearsIsPublishedInOrder) {
  appendElsewhere(5);
  events_->hidden = 3;
  relay_->follow(tenant_, workflow_, 0);
  ASSERT_TRUE(readsReach(1));
  relay_->poll();
  ASSERT_TRUE(readsReach(2));
  events_->hidden = 0;  // its transaction committed at last
  relay_->poll();
  EXPECT_EQ(seqs(published_.waitFor(5)), range(1, 5));
}

TEST_F(RelayOverUnreliableStoreTest, AFailedReadIsTriedAgainByTheNextSignal) {
  appendElsewhere(2);
  events_->failures = 1;
  relay_->follow(tenant_, workflow_, 0);
  ASSERT_TRUE(readsReach(1));
  EXPECT_EQ(relay_->published(), 0u);
  relay_->onSignal({tenant_, workflow_, 2});
  EXPECT_EQ(seqs(published_.waitFor(2)), range(1, 2));
}

}  // namespace
}  // namespace codecrew::events::test
