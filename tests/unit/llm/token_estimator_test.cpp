// The router's tokenizer-backed estimator: exact tiktoken counts in OpenAI's
// chat accounting for known models, the bytes/4 estimate for others.
#include "llm/router/token_estimator.h"

#include <gtest/gtest.h>

namespace codecrew::llm {
namespace {

TEST(TokenizerEstimator, CountsChatMessagesExactlyForKnownModels) {
  auto registry = std::make_shared<tokenizer::TokenizerRegistry>(CODECREW_TIKTOKEN_TEST_DIR);
  auto estimate = tokenizerEstimator(registry);
  ChatRequest r;
  r.model = "gpt-4o";
  r.messages = {Message::user("hello world")};
  // 3 per message + "user" (1) + "hello world" (2) + 3 to prime the reply.
  EXPECT_EQ(estimate(r), 9);
  r.messages.push_back(Message::assistant("hello world"));
  EXPECT_EQ(estimate(r), 15);
}

TEST(TokenizerEstimator, UnknownModelsFallBackToTheByteEstimate) {
  auto registry = std::make_shared<tokenizer::TokenizerRegistry>(CODECREW_TIKTOKEN_TEST_DIR);
  auto estimate = tokenizerEstimator(registry);
  ChatRequest r;
  r.model = "some-local-model";
  r.messages = {Message::user(std::string(400, 'x'))};
  // 3 + ceil(4/4) for "user" + 100 for the content + 3.
  EXPECT_EQ(estimate(r), 107);
}

}  // namespace
}  // namespace codecrew::llm
