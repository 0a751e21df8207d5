// LocalEventHub: the in-process EventHub. publish() queues the event and
// returns; one dispatch thread hands each event to the listeners of its
// workflow in publish order (what queued up meanwhile, a listener at a
// time: all of a workflow's queued events to one listener, then the next). A listener that is slow only slows that
// thread, so listeners must not block: the SSE and WebSocket listeners
// write to bounded, non-blocking stream buffers.
// Thread-safety: as EventHub. The destructor stops the dispatch thread
// (events still queued are dropped); destroy it after its subscribers.
#pragma once

#include "events/event_hub.h"

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

namespace codecrew::events {

class LocalEventHub final : public EventHub {
 public:
  LocalEventHub();
  ~LocalEventHub() override;
  LocalEventHub(const LocalEventHub&) = delete;
  LocalEventHub& operator=(const LocalEventHub&) = delete;

  void publish(LiveEventPtr event) override;
  Subscription subscribe(core::Id workflow_id, std::shared_ptr<EventListener> listener) override;
  void unsubscribe(std::uint64_t token) override;
  std::size_t subscriberCount(core::Id workflow_id) const override;

  // Events handed to listeners so far (one per listener per event).
  std::uint64_t deliveries() const;

 private:
  using Listeners = std::map<std::uint64_t, std::shared_ptr<EventListener>>;

  void dispatchLoop();
  // Hands events of one workflow, in order, to each of its listeners.
  void dispatch(core::Id workflow_id, const std::vector<LiveEventPtr>& events);

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<LiveEventPtr> queue_;                           // guarded by mu_
  std::unordered_map<core::Id, Listeners> by_workflow_;      // guarded by mu_
  std::unordered_map<std::uint64_t, core::Id> workflow_of_;  // guarded by mu_
  std::uint64_t next_token_ = 1;                             // guarded by mu_
  std::uint64_t deliveries_ = 0;                             // guarded by mu_
  bool stopping_ = false;                                    // guarded by mu_
  // Held while listeners of one event are called, so that unsubscribe()
  // can wait for a call in progress to finish.
  std::mutex dispatch_mu_;
  // Dispatch thread only: listeners that unsubscribed from inside onEvent
  // during the current dispatch.
  std::vector<std::uint64_t> removed_in_dispatch_;
  std::thread thread_;
};

}  // namespace codecrew::events
