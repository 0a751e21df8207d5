// CoalescingEventSignal: an EventSignal that hands marks to a sender (which
// may block: a NOTIFY over the network) on a thread of its own, coalesced:
// each send carries at most one mark per workflow, the one with the highest
// seq, and sends are at least `interval` apart. The first mark after a quiet
// interval goes at once; marks that come meanwhile wait for the next send.
// A send that fails with kUnavailable (the server cannot be reached) is
// logged (once, until one succeeds again) and its marks go with the next
// one, merged with newer marks; marks refused for another reason are logged
// and dropped (receivers poll: a lost signal costs latency, not events).
// Thread-safety: notify() from any thread (it only takes a lock). stop() and
// the destructor from the owner's thread; they send what is pending once
// more, so they may wait for the sender.
#pragma once

#include "core/result.h"
#include "events/event_signal.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace codecrew::events {

class CoalescingEventSignal final : public EventSignal {
 public:
  // Sends the marks (one per workflow, in workflow id order); kUnavailable
  // keeps them for the next send.
  using Sender = std::function<core::Status(const std::vector<EventMark>& marks)>;

  CoalescingEventSignal(Sender sender, std::chrono::milliseconds interval);
  ~CoalescingEventSignal() override;
  CoalescingEventSignal(const CoalescingEventSignal&) = delete;
  CoalescingEventSignal& operator=(const CoalescingEventSignal&) = delete;

  void notify(const EventMark& mark) override;
  // Sends what is pending (one attempt) and joins the thread. Idempotent;
  // marks notified afterwards are dropped.
  void stop();

  // Sends attempted so far (failed ones included).
  std::uint64_t sends() const;

 private:
  void run();
  // Merges marks into pending_, keeping the highest seq of each workflow.
  void mergeLocked(const std::vector<EventMark>& marks);
  // Calls the sender outside the lock; false when the send failed.
  bool send(std::unique_lock<std::mutex>& lock);

  const Sender sender_;
  const std::chrono::milliseconds interval_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<core::Id, EventMark> pending_;  // guarded by mu_: by workflow
  std::uint64_t sends_ = 0;                // guarded by mu_
  bool failing_ = false;                   // guarded by mu_: the last send failed
  bool stopping_ = false;                  // guarded by mu_
  std::thread thread_;
};

}  // namespace codecrew::events
