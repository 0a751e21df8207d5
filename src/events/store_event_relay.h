// StoreEventRelay: publishes to this process's EventHub the stored events of
// every process that shares the store (several API nodes and workers on one
// PostgreSQL database), read back from the store in seq order: each stored
// event of a relayed workflow is published once, in order, whichever process
// appended it (this one included: with a relay, EventLog publishes stored
// events only through it).
//
// A workflow is relayed from the moment one of its feeds has delivered its
// backlog (follow()) for as long as it has subscribers on the hub; the relay
// remembers the last seq it published for it. It reads the store after that
// seq when
//   - a signal says the workflow has events beyond it (onSignal: a NOTIFY
//     from another process, or this process's own commits),
//   - the signal source reconnected (onResync: signals may have been lost),
//   - and every `safety_poll` (poll(): the net under lost signals; it also
//     forgets workflows that have no subscriber left).
// Reads run on the relay's own threads, one at a time per workflow.
//
// The store numbers a workflow's events 1, 2, 3... with no gap, and a seq is
// never visible before the ones below it. Should a read still skip a seq,
// the relay waits for it, and publishes past it (with a warning) only when
// it is still missing after a whole safety-poll interval.
//
// Live-only events (streamed tokens, seq 0) are not stored, so they do not
// cross processes: EventLog::publishLive publishes them to this process's
// hub only.
// Thread-safety: every method may be called from any thread; none blocks on
// the store. Create it with std::make_shared (reads in flight hold it).
#pragma once

#include "events/event_hub.h"
#include "events/event_signal.h"
#include "events/work_queue.h"
#include "store/event_store.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace codecrew::events {

struct StoreEventRelayOptions {
  // How often every relayed workflow is read whatever the signals say;
  // zero: never on its own (a test calls poll()).
  std::chrono::milliseconds safety_poll{2000};
  int reader_threads = 2;
  int batch = 500;  // events per store read
};

class StoreEventRelay final : public EventSignalReceiver, public std::enable_shared_from_this<StoreEventRelay> {
 public:
  StoreEventRelay(std::shared_ptr<store::EventStore> store, std::shared_ptr<EventHub> hub,
                  StoreEventRelayOptions options = {});
  ~StoreEventRelay() override;
  StoreEventRelay(const StoreEventRelay&) = delete;
  StoreEventRelay& operator=(const StoreEventRelay&) = delete;

  // Starts the safety poll (when options say so). Call once.
  void start();
  // Stops the safety poll; reads in flight finish, no new one starts.
  void stop();

  // A feed subscribed to the workflow and delivered its stored events up to
  // after_seq: relays the workflow from there, unless it is relayed already,
  // and reads it once now (for what was committed since the feed read). An
  // after_seq beyond the workflow's last stored seq (a client's made-up
  // Last-Event-ID) is brought back to that last seq first.
  void follow(core::Id tenant_id, core::Id workflow_id, std::int64_t after_seq);

  void onSignal(const EventMark& mark) override;
  void onResync() override;
  // One safety pass now: forgets the workflows without subscribers and
  // reads the others.
  void poll();

  // Workflows relayed now.
  std::size_t relayedWorkflows() const;
  // Events published so far.
  std::uint64_t published() const;
  // Store reads done so far (failed ones included).
  std::uint64_t reads() const;

 private:
  struct Track {
    core::Id tenant_id = 0;
    std::int64_t last = 0;            // the last seq published
    bool reading = false;             // a read is queued or running
    bool again = false;               // asked for while reading: read once more
    bool check_start = false;         // last came from a feed: is it stored?
    std::int64_t missing = 0;         // a seq the store skipped (0: none)
    std::uint64_t missing_since = 0;  // poll_round_ when it was first missed
  };
  using TrackPtr = std::shared_ptr<Track>;

  void scheduleLocked(core::Id workflow_id, const TrackPtr& track);
  // Reads and publishes until caught up (runs on readers_).
  void drain(core::Id workflow_id, const TrackPtr& track);
  // Publishes a batch under mu_; false when it stopped at a missing seq.
  bool publishLocked(core::Id workflow_id, Track& track, const std::vector<store::Event>& batch);
  bool currentLocked(core::Id workflow_id, const TrackPtr& track) const;
  // Counts a store read; logs a failure (once until reads work again).
  // False when it failed.
  bool readDoneLocked(core::Id workflow_id, const core::Error* failure);
  // after_seq when it is stored (or 0), else the workflow's last stored seq
  // (a binary search: rare, and a few one-row reads).
  core::Result<std::int64_t> storedStart(core::Id tenant_id, core::Id workflow_id, std::int64_t after_seq);
  void pollLoop();

  const std::shared_ptr<store::EventStore> store_;
  const std::shared_ptr<EventHub> hub_;
  const StoreEventRelayOptions options_;
  std::shared_ptr<WorkQueue> readers_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::unordered_map<core::Id, TrackPtr> tracks_;  // guarded by mu_
  std::uint64_t poll_round_ = 0;                   // guarded by mu_
  std::uint64_t published_ = 0;                    // guarded by mu_
  std::uint64_t reads_ = 0;                        // guarded by mu_
  bool read_failing_ = false;                      // guarded by mu_
  bool stopping_ = false;                          // guarded by mu_
  std::thread poller_;
};

}  // namespace codecrew::events
