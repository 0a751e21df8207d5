// Events appended through the publishing store reach subscribers only once
// committed: at once outside a transaction, at commit inside one, never when
// rolled back (a rolled-back savepoint drops only its own events).
#include "events_fixture.h"

namespace codecrew::events::test {
namespace {

class PublishingStoreTest : public EventsTest {
 protected:
  void SetUp() override {
    EventsTest::SetUp();
    subscription_ = hub_->subscribe(workflow_, std::make_shared<RecordingListener>(seen_));
  }
  // A marker appended after the step under test: once it arrives, anything
  // the step published has arrived too (one dispatch thread, in order).
  std::vector<Received> afterMarker() {
    append("marker");
    return seen_.waitForType("marker");
  }

  Collector seen_;
  Subscription subscription_;
};

TEST_F(PublishingStoreTest, AppendOutsideATransactionIsPublishedWithItsSeq) {
  append("a");
  append("b");
  auto items = seen_.waitFor(2);
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0].seq, 1);
  EXPECT_EQ(items[0].type, "a");
  EXPECT_EQ(items[1].seq, 2);
}

TEST_F(PublishingStoreTest, TransactionPublishesAtCommitInOrder) {
  auto store = log_->store();
  auto st = store->transact([&](store::Store& tx) -> core::Status {
    if (auto r = tx.appendEvent(event("in-tx-1")); !r) return r.error();
    if (auto r = store->appendEvent(event("outer-handle-in-tx")); !r) return r.error();
    EXPECT_TRUE(seen_.items().empty());  // nothing before the commit
    if (auto r = tx.appendEvent(event("in-tx-2")); !r) return r.error();
    return core::okStatus();
  });
  ASSERT_TRUE(st);
  auto items = afterMarker();
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].type, "in-tx-1");
  EXPECT_EQ(items[1].type, "outer-handle-in-tx");
  EXPECT_EQ(items[2].type, "in-tx-2");
  EXPECT_EQ(seqs(items), range(1, 4));
}

TEST_F(PublishingStoreTest, RolledBackEventsAreNeverPublished) {
  auto store = log_->store();
  auto st = store->transact([&](store::Store& tx) -> core::Status {
    if (auto r = tx.appendEvent(event("doomed")); !r) return r.error();
    return core::Error::conflict("roll back");
  });
  EXPECT_FALSE(st);
  auto items = afterMarker();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].type, "marker");
  EXPECT_EQ(items[0].seq, 1);  // the rolled-back event's seq was never kept
}

TEST_F(PublishingStoreTest, RolledBackSavepointDropsOnlyItsEvents) {
  auto store = log_->store();
  auto st = store->transact([&](store::Store& tx) -> core::Status {
    if (auto r = tx.appendEvent(event("kept-1")); !r) return r.error();
    auto inner = tx.transact([&](store::Store& tx2) -> core::Status {
      if (auto r = tx2.appendEvent(event("savepoint")); !r) return r.error();
      return core::Error::conflict("undo the savepoint");
    });
    EXPECT_FALSE(inner);
    auto kept = tx.transact([&](store::Store& tx2) -> core::Status {
      if (auto r = tx2.appendEvent(event("kept-2")); !r) return r.error();
      return core::okStatus();
    });
    return kept;
  });
  ASSERT_TRUE(st) << st.error().message;
  auto items = afterMarker();
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].type, "kept-1");
  EXPECT_EQ(items[1].type, "kept-2");
  EXPECT_EQ(seqs(items), range(1, 3));
}

TEST_F(PublishingStoreTest, ExceptionInsideATransactionPublishesNothing) {
  auto store = log_->store();
  EXPECT_THROW((void)store->transact([&](store::Store& tx) -> core::Status {
    (void)tx.appendEvent(event("thrown"));
    throw std::runtime_error("bug");
  }),
               std::runtime_error);
  auto items = afterMarker();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].type, "marker");
}

}  // namespace
}  // namespace codecrew::events::test
