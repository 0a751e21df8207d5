// EventsTest: a SQLite store in a temp dir with one tenant and workflow, an
// EventLog over it with a LocalEventHub, and Collector, a thread-safe list
// of what a sink received that a test can wait on; RecordingListener, a hub
// subscriber that collects what the hub publishes; eventually(), a bounded
// wait for a condition.
#pragma once

#include "events/event_log.h"
#include "events/local_event_hub.h"
#include "store/store_factory.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace codecrew::events::test {

struct Received {
  std::int64_t id = 0;
  std::int64_t seq = 0;  // 0 for a live-only event
  std::string type;
};

class Collector {
 public:
  EventFeed::Sink sink(std::size_t stop_after = SIZE_MAX) {
    return [this, stop_after](const LiveEvent& e, std::int64_t id) {
      std::lock_guard lock(mu_);
      items_.push_back({id, e.stored() ? e.event().seq : 0, e.event().type});
      cv_.notify_all();
      return items_.size() < stop_after;
    };
  }
  // Waits (bounded) until pred holds for what arrived; returns what arrived.
  std::vector<Received> waitUntil(const std::function<bool(const std::vector<Received>&)>& pred) {
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::seconds(10), [&] { return pred(items_); });
    return items_;
  }
  std::vector<Received> waitFor(std::size_t n) {
    return waitUntil([n](const std::vector<Received>& items) { return items.size() >= n; });
  }
  std::vector<Received> waitForType(const std::string& type) {
    return waitUntil([&](const std::vector<Received>& items) { return !items.empty() && items.back().type == type; });
  }
  std::vector<Received> items() {
    std::lock_guard lock(mu_);
    return items_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<Received> items_;
};

// Collects every event the hub publishes for the workflow it subscribes to.
class RecordingListener final : public EventListener {
 public:
  explicit RecordingListener(Collector& c) : sink_(c.sink()) {}
  void onEvent(const LiveEventPtr& e) override { sink_(*e, e->event().seq); }

 private:
  EventFeed::Sink sink_;
};

// Waits (bounded) until pred holds; returns whether it did.
inline bool eventually(const std::function<bool()>& pred) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

class EventsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::openSqliteStore((dir_.path() / "t.db").string(), clock_);
    ASSERT_TRUE(opened) << opened.error().message;
    raw_ = std::shared_ptr<store::Store>(std::move(*opened));
    hub_ = std::make_shared<LocalEventHub>();
    log_ = std::make_unique<EventLog>(raw_, hub_);
    auto tenant = raw_->ensureTenant("acme");
    ASSERT_TRUE(tenant);
    tenant_ = tenant->id;
    store::Workflow w;
    w.tenant_id = tenant_;
    w.name = "wf";
    auto created = raw_->createWorkflow(w);
    ASSERT_TRUE(created);
    workflow_ = created->value.id;
  }

  store::Event event(const std::string& type) const {
    store::Event e;
    e.tenant_id = tenant_;
    e.workflow_id = workflow_;
    e.type = type;
    e.data = boost::json::object{{"n", type}};
    return e;
  }

  // Appends through the event log (stored and published).
  std::int64_t append(const std::string& type) {
    auto e = log_->append(event(type));
    EXPECT_TRUE(e) << e.error().message;
    return e ? e->seq : 0;
  }

  // Seqs 1..n.
  static std::vector<std::int64_t> range(std::int64_t from, std::int64_t to) {
    std::vector<std::int64_t> out;
    for (auto i = from; i <= to; ++i) out.push_back(i);
    return out;
  }
  static std::vector<std::int64_t> seqs(const std::vector<Received>& items) {
    std::vector<std::int64_t> out;
    for (const auto& r : items) out.push_back(r.seq);
    return out;
  }

  testing::TempDir dir_;
  std::shared_ptr<core::FakeClock> clock_ = std::make_shared<core::FakeClock>();
  std::shared_ptr<store::Store> raw_;
  std::shared_ptr<LocalEventHub> hub_;
  std::unique_ptr<EventLog> log_;
  core::Id tenant_ = 0;
  core::Id workflow_ = 0;
};

}  // namespace codecrew::events::test
