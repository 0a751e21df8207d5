// The round-trip property: for generated file pairs (seeded), the unified
// diff applied to the old file gives the new file exactly, through
// codecrew's applier for thousands of pairs, and through `git apply` and
// GNU `patch` for a sample of a few hundred (all in one multi-file patch).
#include "code/patch_apply.h"
#include "code/patch_parser.h"
#include "code/unified_diff.h"
#include "code_test_support.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <random>

namespace codecrew::code {
namespace {

constexpr int kPairs = 3000;
constexpr int kToolSample = 300;

struct FilePair {
  std::string before;
  std::string after;
};

// Random text edits: change, insert, delete, move a block, toggle the final
// newline, switch line endings, empty the file.
class PairGenerator {
 public:
  explicit PairGenerator(uint32_t seed) : rng_(seed) {}

  FilePair next() {
    size_t vocabulary = 1 + rng_() % 60;
    std::vector<std::string> lines;
    size_t n = rng_() % 15 == 0 ? 0 : rng_() % 120;
    for (size_t i = 0; i < n; ++i) lines.push_back(word(vocabulary));
    bool crlf = rng_() % 6 == 0;
    std::vector<std::string> edited = lines;
    size_t edits = rng_() % 10;
    for (size_t e = 0; e < edits; ++e) edit(edited, vocabulary);
    FilePair pair{render(lines, crlf, rng_() % 5 != 0), render(edited, crlf ^ (rng_() % 20 == 0), rng_() % 5 != 0)};
    if (rng_() % 25 == 0 && !edited.empty()) mixEndings(pair.after);
    return pair;
  }

 private:
  std::string word(size_t vocabulary) {
    size_t k = rng_() % vocabulary;
    if (k % 7 == 0) return "";
    return (k % 3 == 0 ? "    " : "") + std::string("token_") + std::to_string(k) + (k % 5 == 0 ? " {" : ";");
  }

  void edit(std::vector<std::string>& lines, size_t vocabulary) {
    size_t kind = rng_() % 5;
    size_t at = lines.empty() ? 0 : rng_() % lines.size();
    if (kind == 0 && !lines.empty()) {
      lines[at] = word(vocabulary);
    } else if (kind == 1) {
      size_t count = 1 + rng_() % 4;
      for (size_t i = 0; i < count; ++i) lines.insert(lines.begin() + static_cast<long>(at), word(vocabulary));
    } else if (kind == 2 && !lines.empty()) {
      size_t count = std::min<size_t>(1 + rng_() % 4, lines.size() - at);
      lines.erase(lines.begin() + static_cast<long>(at), lines.begin() + static_cast<long>(at + count));
    } else if (kind == 3 && lines.size() > 4) {
      size_t count = std::min<size_t>(1 + rng_() % 6, lines.size() - at);
      std::vector<std::string> block(lines.begin() + static_cast<long>(at),
                                     lines.begin() + static_cast<long>(at + count));
      lines.erase(lines.begin() + static_cast<long>(at), lines.begin() + static_cast<long>(at + count));
      size_t to = rng_() % (lines.size() + 1);
      lines.insert(lines.begin() + static_cast<long>(to), block.begin(), block.end());
    } else if (!lines.empty()) {
      lines[at] += "  ";  // trailing whitespace only
    }
  }

  void mixEndings(std::string& text) {
    size_t nl = text.find('\n');
    if (nl != std::string::npos && (nl == 0 || text[nl - 1] != '\r')) text.insert(nl, "\r");
  }

  static std::string render(const std::vector<std::string>& lines, bool crlf, bool finalNewline) {
    std::string out;
    for (size_t i = 0; i < lines.size(); ++i) {
      out += lines[i];
      if (i + 1 < lines.size() || finalNewline) out += crlf ? "\r\n" : "\n";
    }
    return out;
  }

  std::mt19937 rng_;
};

std::string applyOne(const std::string& patchText, const std::string& path, const std::string& before) {
  auto source = [&](const std::string& p) -> std::optional<std::string> {
    return p == path ? std::optional<std::string>(before) : std::nullopt;
  };
  ApplyOptions exact;
  exact.whitespace = WhitespaceMode::kExact;
  auto changes = applyPatchText(patchText, source, exact);
  if (!changes.ok()) return "<error: " + changes.error().message + ">";
  if (changes->empty()) return before;
  return changes->front().content.value_or("<deleted>");
}

TEST(DiffRoundTrip, ApplyingTheDiffGivesTheTargetForThousandsOfPairs) {
  PairGenerator gen(20240531);
  int failures = 0;
  for (int i = 0; i < kPairs && failures < 5; ++i) {
    FilePair pair = gen.next();
    DiffOptions options;
    options.algorithm = i % 2 ? DiffAlgorithm::kMyers : DiffAlgorithm::kHistogram;
    options.context = static_cast<size_t>(i % 4);
    std::string diff = unifiedDiff(DiffFile{"f.txt", pair.before}, DiffFile{"f.txt", pair.after}, options);
    EXPECT_EQ(diff.empty(), pair.before == pair.after);
    std::string result = applyOne(diff, "f.txt", pair.before);
    if (result != pair.after) {
      ++failures;
      ADD_FAILURE() << "pair " << i << " did not round-trip\n--- diff:\n" << diff;
    }
  }
}

TEST(DiffRoundTrip, GitApplyAndGnuPatchAcceptASample) {
  PairGenerator gen(777);
  testing::Tree before, after;
  std::string patch;
  for (int i = 0; i < kToolSample; ++i) {
    FilePair pair = gen.next();
    std::string path = "dir" + std::to_string(i % 7) + "/file_" + std::to_string(i) + ".txt";
    before[path] = pair.before;
    after[path] = pair.after;
    patch += unifiedDiff(DiffFile{path, pair.before}, DiffFile{path, pair.after});
  }
  codecrew::testing::TempDir tmp;
  testing::writeFile(tmp.path() / "all.patch", patch);
  auto git = tmp.path() / "git";
  testing::writeTree(git, before);
  auto check = testing::runIn(git, "git apply --check ../all.patch");
  ASSERT_EQ(check.status, 0) << check.output;
  auto applied = testing::runIn(git, "git apply ../all.patch");
  ASSERT_EQ(applied.status, 0) << applied.output;
  EXPECT_EQ(testing::readTree(git), after);

  auto gnu = tmp.path() / "gnu";
  testing::writeTree(gnu, before);
  auto dry = testing::runIn(gnu, "patch -p1 --batch --dry-run -s < ../all.patch");
  ASSERT_EQ(dry.status, 0) << dry.output;
  auto patched = testing::runIn(gnu, "patch -p1 --batch -s < ../all.patch");
  ASSERT_EQ(patched.status, 0) << patched.output;
  EXPECT_EQ(testing::readTree(gnu), after);
}

TEST(DiffRoundTrip, CreationsDeletionsAndRenamesInOnePatch) {
  testing::Tree before{{"keep.txt", "a\nb\n"}, {"gone.txt", "bye\n"}, {"old name.txt", "x\ny\nz\n"}};
  testing::Tree after{{"keep.txt", "a\nB\n"}, {"new.txt", "hello"}, {"new name.txt", "x\ny\nZ\n"}};
  std::string patch = unifiedDiff(DiffFile{"keep.txt", before["keep.txt"]}, DiffFile{"keep.txt", after["keep.txt"]}) +
                      unifiedDiff(DiffFile{"gone.txt", before["gone.txt"]}, std::nullopt) +
                      unifiedDiff(std::nullopt, DiffFile{"new.txt", after["new.txt"]}) +
                      unifiedDiff(DiffFile{"old name.txt", before["old name.txt"]},
                                  DiffFile{"new name.txt", after["new name.txt"]});
  auto source = [&](const std::string& p) -> std::optional<std::string> {
    auto it = before.find(p);
    return it == before.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  auto changes = applyPatchText(patch, source);
  ASSERT_TRUE(changes.ok()) << changes.error().message;
  testing::Tree result = before;
  for (const auto& c : *changes) {
    if (c.content) result[c.path] = *c.content;
    else result.erase(c.path);
  }
  EXPECT_EQ(result, after);

  codecrew::testing::TempDir tmp;
  testing::writeFile(tmp.path() / "p.patch", patch);
  for (const std::string tool : {"git apply ../p.patch", "patch -p1 --batch -s < ../p.patch"}) {
    auto work = tmp.path() / (tool.substr(0, 3) + "work");
    testing::writeTree(work, before);
    auto r = testing::runIn(work, tool);
    ASSERT_EQ(r.status, 0) << tool << ": " << r.output;
    EXPECT_EQ(testing::readTree(work), after) << tool;
  }
}

}  // namespace
}  // namespace codecrew::code
