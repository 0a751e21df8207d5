#include "engine/context_fitter.h"

#include <fmt/format.h>

namespace codecrew::engine {
namespace {

std::int64_t messageTokens(const llm::Message& m, const llm::TokenEstimator& estimate) {
  llm::ChatRequest one;
  one.messages.push_back(m);
  return estimate(one);
}

// Cuts the largest message (besides the first two) to its head and a marker.
bool cutLargest(FitResult& fit, const FitOptions& o, const llm::TokenEstimator& estimate) {
  auto& msgs = fit.request.messages;
  std::size_t best = msgs.size();
  for (std::size_t i = 2; i < msgs.size(); ++i)
    if (msgs[i].content.size() > o.blob_keep_chars + 64 &&
        (best == msgs.size() || msgs[i].content.size() > msgs[best].content.size()))
      best = i;
  if (best == msgs.size()) return false;
  auto before = messageTokens(msgs[best], estimate);
  auto dropped = msgs[best].content.size() - o.blob_keep_chars;
  msgs[best].content = msgs[best].content.substr(0, o.blob_keep_chars) +
                       fmt::format("\n[... {} characters cut by codecrew to fit the context window ...]", dropped);
  fit.truncated_sections.push_back(boost::json::object{{"message", best},
                                                       {"kind", "blob_cut"},
                                                       {"tokens_before", before},
                                                       {"tokens_after", messageTokens(msgs[best], estimate)}});
  return true;
}

// Drops the oldest turns after the system prompt and the task, keeping the
// newest half, and keeps tool results with the assistant turn that asked.
bool dropOldest(FitResult& fit, const llm::TokenEstimator& estimate) {
  auto& msgs = fit.request.messages;
  if (msgs.size() <= 4) return false;
  std::size_t keep_from = 2 + (msgs.size() - 2) / 2;
  while (keep_from < msgs.size() && msgs[keep_from].role == llm::Role::kTool) ++keep_from;
  if (keep_from >= msgs.size()) return false;
  std::int64_t before = 0;
  for (std::size_t i = 2; i < keep_from; ++i) before += messageTokens(msgs[i], estimate);
  std::size_t dropped = keep_from - 2;
  std::vector<llm::Message> kept(msgs.begin(), msgs.begin() + 2);
  kept.push_back(llm::Message::user(
      fmt::format("[codecrew: {} earlier messages of this conversation were dropped to fit the context window]",
                  dropped)));
  kept.insert(kept.end(), msgs.begin() + static_cast<std::ptrdiff_t>(keep_from), msgs.end());
  msgs = std::move(kept);
  fit.truncated_sections.push_back(boost::json::object{{"messages_dropped", dropped},
                                                       {"kind", "oldest_turns"},
                                                       {"tokens_before", before},
                                                       {"tokens_after", messageTokens(msgs[2], estimate)}});
  return true;
}

}  // namespace

core::Result<FitResult> fitToContext(llm::ChatRequest request, const FitOptions& options,
                                     const llm::TokenEstimator& estimate) {
  FitResult fit{std::move(request), boost::json::array(), 0};
  const std::int64_t room = options.context_window - options.safety_buffer - options.output_reserve;
  for (int round = 0;; ++round) {
    fit.estimated_tokens = estimate(fit.request);
    if (fit.estimated_tokens <= room) return fit;
    if (round >= options.max_rounds || (!cutLargest(fit, options, estimate) && !dropOldest(fit, estimate)))
      return core::Error{core::ErrorCode::kResourceExhausted,
                         fmt::format("the prompt needs {} tokens but the context window allows {} ({} window - {} "
                                     "safety buffer - {} output reserve) after {} rounds of shrinking",
                                     fit.estimated_tokens, room, options.context_window, options.safety_buffer,
                                     options.output_reserve, round),
                         boost::json::object{{"truncated_sections", fit.truncated_sections}}};
  }
}

}  // namespace codecrew::engine
