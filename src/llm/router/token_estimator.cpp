#include "llm/router/token_estimator.h"

#include <boost/json.hpp>

namespace codecrew::llm {

namespace {

constexpr std::int64_t kPerMessage = 3;
constexpr std::int64_t kReplyPriming = 3;
constexpr std::int64_t kPerImage = 765;  // a high-detail 512x512 tile set, OpenAI's accounting

}  // namespace

TokenEstimator tokenizerEstimator(std::shared_ptr<tokenizer::TokenizerRegistry> registry) {
  return [registry](const ChatRequest& request) -> std::int64_t {
    auto exact = registry->forModel(request.model);
    auto count = [&](std::string_view text) -> std::int64_t {
      if (exact.ok()) return static_cast<std::int64_t>(exact.value()->count(text));
      return static_cast<std::int64_t>(tokenizer::estimateTokens(text));
    };
    std::int64_t total = kReplyPriming;
    for (const auto& m : request.messages) {
      total += kPerMessage + count(roleName(m.role)) + count(m.content);
      if (!m.name.empty()) total += count(m.name) + 1;
      for (const auto& call : m.tool_calls) total += count(call.name) + count(call.arguments) + kPerMessage;
      total += static_cast<std::int64_t>(m.images.size()) * kPerImage;
    }
    for (const auto& tool : request.tools) {
      total += count(tool.name) + count(tool.description) + count(boost::json::serialize(tool.parameters));
    }
    return total;
  };
}

}  // namespace codecrew::llm
