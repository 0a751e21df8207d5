// ContextFitter: token governance for one request. A prompt that does not fit
// the model's context window less a safety buffer and the output reserve is
// shrunk, in order: large tool results and messages are cut with a marker,
// then the oldest turns (never the system prompt or the task) are dropped
// and replaced by one summary line. Every cut is recorded as a
// truncated_sections entry {message, kind, tokens_before, tokens_after}.
// Gives up (kResourceExhausted with the numbers) after a bounded number of
// rounds.
// Thread-safety: pure.
#pragma once

#include "core/result.h"
#include "llm/router/router.h"

#include <boost/json/array.hpp>

namespace codecrew::engine {

struct FitOptions {
  std::int64_t context_window = 128000;
  std::int64_t safety_buffer = 1024;
  std::int64_t output_reserve = 4096;
  std::size_t blob_keep_chars = 2000;  // a cut message keeps this much of its head
  int max_rounds = 4;
};

struct FitResult {
  llm::ChatRequest request;
  boost::json::array truncated_sections;
  std::int64_t estimated_tokens = 0;
};

core::Result<FitResult> fitToContext(llm::ChatRequest request, const FitOptions& options,
                                     const llm::TokenEstimator& estimate = llm::roughTokenEstimate);

}  // namespace codecrew::engine
