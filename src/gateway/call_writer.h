// BatchedCallWriter: the gateway's CallRecorder. record() only queues the
// call (the hot path never waits for the database); a background thread
// completes each call (recordDescribed's describer: hashes, redaction) and
// writes the queue in batches with LlmCallStore::insertLlmCalls, one transaction
// per batch. The queue is bounded: when it is full, record() waits (without
// holding a thread) until the writer has made room, so calls are never
// dropped. flush() waits for everything queued so far; stop() (and the
// destructor) writes what is left, so nothing is lost at shutdown.
//
// Ids: record() returns a provisional id (the store assigns the real one when
// the batch is written). The router uses it only for fallback_of; failed and
// skipped attempts (the only ones a later attempt can stand in for) are
// written one by one to learn their real id, and a later attempt's
// fallback_of is rewritten to it.
// Thread-safety: record() from any coroutine/thread; flush() and stop() from
// any thread except the writer's own.
#pragma once

#include "llm/record/call_recorder.h"
#include "store/llm_call_store.h"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <thread>
#include <utility>
#include <vector>

namespace codecrew::gateway {

struct CallWriterOptions {
  std::size_t capacity = 10'000;                 // queued calls before record() waits
  std::size_t batch_size = 256;                  // calls per transaction
  std::chrono::milliseconds flush_interval{50};  // longest a call waits in the queue
};

struct CallWriterStats {
  std::uint64_t written = 0;  // calls stored
  std::uint64_t failed = 0;   // calls the store refused (logged)
  std::uint64_t batches = 0;  // batched transactions
};

class BatchedCallWriter final : public llm::CallRecorder {
 public:
  BatchedCallWriter(std::shared_ptr<store::LlmCallStore> store, CallWriterOptions options = {});
  ~BatchedCallWriter() override;
  BatchedCallWriter(const BatchedCallWriter&) = delete;
  BatchedCallWriter& operator=(const BatchedCallWriter&) = delete;

  boost::asio::awaitable<core::Result<core::Id>> record(store::LlmCall call) override;
  boost::asio::awaitable<core::Result<core::Id>> recordDescribed(store::LlmCall call,
                                                                 llm::CallDescriber describe) override;

  // Returns once every call queued before the call is written (or refused).
  void flush();
  // Writes what is queued and stops the thread; later calls to record() are
  // written at once. Idempotent.
  void stop();
  CallWriterStats stats() const;

 private:
  struct Item {
    core::Id provisional;
    store::LlmCall call;
    llm::CallDescriber describe;  // may be empty
  };
  void run();
  void writeBatch(std::span<Item> items);
  void writeOne(core::Id provisional, store::LlmCall& call);
  void rememberRealId(core::Id provisional, core::Id real);

  std::shared_ptr<store::LlmCallStore> store_;
  CallWriterOptions options_;
  mutable std::mutex mu_;
  std::condition_variable wake_;      // the writer: work or stop
  std::condition_variable progress_;  // flush(): a batch was written
  // Swapped whole with the writer's own vector (run()); both keep the size
  // they grew to, at most capacity items (about 0.5 kB each).
  std::vector<Item> queue_;        // guarded by mu_
  std::size_t writing_ = 0;        // guarded by mu_: taken by the writer, not yet written
  core::Id next_provisional_ = 1;  // guarded by mu_
  std::uint64_t enqueued_ = 0;     // guarded by mu_
  std::uint64_t done_ = 0;         // guarded by mu_
  int flush_waiters_ = 0;          // guarded by mu_
  bool stopping_ = false;          // guarded by mu_
  CallWriterStats stats_;          // guarded by mu_
  // Provisional to real ids of failed/skipped calls.
  std::map<core::Id, core::Id> real_ids_;  // guarded by mu_
  std::deque<core::Id> real_id_order_;     // guarded by mu_
  std::thread thread_;
};

}  // namespace codecrew::gateway
