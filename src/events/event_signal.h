// EventSignal: how the processes that share one store (several API nodes and
// workers on one PostgreSQL database) tell each other "events of workflow W
// (tenant T) were committed, up to seq S". A signal carries only those ids,
// never an event: receivers read the events from the store by seq, so a
// signal that is late, coalesced with others, or lost costs latency, never an
// event (receivers also poll, and read everything again after a reconnect).
//
// EventSignal is the sending side (EventLog calls it after each commit);
// EventSignalReceiver is what a source of signals calls (StoreEventRelay
// implements it). PostgreSQL LISTEN/NOTIFY implements both ends
// (events/pg_event_signals.h).
// Thread-safety: implementations may be called from any thread.
#pragma once

#include "store/models.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace codecrew::events {

// Events of the workflow are committed up to seq (and perhaps beyond).
struct EventMark {
  core::Id tenant_id = 0;
  core::Id workflow_id = 0;
  std::int64_t seq = 0;
  bool operator==(const EventMark&) const = default;
};

// "<tenant>:<workflow>:<seq>", the payload of a NOTIFY.
std::string formatEventMark(const EventMark& mark);
// The mark of a payload; nullopt unless three non-negative decimal integers
// joined by ':'.
std::optional<EventMark> parseEventMark(std::string_view payload);

class EventSignal {
 public:
  virtual ~EventSignal() = default;
  // The mark's events are committed. Returns at once: no I/O on the
  // caller's thread, and never inside the caller's transaction.
  virtual void notify(const EventMark& mark) = 0;
};

class EventSignalReceiver {
 public:
  virtual ~EventSignalReceiver() = default;
  // Events of the mark's workflow were committed up to its seq. Must not
  // block (hand store reads to another thread).
  virtual void onSignal(const EventMark& mark) = 0;
  // Signals may have been lost (the source reconnected): read everything
  // that may have been missed. Must not block.
  virtual void onResync() = 0;
};

}  // namespace codecrew::events
