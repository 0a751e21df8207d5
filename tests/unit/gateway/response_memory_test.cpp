// ResponseMemory: conversations kept per tenant, the oldest forgotten past
// either bound.
#include "gateway/response_memory.h"

#include <gtest/gtest.h>

namespace codecrew::gateway {
namespace {

std::vector<llm::Message> conversation(const std::string& text) {
  return {llm::Message::user(text), llm::Message::assistant("answer to " + text)};
}

TEST(ResponseMemory, RecallsOnlyWithinTheTenant) {
  ResponseMemory memory(10, 1 << 20);
  memory.remember(1, "resp_a", conversation("hello"));
  auto kept = memory.recall(1, "resp_a");
  ASSERT_TRUE(kept.has_value());
  ASSERT_EQ(kept->size(), 2u);
  EXPECT_EQ((*kept)[1].content, "answer to hello");
  EXPECT_FALSE(memory.recall(2, "resp_a").has_value());
  EXPECT_FALSE(memory.recall(1, "resp_b").has_value());
}

TEST(ResponseMemory, ForgetsTheOldestPastTheEntryBound) {
  ResponseMemory memory(2, 1 << 20);
  memory.remember(1, "resp_1", conversation("one"));
  memory.remember(1, "resp_2", conversation("two"));
  memory.remember(1, "resp_3", conversation("three"));
  EXPECT_EQ(memory.size(), 2u);
  EXPECT_FALSE(memory.recall(1, "resp_1").has_value());
  EXPECT_TRUE(memory.recall(1, "resp_2").has_value());
  EXPECT_TRUE(memory.recall(1, "resp_3").has_value());
}

TEST(ResponseMemory, ForgetsTheOldestPastTheByteBound) {
  ResponseMemory memory(100, 1000);
  const std::string big(300, 'x');
  memory.remember(1, "resp_1", conversation(big));
  memory.remember(1, "resp_2", conversation(big));
  EXPECT_FALSE(memory.recall(1, "resp_1").has_value());
  EXPECT_TRUE(memory.recall(1, "resp_2").has_value());
  // One larger than the whole memory is never kept (and evicts nothing).
  memory.remember(1, "resp_huge", conversation(std::string(2000, 'y')));
  EXPECT_FALSE(memory.recall(1, "resp_huge").has_value());
  EXPECT_TRUE(memory.recall(1, "resp_2").has_value());
}

TEST(ResponseMemory, ZeroEntriesKeepsNothing) {
  ResponseMemory memory(0, 1 << 20);
  memory.remember(1, "resp_1", conversation("one"));
  EXPECT_EQ(memory.size(), 0u);
}

}  // namespace
}  // namespace codecrew::gateway
