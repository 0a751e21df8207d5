// EventFeed: one subscriber's view of a workflow's event log from a given
// seq on: first the stored backlog (read from the store), then live events
// from the hub, with no gap and no duplicate. It subscribes before reading
// the backlog, holds live events that arrive meanwhile, and drops those
// with seq <= the last one delivered. A live event whose seq skips ahead
// (two transactions committed in one order and published in the other, or
// an event appended by a store that does not publish) sends it back to the
// store for the missing ones. Live-only events (streamed tokens) are
// delivered when the feed is live and carry the last stored seq delivered.
//
// Thread-safety: the sink is called with the feed's lock held, from the
// hub's dispatch thread, a WorkQueue thread, or the thread that called
// start(), never two at once; it must not block or call back into the feed.
// stop() may be called from any thread except inside the sink (return
// false there instead).
#pragma once

#include "core/result.h"
#include "events/event_hub.h"
#include "events/work_queue.h"
#include "store/event_store.h"

#include <deque>
#include <functional>
#include <memory>
#include <mutex>

namespace codecrew::events {

// What a client's buffer may hold before a feed delivering its backlog
// waits for it to drain (keep the server's stream buffer limit well above).
inline constexpr std::size_t kBacklogHighWater = std::size_t{128} * 1024;

struct FeedTarget {
  core::Id tenant_id = 0;
  core::Id workflow_id = 0;
  std::int64_t after_seq = 0;  // deliver stored events with seq > after_seq
};

class EventFeed final : public EventListener, public std::enable_shared_from_this<EventFeed> {
 public:
  // Called with each event, in seq order, and the id to show for it (its
  // seq; for a live-only event, the last stored seq delivered). Returns
  // false to stop the feed (the client is gone or too slow).
  using Sink = std::function<bool(const LiveEvent& event, std::int64_t id)>;
  // Called once if reading the store fails; the feed has stopped.
  using FailureHandler = std::function<void(const core::Error& error)>;
  // Backpressure for the backlog: false while the client's buffer is too
  // full to take more; the feed then waits (polling, without its lock)
  // before delivering the next stored event. Live events never wait.
  using ReadyCheck = std::function<bool()>;

  // Events held while catching up before the feed reads the store again
  // instead of holding more.
  static constexpr std::size_t kMaxHeld = 1024;
  // Events read from the store per query.
  static constexpr int kBatch = 500;

  EventFeed(std::shared_ptr<store::EventStore> store, std::shared_ptr<WorkQueue> readers, FeedTarget target, Sink sink,
            FailureHandler on_failure, ReadyCheck ready = {});

  // Subscribes to hub and delivers the backlog on the calling thread (which
  // may wait for the client, see ReadyCheck), then goes live. Call once.
  void start(EventHub& hub);
  // Stops delivering and unsubscribes. Idempotent.
  void stop();
  bool stopped() const;
  // The last stored seq delivered.
  std::int64_t lastSeq() const;

  void onEvent(const LiveEventPtr& event) override;

 private:
  enum class Mode { kCatchingUp, kLive, kStopped };

  // Reads the store after last_seq_ until it has caught up with what is
  // held, then goes live (or stops).
  void catchUp();
  // Delivers under mu_; false when the sink asked to stop (mode_ is then kStopped).
  bool deliverLocked(const LiveEvent& event);
  // Consumes held events in order; true when live, false when another store
  // read is needed (or the feed stopped). accept_gap: the last store read
  // found nothing new, so a held event that skips ahead is delivered anyway.
  bool drainHeldLocked(bool accept_gap);
  void finishStop();
  // Waits until ready_ says the client takes more; false if the feed stopped.
  bool awaitReady();

  const std::shared_ptr<store::EventStore> store_;
  const std::shared_ptr<WorkQueue> readers_;
  const FeedTarget target_;
  const Sink sink_;
  const FailureHandler on_failure_;
  const ReadyCheck ready_;

  mutable std::mutex mu_;
  Mode mode_ = Mode::kCatchingUp;  // guarded by mu_
  std::int64_t last_seq_ = 0;      // guarded by mu_
  std::deque<LiveEventPtr> held_;  // guarded by mu_
  bool reread_ = false;            // guarded by mu_: held events were dropped
  std::mutex subscription_mu_;
  Subscription subscription_;  // guarded by subscription_mu_
};

}  // namespace codecrew::events
