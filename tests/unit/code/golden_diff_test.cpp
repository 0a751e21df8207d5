// Golden-file tests: for each case under tests/data/diff/, the diff of the
// before/ and after/ trees must equal expected.diff (what git prints), and
// expected.diff applied to before/ must give after/ byte for byte, through
// codecrew's applier, `git apply` and GNU `patch -p1`.
#include "code/patch_apply.h"
#include "code/unified_diff.h"
#include "code_test_support.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <vector>

namespace codecrew::code {
namespace {

using testing::Tree;

std::vector<std::string> caseNames() {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(testing::goldenDir())) {
    if (e.is_directory()) names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// The diff of two trees: shared paths are modified, a lone path leaving and a
// lone path arriving make a rename, other paths are created or deleted.
std::string diffTrees(const Tree& before, const Tree& after) {
  std::vector<std::string> gone, added;
  for (const auto& [p, _] : before)
    if (!after.count(p)) gone.push_back(p);
  for (const auto& [p, _] : after)
    if (!before.count(p)) added.push_back(p);
  std::map<std::string, std::string> parts;  // sorted by path, as git orders them
  auto side = [](const Tree& t, const std::string& p) { return DiffFile{p, t.at(p)}; };
  if (gone.size() == 1 && added.size() == 1) {
    parts[added[0]] = unifiedDiff(side(before, gone[0]), side(after, added[0]));
  } else {
    for (const auto& p : gone) parts[p] = unifiedDiff(side(before, p), std::nullopt);
    for (const auto& p : added) parts[p] = unifiedDiff(std::nullopt, side(after, p));
  }
  for (const auto& [p, content] : after) {
    if (before.count(p)) parts[p] = unifiedDiff(side(before, p), side(after, p));
  }
  std::string out;
  for (const auto& [_, text] : parts) out += text;
  return out;
}

bool isBinaryCase(const std::string& expected) { return expected.find("\nBinary files ") != std::string::npos; }

class GoldenDiff : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = testing::goldenDir() / GetParam();
    before_ = testing::readTree(dir_ / "before");
    after_ = testing::readTree(dir_ / "after");
    expected_ = testing::readFile(dir_ / "expected.diff");
  }
  std::filesystem::path dir_;
  Tree before_, after_;
  std::string expected_;
};

TEST_P(GoldenDiff, MatchesGitOutput) { EXPECT_EQ(diffTrees(before_, after_), expected_); }

TEST_P(GoldenDiff, AppliesWithCodecrewApplier) {
  auto source = [&](const std::string& p) -> std::optional<std::string> {
    auto it = before_.find(p);
    return it == before_.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  ApplyOptions exact;
  exact.whitespace = WhitespaceMode::kExact;
  auto changes = applyPatchText(expected_, source, exact);
  if (isBinaryCase(expected_)) {
    ASSERT_FALSE(changes.ok());
    EXPECT_EQ(changes.error().code, core::ErrorCode::kInvalidArgument);
    return;
  }
  ASSERT_TRUE(changes.ok()) << changes.error().message;
  Tree result = before_;
  for (const auto& c : *changes) {
    if (c.content) result[c.path] = *c.content;
    else result.erase(c.path);
  }
  EXPECT_EQ(result, after_);
}

TEST_P(GoldenDiff, AppliesWithGitApplyAndGnuPatch) {
  if (isBinaryCase(expected_)) GTEST_SKIP() << "binary diffs carry no content to apply";
  codecrew::testing::TempDir tmp;
  testing::writeFile(tmp.path() / "change.patch", expected_);
  for (const std::string tool : {"git", "patch"}) {
    auto work = tmp.path() / tool;
    testing::writeTree(work, before_);
    std::string command = tool == "git" ? "git apply ../change.patch" : "patch -p1 --batch -s < ../change.patch";
    auto r = testing::runIn(work, command);
    ASSERT_EQ(r.status, 0) << tool << ": " << r.output;
    EXPECT_EQ(testing::readTree(work), after_) << tool;
  }
}

INSTANTIATE_TEST_SUITE_P(Cases, GoldenDiff, ::testing::ValuesIn(caseNames()),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace codecrew::code
