// EventHub: fans events out, in memory, to the live subscribers of a
// workflow. It keeps nothing: a subscriber that needs what happened before
// it subscribed, or what it missed, reads the store (see EventFeed).
// LocalEventHub implements it within one process. With several processes on
// one PostgreSQL store, each keeps its LocalEventHub, and its
// StoreEventRelay publishes every process's stored events to it, read from
// the store (store_event_relay.h).
// Thread-safety: every method may be called from any thread. Listeners are
// called on the hub's own thread, never on the publisher's.
#pragma once

#include "events/live_event.h"
#include "store/models.h"

#include <cstdint>
#include <memory>

namespace codecrew::events {

class EventListener {
 public:
  virtual ~EventListener() = default;
  // One event of the subscribed workflow. Events of one workflow come in the
  // order they were published. Must not block (no I/O, no store calls).
  virtual void onEvent(const LiveEventPtr& event) = 0;
};

class EventHub;

// Unsubscribes when destroyed (or reset). Move-only.
class Subscription {
 public:
  Subscription() = default;
  Subscription(EventHub* hub, std::uint64_t token) : hub_(hub), token_(token) {}
  Subscription(Subscription&& other) noexcept;
  Subscription& operator=(Subscription&& other) noexcept;
  ~Subscription() { reset(); }
  void reset();

 private:
  EventHub* hub_ = nullptr;
  std::uint64_t token_ = 0;
};

class EventHub {
 public:
  virtual ~EventHub() = default;
  // Queues the event for every listener of its workflow; returns at once
  // (the publisher never waits for a subscriber).
  virtual void publish(LiveEventPtr event) = 0;
  // Adds a listener for the workflow's events published from now on. The
  // hub keeps the listener alive until the Subscription goes away; after
  // that it is not called again once unsubscribe() has returned.
  [[nodiscard]] virtual Subscription subscribe(core::Id workflow_id, std::shared_ptr<EventListener> listener) = 0;
  virtual void unsubscribe(std::uint64_t token) = 0;
  // Subscribers of a workflow right now.
  virtual std::size_t subscriberCount(core::Id workflow_id) const = 0;
};

}  // namespace codecrew::events
