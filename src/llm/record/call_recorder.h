// CallRecorder: where every LLM call attempt is written as a store::LlmCall
// (success, failure, retry, fallback and skipped attempts alike). record()
// returns the id the call got, so later attempts can point at it through
// fallback_of. recordDescribed() takes a call whose costly fields (hashes,
// redacted bodies) a describer fills in before it is stored, so that a
// recorder with a thread of its own can do that work off the caller's path.
// StoreCallRecorder writes through store::LlmCallStore on a blocking
// executor; MemoryCallRecorder keeps calls in memory (tests, offline runs).
// Thread-safety: implementations are safe to call from any coroutine/thread.
#pragma once

#include "core/result.h"
#include "store/models.h"

#include <boost/asio/awaitable.hpp>

#include <functional>
#include <mutex>
#include <vector>

namespace codecrew::llm {

// Completes a call record in place; runs once, on any thread.
using CallDescriber = std::function<void(store::LlmCall&)>;

class CallRecorder {
 public:
  virtual ~CallRecorder() = default;
  virtual boost::asio::awaitable<core::Result<core::Id>> record(store::LlmCall call) = 0;
  // Records `call` once `describe` has completed it. The call's status must
  // already say whether it failed (describe may only refine a success). The
  // default describes at once, then record()s.
  virtual boost::asio::awaitable<core::Result<core::Id>> recordDescribed(store::LlmCall call, CallDescriber describe);
};

class MemoryCallRecorder final : public CallRecorder {
 public:
  boost::asio::awaitable<core::Result<core::Id>> record(store::LlmCall call) override;
  std::vector<store::LlmCall> calls() const;

 private:
  mutable std::mutex mu_;
  std::vector<store::LlmCall> calls_;  // guarded by mu_
};

}  // namespace codecrew::llm
