// WebhookStore: a delivery is recorded once; a redelivery of its id is
// reported (false) and changes nothing, also when many arrive at once.
#include "store/store_wrapper.h"
#include "store_fixture.h"

#include <atomic>
#include <thread>
#include <vector>

namespace codecrew::store::testing {
namespace {

class WebhookDeliveriesTest : public StoreTest {
 protected:
  static WebhookDelivery delivery(const std::string& id, const std::string& outcome = "queued") {
    WebhookDelivery d;
    d.delivery_id = id;
    d.event = "check_run";
    d.action = "completed";
    d.repository = "octo-org/widgets";
    d.outcome = outcome;
    return d;
  }
};

TEST_F(WebhookDeliveriesTest, TheFirstDeliveryIsRecordedAndARedeliveryIsNot) {
  clock_->set(1'000);
  auto first = store_->recordWebhookDelivery(delivery("72d3162e-cc78-11e3-81ab-4c9367dc0958"));
  ASSERT_OK(first);
  EXPECT_TRUE(*first);
  clock_->set(2'000);
  auto again = store_->recordWebhookDelivery(delivery("72d3162e-cc78-11e3-81ab-4c9367dc0958", "ignored"));
  ASSERT_OK(again);
  EXPECT_FALSE(*again);

  auto found = store_->findWebhookDelivery("72d3162e-cc78-11e3-81ab-4c9367dc0958");
  ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  const auto& d = **found;
  EXPECT_GT(d.id, 0);
  EXPECT_EQ(d.event, "check_run");
  EXPECT_EQ(d.action, "completed");
  EXPECT_EQ(d.repository, "octo-org/widgets");
  EXPECT_EQ(d.outcome, "queued") << "the redelivery changed nothing";
  EXPECT_EQ(d.received_at, 1'000);

  auto other = store_->recordWebhookDelivery(delivery("another"));
  ASSERT_OK(other);
  EXPECT_TRUE(*other);
  auto missing = store_->findWebhookDelivery("never-sent");
  ASSERT_OK(missing);
  EXPECT_FALSE(missing->has_value());
}

TEST_F(WebhookDeliveriesTest, AnEmptyOrOverlongIdIsRefused) {
  EXPECT_CODE(store_->recordWebhookDelivery(delivery("")), ErrorCode::kInvalidArgument);
  EXPECT_CODE(store_->recordWebhookDelivery(delivery(std::string(201, 'x'))), ErrorCode::kInvalidArgument);
  auto longest = store_->recordWebhookDelivery(delivery(std::string(200, 'x')));
  ASSERT_OK(longest);
  EXPECT_TRUE(*longest);
}

TEST_F(WebhookDeliveriesTest, OfConcurrentRedeliveriesExactlyOneRecords) {
  constexpr int kThreads = 8;
  std::atomic<int> recorded{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      auto r = store_->recordWebhookDelivery(delivery("same-guid"));
      if (!r.ok()) ++failed;
      else if (*r) ++recorded;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 0);
  EXPECT_EQ(recorded.load(), 1);
}

TEST_F(WebhookDeliveriesTest, TheWrapperForwards) {
  StoreWrapper wrapper(*store_);
  auto first = wrapper.recordWebhookDelivery(delivery("through-the-wrapper"));
  ASSERT_OK(first);
  EXPECT_TRUE(*first);
  auto found = wrapper.findWebhookDelivery("through-the-wrapper");
  ASSERT_OK(found);
  EXPECT_TRUE(found->has_value());
}

}  // namespace
}  // namespace codecrew::store::testing
