// The tokenizer's own behaviour: loading and its failures, special tokens,
// the two merges agreeing, pieces from the pre-tokeniser, long runs.
#include "llm/tokenizer/bpe_ranks.h"
#include "llm/tokenizer/pre_tokenizer.h"
#include "support/temp_dir.h"
#include "tokenizer_test_env.h"

#include <gtest/gtest.h>

#include <random>

namespace codecrew::llm::tokenizer {
namespace {

std::vector<std::string> split(SplitPattern pattern, std::string_view text) {
  std::vector<std::string_view> pieces;
  PreTokenizer(pattern).split(text, pieces);
  return {pieces.begin(), pieces.end()};
}

using Pieces = std::vector<std::string>;

TEST(TokenizerPreTokenizer, Cl100kSplitsLikeTiktoken) {
  const auto p = SplitPattern::kCl100kBase;
  EXPECT_EQ(split(p, "Hello world"), (Pieces{"Hello", " world"}));
  EXPECT_EQ(split(p, "don't STOP"), (Pieces{"don", "'t", " STOP"}));
  EXPECT_EQ(split(p, "12345"), (Pieces{"123", "45"}));
  EXPECT_EQ(split(p, "a   b"), (Pieces{"a", "  ", " b"}));
  EXPECT_EQ(split(p, "x  \n\n  y"), (Pieces{"x", "  \n\n", " ", " y"}));
  EXPECT_EQ(split(p, "end   "), (Pieces{"end", "   "}));
  EXPECT_EQ(split(p, " !?\n\nz"), (Pieces{" !?\n\n", "z"}));
}

TEST(TokenizerPreTokenizer, O200kSplitsCaseRunsAndSlashes) {
  const auto p = SplitPattern::kO200kBase;
  EXPECT_EQ(split(p, "HTTPServer parseJSON"), (Pieces{"HTTPServer", " parse", "JSON"}));
  EXPECT_EQ(split(p, "they'RE"), (Pieces{"they'RE"}));
  EXPECT_EQ(split(p, "a//\n/b"), (Pieces{"a", "//\n/", "b"}));
  EXPECT_EQ(split(p,
                  "\xC7\x85"
                  "emal"),
            (Pieces{"\xC7\x85"
                    "emal"}));  // titlecase DŽ first
}

TEST(TokenizerPreTokenizer, InvalidUtf8BytesStayInThePieces) {
  const std::string text = "ab\xFF\xFE cd\xC3";
  std::string joined;
  for (const auto& piece : split(SplitPattern::kO200kBase, text)) joined += piece;
  EXPECT_EQ(joined, text);
}

TEST(TokenizerBpe, HeapMergeAgreesWithTiktokensScan) {
  for (const char* encoding : {"cl100k_base", "o200k_base"}) {
    const auto tok = testenv::tokenizerFor(encoding);
    ASSERT_NE(tok, nullptr);
    auto ranks = BpeRanks::parse(testenv::readFile(testenv::ranksDir() + "/" + encoding + ".tiktoken"));
    ASSERT_TRUE(ranks.ok());
    std::mt19937 rng(1234);
    const std::string alphabet = "aaaaabbbcde  \t\n.,'0123xyzXYZ\xC3\xA9";
    for (int round = 0; round < 200; ++round) {
      std::string piece;
      const size_t len = 1 + rng() % 300;
      for (size_t k = 0; k < len; ++k) piece += alphabet[rng() % alphabet.size()];
      EXPECT_EQ(ranks->mergeByHeap(piece), ranks->mergeByScan(piece)) << piece;
    }
  }
}

TEST(TokenizerBpe, ParseRejectsMalformedLines) {
  EXPECT_FALSE(BpeRanks::parse("YQ== notanumber\n").ok());
  EXPECT_FALSE(BpeRanks::parse("Y!== 1\n").ok());
  EXPECT_FALSE(BpeRanks::parse("YQ== 0\nYQ== 1\n").ok());
  EXPECT_FALSE(BpeRanks::parse("YQ== 0\n").ok());  // lacks the other 255 single bytes
}

TEST(TokenizerLoad, FailuresAreValuesThatSayWhy) {
  const auto unknown = Tokenizer::load("p50k_base", testenv::ranksDir() + "/cl100k_base.tiktoken");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().code, core::ErrorCode::kInvalidArgument);

  codecrew::testing::TempDir dir;
  const auto missing = Tokenizer::load("cl100k_base", dir.str() + "/none.tiktoken");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, core::ErrorCode::kNotFound);

  std::string altered = testenv::readFile(testenv::ranksDir() + "/cl100k_base.tiktoken");
  altered[0] = altered[0] == 'I' ? 'J' : 'I';
  const auto tampered = Tokenizer::load("cl100k_base", dir.write("cl.tiktoken", altered).string());
  ASSERT_FALSE(tampered.ok());
  EXPECT_EQ(tampered.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_NE(tampered.error().message.find("sha256"), std::string::npos);

  const auto swapped = Tokenizer::load("o200k_base", testenv::ranksDir() + "/cl100k_base.tiktoken");
  EXPECT_FALSE(swapped.ok());
}

TEST(TokenizerSpecial, RecognisedOnlyWhenAllowed) {
  const auto tok = testenv::tokenizerFor("cl100k_base");
  ASSERT_NE(tok, nullptr);
  const std::string text = "a<|endoftext|>b<|fim_prefix|>";
  const auto plain = tok->encode(text);
  EXPECT_EQ(std::count(plain.begin(), plain.end(), 100257u), 0);
  EXPECT_GT(plain.size(), 4u);

  const auto all = tok->encode(text, SpecialTokenPolicy::all());
  EXPECT_EQ(all, (std::vector<uint32_t>{tok->encode("a")[0], 100257u, tok->encode("b")[0], 100258u}));

  const auto some = tok->encode(text, SpecialTokenPolicy::only({"<|fim_prefix|>"}));
  EXPECT_EQ(std::count(some.begin(), some.end(), 100257u), 0);
  EXPECT_EQ(some.back(), 100258u);
  EXPECT_EQ(tok->decode(all), text);
  EXPECT_EQ(tok->specialTokenId("<|endofprompt|>"), 100276u);
  EXPECT_FALSE(tok->specialTokenId("<|im_start|>").has_value());
}

TEST(TokenizerLongRuns, OneCharacterRunsFinish) {
  const auto tok = testenv::tokenizerFor("o200k_base");
  ASSERT_NE(tok, nullptr);
  for (const char c : {'a', ' ', '\n', '7', '.'}) {
    const std::string run(100000, c);
    const auto ids = tok->encode(run);
    EXPECT_GT(ids.size(), 0u);
    EXPECT_EQ(tok->decode(ids), run);
  }
}

TEST(TokenizerDecode, SkipsIdsOutsideTheVocabulary) {
  const auto tok = testenv::tokenizerFor("o200k_base");
  ASSERT_NE(tok, nullptr);
  auto ids = tok->encode("hello");
  ids.push_back(999999999u);
  EXPECT_EQ(tok->decode(ids), "hello");
}

}  // namespace
}  // namespace codecrew::llm::tokenizer
