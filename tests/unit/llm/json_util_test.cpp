// Provider JSON numbers past int64's range (found by fuzz/stream_anthropic:
// a usage count of 4.4e50 was converted to int64, undefined behaviour) read
// as the exact-integer limit, and the usage sums made of them stay in range.
#include "llm/providers/json_util.h"
#include "llm/providers/anthropic_wire.h"

#include <gtest/gtest.h>
#include <boost/json.hpp>

#include <string>
#include <vector>

namespace codecrew::llm {
namespace {

TEST(JsonUtil, I64ClampsNumbersPastTheExactIntegerRange) {
  auto o = boost::json::parse(R"({"huge": 444444444444444444444444444444444444444444444444441,
    "negative": -1e300, "unsigned": 18446744073709551615, "max": 9223372036854775807,
    "min": -9223372036854775808, "plain": 42, "fraction": 3.9, "text": "7"})")
               .as_object();
  const auto limit = json::kExactIntegerLimit;
  EXPECT_EQ(json::i64(o, "huge"), limit);
  EXPECT_EQ(json::i64(o, "negative"), -limit);
  EXPECT_EQ(json::i64(o, "unsigned"), limit);
  EXPECT_EQ(json::i64(o, "max"), limit);
  EXPECT_EQ(json::i64(o, "min"), -limit);
  EXPECT_EQ(json::i64(o, "plain"), 42);
  EXPECT_EQ(json::i64(o, "fraction"), 3);
  EXPECT_EQ(json::i64(o, "text"), 0);
  EXPECT_EQ(json::i64(o, "absent"), 0);
}

TEST(JsonUtil, AnthropicStreamWithAHugeUsageCountReadsTheLimit) {
  // The shape of the fuzzer's input: message_start whose usage counts are
  // far past int64, then a message_delta adding cached tokens.
  std::string body =
      "event: message_start\n"
      "data: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":9223372036854775807,"
      "\"cache_read_input_tokens\":9223372036854775807,"
      "\"output_tokens\":444444444444444444444444444444444444444444444444441}}}\n\n"
      "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
  AnthropicWire wire(Endpoint{"http://127.0.0.1:9/v1", "k"});
  auto decoder = wire.streamDecoder();
  std::vector<StreamDelta> usage;
  DeltaSink sink = [&](const StreamDelta& d) {
    if (d.kind == StreamDelta::Kind::kUsage) usage.push_back(d);
  };
  ASSERT_TRUE(decoder->feed(body, sink).ok());
  ASSERT_TRUE(decoder->finish(sink).ok());
  ASSERT_EQ(usage.size(), 1u);
  const auto limit = json::kExactIntegerLimit;
  EXPECT_EQ(usage[0].usage.completion_tokens, limit);
  EXPECT_EQ(usage[0].usage.cached_prompt_tokens, limit);
  EXPECT_EQ(usage[0].usage.prompt_tokens, 2 * limit);
  EXPECT_EQ(usage[0].usage.total_tokens, 3 * limit);
}

}  // namespace
}  // namespace codecrew::llm
