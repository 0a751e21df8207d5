// EventLog: the ordered log of everything that happens in a workflow
// (SPEC §2 Event), and its live fan-out. Appending stores an event (the
// store assigns its per-workflow seq) and, once committed, fans it out to
// the workflow's live subscribers and writes it to the structured log;
// live-only events (streamed tokens) are fanned out without being stored.
// follow() gives a subscriber the stored backlog after a seq and then the
// live events, with no gap and no duplicate (see EventFeed).
//
// store() is the Store everything else should use (the API, the engine):
// events appended through it, inside transactions or not, reach the log's
// subscribers.
//
// One process (the default): committed events are published to the hub as
// they commit. Several processes sharing the store (EventLogOptions::signal,
// PostgreSQL): committed events are only announced, through the signal to
// the other processes and to this log's StoreEventRelay, and the relay is
// the only publisher of stored events: every process, the one that appended
// an event included, publishes it from the store in seq order, so it is
// published once per process. Live-only events stay in the process that
// publishes them (a worker's streamed tokens do not reach an API node).
// Thread-safety: every method may be called from any thread.
#pragma once

#include "core/result.h"
#include "events/event_feed.h"
#include "events/event_hub.h"
#include "events/event_signal.h"
#include "events/store_event_relay.h"
#include "events/work_queue.h"
#include "store/store.h"

#include <memory>

namespace codecrew::events {

struct EventLogOptions {
  int reader_threads = 2;  // store reads of feeds catching up after a gap
  // Set when other processes share the store: committed events are
  // announced through it (e.g. makePgEventSignal) and published by relay().
  std::shared_ptr<EventSignal> signal;
  StoreEventRelayOptions relay;  // with a signal
};

class EventLog {
 public:
  // `store` is the undecorated store; `hub` fans events out.
  EventLog(std::shared_ptr<store::Store> store, std::shared_ptr<EventHub> hub, EventLogOptions options = {});
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;
  ~EventLog();  // stops the relay

  // The publishing Store to hand to the API and the engine.
  std::shared_ptr<store::Store> store() const { return publishing_; }
  EventHub& hub() const { return *hub_; }
  // With a signal: the relay that publishes stored events, to hand to the
  // signals' listener (listenPgEventSignals); null without.
  std::shared_ptr<StoreEventRelay> relay() const { return relay_; }

  // Stores the event and fans it out once stored.
  core::Result<store::Event> append(const store::Event& e);
  // Fans out an event that is not stored (its seq is ignored).
  void publishLive(store::Event e);

  // Starts a feed of the workflow's events with seq > after_seq (see
  // EventFeed for the sink's contract). The caller has checked that the
  // tenant may see the workflow. Delivers the backlog before returning.
  std::shared_ptr<EventFeed> follow(const FeedTarget& target, EventFeed::Sink sink,
                                    EventFeed::FailureHandler on_failure = {}, EventFeed::ReadyCheck ready = {});

 private:
  void committed(const store::Event& e);

  std::shared_ptr<store::Store> raw_;
  std::shared_ptr<EventHub> hub_;
  std::shared_ptr<WorkQueue> readers_;
  std::shared_ptr<EventSignal> signal_;
  std::shared_ptr<StoreEventRelay> relay_;
  std::shared_ptr<store::Store> publishing_;
};

}  // namespace codecrew::events
