// The event log's signals over PostgreSQL LISTEN/NOTIFY, for processes that
// share one PostgreSQL store: every process that appends events (API nodes
// and workers) NOTIFYs, and every API node LISTENs and relays. A NOTIFY
// carries only a mark ("<tenant>:<workflow>:<seq>", see event_signal.h),
// never an event, so the 8000-byte payload limit never matters; it is sent on
// a connection of its own after the commit, coalesced (at most one per
// workflow per `coalesce` interval, carrying the highest seq).
//
// Wiring (see StoreEventRelay and EventLogOptions::signal):
//   worker:   EventLogOptions{.signal = makePgEventSignal(o)}
//   API node: the same, and listenPgEventSignals(o, event_log.relay())
// Thread-safety: the factories from any thread; see the returned types.
#pragma once

#include "events/event_signal.h"
#include "store/postgres/pg_listener.h"

#include <chrono>
#include <memory>
#include <string>

namespace codecrew::events {

struct PgEventSignalOptions {
  std::string url;  // the store's PostgreSQL URL
  std::string channel = "codecrew_events";
  std::chrono::milliseconds coalesce{20};
  std::string application_name_prefix = "codecrew";  // "-notifier" / "-listener" are appended
};

// The sending side: a CoalescingEventSignal whose sends are NOTIFYs
// (store::postgres::PgNotifier). Connects on first use; never fails here.
std::shared_ptr<EventSignal> makePgEventSignal(const PgEventSignalOptions& options);

// The receiving side, started: a PgListener whose notifications reach
// receiver->onSignal (payloads that are not marks are logged and dropped) and
// whose every LISTEN (the first one included) reaches receiver->onResync. It
// holds the receiver weakly. Destroy it (or stop() it) before the receiver's
// owner goes.
std::unique_ptr<store::postgres::PgListener> listenPgEventSignals(const PgEventSignalOptions& options,
                                                                  std::weak_ptr<EventSignalReceiver> receiver);

}  // namespace codecrew::events
