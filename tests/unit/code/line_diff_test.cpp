// Behaviour of the line diff engine: valid edit scripts, minimal scripts from
// Myers on small inputs, and the shapes git's histogram diff produces.
#include "code/line_diff.h"
#include "code/text_lines.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace codecrew::code {
namespace {

std::vector<std::string_view> views(const std::vector<std::string>& lines) { return {lines.begin(), lines.end()}; }

// Unchanged lines must pair up equal and in order, and the blocks must be
// sorted and separated.
void expectValidScript(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b,
                       const std::vector<ChangeBlock>& blocks) {
  size_t i = 0, j = 0;
  for (size_t k = 0; k < blocks.size(); ++k) {
    const auto& blk = blocks[k];
    ASSERT_GT(blk.countA + blk.countB, 0u);
    ASSERT_EQ(blk.startA - i, blk.startB - j) << "block " << k;
    for (; i < blk.startA; ++i, ++j) ASSERT_EQ(a[i], b[j]);
    if (k > 0) {
      ASSERT_GT(blk.startA + blk.startB, blocks[k - 1].endA() + blocks[k - 1].endB());
    }
    i = blk.endA();
    j = blk.endB();
  }
  ASSERT_EQ(a.size() - i, b.size() - j);
  for (; i < a.size(); ++i, ++j) ASSERT_EQ(a[i], b[j]);
}

size_t editCost(const std::vector<ChangeBlock>& blocks) {
  size_t cost = 0;
  for (const auto& b : blocks) cost += b.countA + b.countB;
  return cost;
}

size_t lcsLength(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  std::vector<std::vector<size_t>> t(a.size() + 1, std::vector<size_t>(b.size() + 1, 0));
  for (size_t i = 1; i <= a.size(); ++i)
    for (size_t j = 1; j <= b.size(); ++j)
      t[i][j] = a[i - 1] == b[j - 1] ? t[i - 1][j - 1] + 1 : std::max(t[i - 1][j], t[i][j - 1]);
  return t[a.size()][b.size()];
}

std::vector<std::string> randomLines(std::mt19937& rng, size_t n, int vocabulary) {
  std::uniform_int_distribution<int> pick(0, vocabulary - 1);
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) out.push_back("l" + std::to_string(pick(rng)) + "\n");
  return out;
}

TEST(LineDiff, EqualInputsHaveNoBlocks) {
  std::vector<std::string> a{"x\n", "y\n"};
  EXPECT_TRUE(diffLines(views(a), views(a)).empty());
  EXPECT_TRUE(diffLines({}, {}).empty());
}

TEST(LineDiff, InsertionIntoEmptyAndDeletionToEmpty) {
  std::vector<std::string> a{"x\n", "y\n"};
  EXPECT_EQ(diffLines({}, views(a)), (std::vector<ChangeBlock>{{0, 0, 0, 2}}));
  EXPECT_EQ(diffLines(views(a), {}), (std::vector<ChangeBlock>{{0, 2, 0, 0}}));
}

TEST(LineDiff, LineEndingsAreSignificant) {
  auto a = splitLines("one\ntwo\nthree");
  auto b = splitLines("one\r\ntwo\nthree\n");
  EXPECT_EQ(diffLines(a, b), (std::vector<ChangeBlock>{{0, 1, 0, 1}, {2, 1, 2, 1}}));
}

TEST(LineDiff, MyersIsMinimalOnSmallInputs) {
  std::mt19937 rng(1234);
  for (int round = 0; round < 400; ++round) {
    auto a = randomLines(rng, rng() % 25, 1 + static_cast<int>(rng() % 6));
    auto b = randomLines(rng, rng() % 25, 1 + static_cast<int>(rng() % 6));
    auto blocks = diffLines(views(a), views(b), DiffAlgorithm::kMyers);
    expectValidScript(views(a), views(b), blocks);
    EXPECT_EQ(editCost(blocks), a.size() + b.size() - 2 * lcsLength(views(a), views(b))) << "round " << round;
  }
}

TEST(LineDiff, HistogramProducesValidScripts) {
  std::mt19937 rng(99);
  for (int round = 0; round < 400; ++round) {
    auto a = randomLines(rng, rng() % 80, 1 + static_cast<int>(rng() % 40));
    auto b = a;
    for (int e = 0; e < 5 && !b.empty(); ++e) b[rng() % b.size()] = "new" + std::to_string(e) + "\n";
    expectValidScript(views(a), views(b), diffLines(views(a), views(b)));
  }
}

TEST(LineDiff, HistogramFallsBackWhenEveryLineIsFrequent) {
  std::vector<std::string> a(200, "same\n"), b(150, "same\n");
  a.push_back("tail\n");
  auto blocks = diffLines(views(a), views(b));
  expectValidScript(views(a), views(b), blocks);
  EXPECT_EQ(editCost(blocks), 51u);
}

TEST(LineDiff, HistogramKeepsAMovedBlockIntactAroundUniqueLines) {
  std::vector<std::string> a{"a\n", "b\n", "c\n", "d\n", "e\n"};
  std::vector<std::string> b{"a\n", "d\n", "e\n", "b\n", "c\n"};
  auto blocks = diffLines(views(a), views(b));
  expectValidScript(views(a), views(b), blocks);
  EXPECT_EQ(editCost(blocks), 4u);
}

TEST(LineDiff, CompactionSlidesAmbiguousInsertionDown) {
  // Inserting "}\n" + "\n" between two identical groups: git shows the
  // insertion at its lowest possible position.
  std::vector<std::string> a{"f\n", "}\n", "\n", "g\n"};
  std::vector<std::string> b{"f\n", "}\n", "\n", "}\n", "\n", "g\n"};
  for (auto algorithm : {DiffAlgorithm::kMyers, DiffAlgorithm::kHistogram}) {
    EXPECT_EQ(diffLines(views(a), views(b), algorithm), (std::vector<ChangeBlock>{{3, 0, 3, 2}}));
  }
}

TEST(LineDiff, LargeInputsWithManyChangesStayValid) {
  std::mt19937 rng(7);
  auto a = randomLines(rng, 20000, 5000);
  auto b = a;
  for (int e = 0; e < 3000; ++e) b[rng() % b.size()] = "x" + std::to_string(rng() % 100000) + "\n";
  for (auto algorithm : {DiffAlgorithm::kMyers, DiffAlgorithm::kHistogram}) {
    expectValidScript(views(a), views(b), diffLines(views(a), views(b), algorithm));
  }
}

TEST(TextLines, SplitKeepsEveryByte) {
  for (std::string text : {"", "a", "a\n", "a\r\nb", "\n\n", "x\ny\r\nz\n"}) {
    EXPECT_EQ(joinLines(splitLines(text)), text);
  }
  EXPECT_EQ(splitLines("a\nb").size(), 2u);
  EXPECT_EQ(splitLines("a\r\n")[0], "a\r\n");
}

TEST(TextLines, BinaryMeansNulInTheFirst8000Bytes) {
  EXPECT_TRUE(looksBinary(std::string("ab\0c", 4)));
  EXPECT_FALSE(looksBinary("plain text\n"));
  std::string late(9000, 'x');
  late[8500] = '\0';
  EXPECT_FALSE(looksBinary(late));
}

}  // namespace
}  // namespace codecrew::code
