// CallRecorder: where every LLM call attempt is written as a store::LlmCall
// (success, failure, retry, fallback and skipped attempts alike). record()
// returns the id the call got, so later attempts can point at it through
// fallback_of. StoreCallRecorder writes through store::Store on a blocking
// executor; MemoryCallRecorder keeps calls in memory (tests, offline runs).
// Thread-safety: implementations are safe to call from any coroutine/thread.
#pragma once

#include "core/result.h"
#include "store/models.h"

#include <boost/asio/awaitable.hpp>

#include <mutex>
#include <vector>

namespace codecrew::llm {

class CallRecorder {
 public:
  virtual ~CallRecorder() = default;
  virtual boost::asio::awaitable<core::Result<core::Id>> record(store::LlmCall call) = 0;
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
