#include "events/local_event_hub.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <vector>

namespace codecrew::events {
namespace {

using namespace std::chrono_literals;

LiveEventPtr eventOf(core::Id workflow, std::int64_t seq) {
  store::Event e;
  e.workflow_id = workflow;
  e.seq = seq;
  e.type = "execution.stage";
  return std::make_shared<const LiveEvent>(std::move(e), true);
}

// Collects the seqs it is handed; can hold the hub's thread on its first
// event (bounded) so that later events queue up behind it.
class Listener final : public EventListener {
 public:
  explicit Listener(std::shared_future<void> gate = {}) : gate_(std::move(gate)) {}
  void onEvent(const LiveEventPtr& event) override {
    if (gate_.valid()) gate_.wait_for(10s);
    gate_ = {};
    std::lock_guard lock(mu_);
    seqs_.push_back(event->event().seq);
    if (leave_on_first_) subscription_.reset();
    cv_.notify_all();
  }
  std::vector<std::int64_t> waitFor(std::size_t n) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, 10s, [&] { return seqs_.size() >= n; });
    return seqs_;
  }
  void leaveOnFirstEvent(Subscription s) {
    std::lock_guard lock(mu_);
    subscription_ = std::move(s);
    leave_on_first_ = true;
  }

 private:
  std::shared_future<void> gate_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::int64_t> seqs_;
  Subscription subscription_;
  bool leave_on_first_ = false;
};

std::vector<std::int64_t> oneTo(int n) {
  std::vector<std::int64_t> out;
  for (int i = 1; i <= n; ++i) out.push_back(i);
  return out;
}

TEST(LocalEventHubTest, EventsThatQueueUpReachEveryListenerOfTheirWorkflowInOrder) {
  LocalEventHub hub;
  std::promise<void> release;
  auto gate = std::make_shared<Listener>(release.get_future().share());
  auto a = std::make_shared<Listener>(), b = std::make_shared<Listener>(), c = std::make_shared<Listener>();
  auto s0 = hub.subscribe(1, gate);
  auto s1 = hub.subscribe(1, a);
  auto s2 = hub.subscribe(1, b);
  auto s3 = hub.subscribe(2, c);
  for (int i = 1; i <= 50; ++i) {
    hub.publish(eventOf(1, i));
    hub.publish(eventOf(2, i));
  }
  release.set_value();
  EXPECT_EQ(a->waitFor(50), oneTo(50));
  EXPECT_EQ(b->waitFor(50), oneTo(50));
  EXPECT_EQ(c->waitFor(50), oneTo(50));
  EXPECT_EQ(gate->waitFor(50), oneTo(50));
  EXPECT_EQ(hub.deliveries(), 4u * 50u);
}

TEST(LocalEventHubTest, AListenerThatUnsubscribesInsideOnEventGetsNothingMore) {
  LocalEventHub hub;
  std::promise<void> release;
  auto gate = std::make_shared<Listener>(release.get_future().share());
  auto leaving = std::make_shared<Listener>(), staying = std::make_shared<Listener>();
  auto s0 = hub.subscribe(9, gate);
  leaving->leaveOnFirstEvent(hub.subscribe(1, leaving));
  auto s2 = hub.subscribe(1, staying);
  hub.publish(eventOf(9, 1));                               // holds the hub's thread
  for (int i = 1; i <= 5; ++i) hub.publish(eventOf(1, i));  // queued behind it: dispatched together
  release.set_value();
  EXPECT_EQ(staying->waitFor(5), oneTo(5));
  hub.publish(eventOf(1, 6));
  EXPECT_EQ(staying->waitFor(6), oneTo(6));
  EXPECT_EQ(leaving->waitFor(1), std::vector<std::int64_t>{1});
  EXPECT_EQ(hub.subscriberCount(1), 1u);
}

}  // namespace
}  // namespace codecrew::events
