#include "llm/record/call_recorder.h"

namespace codecrew::llm {

boost::asio::awaitable<core::Result<core::Id>> CallRecorder::recordDescribed(store::LlmCall call,
                                                                             CallDescriber describe) {
  if (describe) describe(call);
  co_return co_await record(std::move(call));
}

boost::asio::awaitable<core::Result<core::Id>> MemoryCallRecorder::record(store::LlmCall call) {
  std::lock_guard lock(mu_);
  call.id = static_cast<core::Id>(calls_.size()) + 1;
  calls_.push_back(std::move(call));
  co_return calls_.back().id;
}

std::vector<store::LlmCall> MemoryCallRecorder::calls() const {
  std::lock_guard lock(mu_);
  return calls_;
}

}  // namespace codecrew::llm
