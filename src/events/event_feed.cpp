#include "events/event_feed.h"

#include "core/log.h"

#include <thread>

namespace codecrew::events {

EventFeed::EventFeed(std::shared_ptr<store::EventStore> store, std::shared_ptr<WorkQueue> readers, FeedTarget target,
                     Sink sink, FailureHandler on_failure, ReadyCheck ready)
    : store_(std::move(store)),
      readers_(std::move(readers)),
      target_(target),
      sink_(std::move(sink)),
      on_failure_(std::move(on_failure)),
      ready_(std::move(ready)),
      last_seq_(target.after_seq) {}

void EventFeed::start(EventHub& hub) {
  {
    std::lock_guard lock(subscription_mu_);
    subscription_ = hub.subscribe(target_.workflow_id, shared_from_this());
  }
  catchUp();
}

void EventFeed::stop() {
  {
    std::lock_guard lock(mu_);
    mode_ = Mode::kStopped;
    held_.clear();
  }
  finishStop();
}

bool EventFeed::stopped() const {
  std::lock_guard lock(mu_);
  return mode_ == Mode::kStopped;
}

std::int64_t EventFeed::lastSeq() const {
  std::lock_guard lock(mu_);
  return last_seq_;
}

void EventFeed::finishStop() {
  Subscription released;
  {
    std::lock_guard lock(subscription_mu_);
    released = std::move(subscription_);
  }
  released.reset();
}

void EventFeed::onEvent(const LiveEventPtr& event) {
  bool stop_now = false;
  bool read_store = false;
  {
    std::lock_guard lock(mu_);
    if (mode_ == Mode::kStopped) return;
    if (mode_ == Mode::kCatchingUp) {
      if (held_.size() >= kMaxHeld) {  // the store has them all: read it again rather than hold more
        held_.clear();
        reread_ = true;
      }
      held_.push_back(event);
      return;
    }
    const std::int64_t seq = event->event().seq;
    if (!event->stored() || seq == last_seq_ + 1) {
      stop_now = !deliverLocked(*event);
    } else if (seq > last_seq_ + 1) {
      mode_ = Mode::kCatchingUp;
      held_.push_back(event);
      read_store = true;
    }
  }
  if (stop_now) finishStop();
  if (read_store) readers_->post([self = shared_from_this()] { self->catchUp(); });
}

void EventFeed::catchUp() {
  for (;;) {
    std::int64_t from = 0;
    {
      std::lock_guard lock(mu_);
      if (mode_ == Mode::kStopped) return;
      from = last_seq_;
      reread_ = false;
    }
    auto batch = store_->listEvents(target_.tenant_id, target_.workflow_id, from, kBatch);
    if (!batch) {
      stop();
      if (on_failure_) on_failure_(batch.error());
      return;
    }
    for (const auto& e : *batch) {
      if (!awaitReady()) return;
      std::lock_guard lock(mu_);
      if (mode_ == Mode::kStopped) return;
      if (e.seq <= last_seq_) continue;
      if (!deliverLocked(LiveEvent(e, true))) break;
    }
    bool stop_now = false;
    {
      std::lock_guard lock(mu_);
      if (mode_ == Mode::kStopped) stop_now = true;
      if (!stop_now && batch->size() < static_cast<std::size_t>(kBatch)) {
        // Caught up with the store. If a held event still skips ahead although
        // the store had nothing more, the store will not fill the gap: go on.
        if (drainHeldLocked(batch->empty())) return;
        stop_now = mode_ == Mode::kStopped;
      }
    }
    if (stop_now) {
      finishStop();
      return;
    }
  }
}

bool EventFeed::awaitReady() {
  constexpr auto kPoll = std::chrono::milliseconds(2);
  while (ready_ && !ready_()) {
    if (stopped()) return false;
    std::this_thread::sleep_for(kPoll);
  }
  return !stopped();
}

bool EventFeed::drainHeldLocked(bool accept_gap) {
  if (reread_) return false;
  while (!held_.empty()) {
    LiveEventPtr event = held_.front();
    if (event->stored()) {
      const std::int64_t seq = event->event().seq;
      if (seq <= last_seq_) {
        held_.pop_front();
        continue;
      }
      if (seq != last_seq_ + 1) {
        if (!accept_gap) return false;
        core::log::warn("event log gap not found in the store",
                        {{"workflow_id", target_.workflow_id}, {"after", last_seq_}, {"next", seq}});
      }
    }
    held_.pop_front();
    if (!deliverLocked(*event)) return false;
  }
  mode_ = Mode::kLive;
  return true;
}

bool EventFeed::deliverLocked(const LiveEvent& event) {
  if (event.stored()) last_seq_ = event.event().seq;
  if (sink_(event, last_seq_)) return true;
  mode_ = Mode::kStopped;
  held_.clear();
  return false;
}

}  // namespace codecrew::events
