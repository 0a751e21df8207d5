// The tokenizer's BPE merge does linear work on long runs of one character
// (tiktoken's worst case), shown with a deterministic work counter instead of
// a clock: quadrupling the run at most ~quadruples the merge steps, where a
// quadratic merge would multiply them by 16. The naive scan merge, measured
// the same way, shows the counter does see quadratic work.
#include "llm/tokenizer/tokenizer.h"
#include "tokenizer_test_env.h"

#include <gtest/gtest.h>

#include <string>

namespace codecrew::llm::tokenizer {
namespace {

std::string repeat(const std::string& unit, size_t n) {
  std::string out;
  out.reserve(unit.size() * n);
  for (size_t i = 0; i < n; ++i) out += unit;
  return out;
}

struct Measured {
  size_t tokens = 0;
  size_t steps = 0;
};

Measured measure(const Tokenizer& tok, const std::string& text) {
  BpeRanks::MergeWork work;
  Measured m;
  m.tokens = tok.count(text, work);
  m.steps = work.steps;
  return m;
}

constexpr size_t kRun = 2048;
constexpr double kMaxGrowth = 5.0;  // linear: ~4; quadratic: ~16

class TokenizerLinearTest : public ::testing::TestWithParam<std::string> {};

TEST_P(TokenizerLinearTest, MergeWorkGrowsLinearlyOnRunsOfOneCharacter) {
  auto tok = testenv::tokenizerFor(GetParam());
  ASSERT_NE(tok, nullptr);
  // Letters and CJK form one piece per run; spaces, punctuation and emoji
  // exercise the other pre-tokeniser classes.
  for (const std::string unit : {"a", "z", " ", "!", "\xE4\xB8\xAD" /* 中 */, "\xF0\x9F\x99\x82" /* 🙂 */, "ab"}) {
    const auto small = measure(*tok, repeat(unit, kRun));
    const auto large = measure(*tok, repeat(unit, 4 * kRun));
    SCOPED_TRACE("unit '" + unit + "'");
    ASSERT_GT(small.steps, 0u);
    EXPECT_EQ(tok->count(repeat(unit, kRun)), small.tokens) << "the counting overload counts the same";
    EXPECT_EQ(tok->encode(repeat(unit, 4 * kRun)).size(), large.tokens);
    const double growth = static_cast<double>(large.steps) / static_cast<double>(small.steps);
    EXPECT_LE(growth, kMaxGrowth) << small.steps << " -> " << large.steps << " steps";
    EXPECT_GE(growth, 3.0) << "the work does scale with the input";
  }
}

INSTANTIATE_TEST_SUITE_P(BothEncodings, TokenizerLinearTest, ::testing::Values("cl100k_base", "o200k_base"),
                         [](const auto& info) { return info.param; });

// The counter is meaningful: the scan merge (used only for short pieces) is
// quadratic on the same runs, and the heap merge agrees with it token for token.
TEST(TokenizerLinear, ScanMergeIsQuadraticAndTheHeapMergeAgreesWithIt) {
  auto tok = testenv::tokenizerFor("cl100k_base");
  ASSERT_NE(tok, nullptr);
  auto ranks_text = testenv::readFile(testenv::ranksDir() + "/cl100k_base.tiktoken");
  auto ranks = BpeRanks::parse(ranks_text);
  ASSERT_TRUE(ranks.ok()) << ranks.error().message;
  const std::string small = repeat("a", 512), large = repeat("a", 4 * 512);
  BpeRanks::MergeWork scan_small, scan_large, heap_small, heap_large;
  auto by_scan = ranks->mergeByScan(large, &scan_large);
  ranks->mergeByScan(small, &scan_small);
  auto by_heap = ranks->mergeByHeap(large, &heap_large);
  ranks->mergeByHeap(small, &heap_small);
  EXPECT_EQ(by_scan, by_heap);
  EXPECT_GT(static_cast<double>(scan_large.steps) / static_cast<double>(scan_small.steps), 10.0);
  EXPECT_LE(static_cast<double>(heap_large.steps) / static_cast<double>(heap_small.steps), kMaxGrowth);
}

}  // namespace
}  // namespace codecrew::llm::tokenizer
