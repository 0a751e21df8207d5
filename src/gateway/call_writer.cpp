#include "gateway/call_writer.h"

#include "core/log.h"
#include "core/thread_identity.h"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace codecrew::gateway {

namespace {
constexpr std::size_t kRememberedIds = 4096;
constexpr std::chrono::milliseconds kFullQueuePoll{1};
constexpr int kWriterNiceSteps = 10;

bool standsInForLater(const store::LlmCall& call) {
  return call.status == store::CallStatus::kFailed || call.status == store::CallStatus::kSkipped;
}
}  // namespace

BatchedCallWriter::BatchedCallWriter(std::shared_ptr<store::LlmCallStore> store, CallWriterOptions options)
    : store_(std::move(store)), options_(options) {
  if (options_.batch_size == 0) options_.batch_size = 1;
  if (options_.capacity < options_.batch_size) options_.capacity = options_.batch_size;
  thread_ = std::thread([this] {
    core::nameThisThread("cc-call-writer");
    // A batch is tens of milliseconds of work at a time: on a machine with
    // few cores it must not delay the calls being served (their p99), so the
    // I/O threads go first. A writer that falls behind makes record() wait
    // (capacity), which gives it the cores back.
    core::lowerThisThreadPriority(kWriterNiceSteps);
    run();
  });
}

BatchedCallWriter::~BatchedCallWriter() { stop(); }

boost::asio::awaitable<core::Result<core::Id>> BatchedCallWriter::record(store::LlmCall call) {
  llm::CallDescriber complete;  // a named local: no temporary in the co_await operand (GCC 12)
  co_return co_await recordDescribed(std::move(call), std::move(complete));
}

boost::asio::awaitable<core::Result<core::Id>> BatchedCallWriter::recordDescribed(store::LlmCall call,
                                                                                  llm::CallDescriber describe) {
  for (;;) {
    {
      std::unique_lock lock(mu_);
      const core::Id id = next_provisional_++;
      if (stopping_) {
        lock.unlock();
        if (describe) describe(call);
        writeOne(id, call);
        co_return id;
      }
      if (queue_.size() + writing_ < options_.capacity) {
        queue_.push_back(Item{id, std::move(call), std::move(describe)});
        ++enqueued_;
        if (queue_.size() >= options_.batch_size) wake_.notify_one();
        co_return id;
      }
    }
    boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, kFullQueuePoll);
    co_await timer.async_wait(boost::asio::use_awaitable);
  }
}

void BatchedCallWriter::flush() {
  std::unique_lock lock(mu_);
  const std::uint64_t target = enqueued_;
  ++flush_waiters_;
  wake_.notify_one();
  progress_.wait(lock, [&] { return done_ >= target; });
  --flush_waiters_;
}

void BatchedCallWriter::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
  progress_.notify_all();
}

CallWriterStats BatchedCallWriter::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void BatchedCallWriter::run() {
  // The writer's buffer, swapped with queue_ whole: the lock is held for a
  // swap, not for moving records one by one, and once both vectors have grown
  // neither side allocates. Records are described, written and destroyed with
  // the lock released; an I/O thread queuing a call never waits behind that.
  std::vector<Item> taken;
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait_for(lock, options_.flush_interval, [&] {
      return stopping_ || queue_.size() >= options_.batch_size || (flush_waiters_ > 0 && !queue_.empty());
    });
    if (queue_.empty()) {
      if (stopping_) return;
      continue;
    }
    taken.swap(queue_);
    writing_ = taken.size();
    lock.unlock();
    for (std::size_t start = 0; start < taken.size(); start += options_.batch_size) {
      const std::size_t n = std::min(options_.batch_size, taken.size() - start);
      auto batch = std::span<Item>(taken).subspan(start, n);
      writeBatch(batch);
      // Released before the room is given back: no more calls are held in
      // memory than the capacity (and one batch) allows.
      for (auto& item : batch) item = Item{};
      lock.lock();
      done_ += n;
      writing_ -= n;
      progress_.notify_all();
      lock.unlock();
    }
    taken.clear();
    lock.lock();
  }
}

void BatchedCallWriter::writeBatch(std::span<Item> items) {
  std::vector<store::LlmCall> plain;
  plain.reserve(items.size());
  for (auto& [provisional, call, describe] : items) {
    if (describe) describe(call);
    if (call.fallback_of) {
      std::lock_guard lock(mu_);
      auto it = real_ids_.find(*call.fallback_of);
      call.fallback_of = it != real_ids_.end() ? std::optional<core::Id>(it->second) : std::nullopt;
    }
    if (standsInForLater(call)) {
      writeOne(provisional, call);
    } else {
      plain.push_back(std::move(call));
    }
  }
  if (plain.empty()) return;
  auto st = store_->insertLlmCalls(plain);
  if (st.ok()) {
    std::lock_guard lock(mu_);
    stats_.written += plain.size();
    ++stats_.batches;
    return;
  }
  core::log::warn("batched LLM-call insert failed; writing the batch one by one",
                  {{"error", st.error().message}, {"calls", plain.size()}});
  for (auto& call : plain) writeOne(0, call);
}

void BatchedCallWriter::writeOne(core::Id provisional, store::LlmCall& call) {
  auto stored = store_->insertLlmCall(call);
  std::lock_guard lock(mu_);
  if (!stored.ok()) {
    ++stats_.failed;
    core::log::warn("could not record a gateway LLM call", {{"error", stored.error().message}, {"model", call.model}});
    return;
  }
  ++stats_.written;
  if (provisional != 0 && standsInForLater(call)) rememberRealId(provisional, stored->id);
}

void BatchedCallWriter::rememberRealId(core::Id provisional, core::Id real) {
  real_ids_[provisional] = real;
  real_id_order_.push_back(provisional);
  if (real_id_order_.size() > kRememberedIds) {
    real_ids_.erase(real_id_order_.front());
    real_id_order_.pop_front();
  }
}

}  // namespace codecrew::gateway
