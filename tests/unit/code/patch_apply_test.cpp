// The patch parser and applier: drift (moved hunks, whitespace), refusals
// with messages that name the hunk and the nearest lines, creation and
// deletion rules, CRLF, and the patch forms language models write.
#include "code/patch_apply.h"
#include "code/patch_parser.h"
#include "code/unified_diff.h"

#include <gtest/gtest.h>

namespace codecrew::code {
namespace {

std::string numbered(int from, int to) {
  std::string out;
  for (int i = from; i <= to; ++i) out += "line " + std::to_string(i) + "\n";
  return out;
}

core::Result<FileApplyResult> applyText(std::string_view patchText, std::optional<std::string_view> original,
                                        ApplyOptions options = {}) {
  auto patch = parsePatch(patchText);
  if (!patch) return std::move(patch).error();
  EXPECT_EQ(patch->files.size(), 1u);
  return applyFilePatch(patch->files.front(), original, options);
}

const std::string kBase = numbered(1, 30);
const std::string kTwoHunks =
    "--- a/f.txt\n+++ b/f.txt\n"
    "@@ -4,3 +4,3 @@\n line 4\n-line 5\n+line five\n line 6\n"
    "@@ -20,3 +20,4 @@\n line 20\n line 21\n+inserted\n line 22\n";

TEST(PatchParser, ReadsGitHeadersRenamesAndModes) {
  auto patch = parsePatch(
      "commit message text is ignored\n"
      "diff --git a/old.txt b/new.txt\nsimilarity index 90%\nrename from old.txt\nrename to new.txt\n"
      "--- a/old.txt\n+++ b/new.txt\n@@ -1 +1 @@\n-a\n+b\n"
      "diff --git a/gone b/gone\ndeleted file mode 100644\n--- a/gone\n+++ /dev/null\n@@ -1 +0,0 @@\n-x\n"
      "diff --git a/e b/e\nnew file mode 100755\n");
  ASSERT_TRUE(patch.ok()) << patch.error().message;
  ASSERT_EQ(patch->files.size(), 3u);
  EXPECT_TRUE(patch->files[0].isRename);
  EXPECT_EQ(patch->files[0].oldPath, "old.txt");
  EXPECT_EQ(patch->files[0].newPath, "new.txt");
  EXPECT_TRUE(patch->files[1].isDeleted);
  EXPECT_EQ(patch->files[1].path(), "gone");
  EXPECT_TRUE(patch->files[2].isNew);
  EXPECT_EQ(patch->files[2].newMode, "100755");
  EXPECT_TRUE(patch->files[2].hunks.empty());
}

TEST(PatchParser, NoNewlineMarkersAndQuotedPaths) {
  auto patch = parsePatch(
      "diff --git \"a/tab\\there\" \"b/tab\\there\"\n--- \"a/tab\\there\"\n+++ \"b/tab\\there\"\n"
      "@@ -1 +1 @@\n-old\n\\ No newline at end of file\n+new\n\\ No newline at end of file\n");
  ASSERT_TRUE(patch.ok()) << patch.error().message;
  EXPECT_EQ(patch->files[0].path(), "tab\there");
  ASSERT_EQ(patch->files[0].hunks[0].lines.size(), 2u);
  EXPECT_EQ(patch->files[0].hunks[0].lines[0].text, "old");
  EXPECT_EQ(patch->files[0].hunks[0].lines[1].text, "new");
}

TEST(PatchParser, RejectsBrokenHunksNamingTheLine) {
  auto shortBody = parsePatch("--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n a\n-b\n+c\n");
  ASSERT_FALSE(shortBody.ok());
  EXPECT_EQ(shortBody.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(shortBody.error().message.find("@@ -1,3 +1,3 @@"), std::string::npos);
  EXPECT_NE(shortBody.error().message.find("ends early"), std::string::npos);

  auto badHeader = parsePatch("--- a/f\n+++ b/f\n@@ -x +1 @@\n");
  ASSERT_FALSE(badHeader.ok());
  EXPECT_NE(badHeader.error().message.find("patch line 3"), std::string::npos);

  auto orphan = parsePatch("@@ -1 +1 @@\n-a\n+b\n");
  ASSERT_FALSE(orphan.ok());
  EXPECT_NE(orphan.error().message.find("before any file header"), std::string::npos);
}

TEST(PatchApply, AppliesAtTheStatedLines) {
  auto r = applyText(kTwoHunks, kBase);
  ASSERT_TRUE(r.ok()) << r.error().message;
  std::string expected = kBase;
  expected.replace(expected.find("line 5\n"), 7, "line five\n");
  expected.insert(expected.find("line 22\n"), "inserted\n");
  EXPECT_EQ(*r->content, expected);
  ASSERT_EQ(r->hunks.size(), 2u);
  EXPECT_EQ(r->hunks[0].offset, 0);
  EXPECT_EQ(r->hunks[1].line, 20u);
}

TEST(PatchApply, FindsHunksThatMovedLikePatchOffsets) {
  std::string shifted = "new a\nnew b\nnew c\n" + kBase;  // everything 3 lines lower
  auto r = applyText(kTwoHunks, shifted);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->hunks[0].offset, 3);
  EXPECT_EQ(r->hunks[1].offset, 3);
  EXPECT_NE(r->content->find("line 4\nline five\nline 6\n"), std::string::npos);

  std::string earlier = kBase.substr(kBase.find("line 3\n"));  // two lines higher
  auto up = applyText(kTwoHunks, earlier);
  ASSERT_TRUE(up.ok()) << up.error().message;
  EXPECT_EQ(up->hunks[0].offset, -2);
}

TEST(PatchApply, MaxOffsetBoundsTheSearch) {
  std::string shifted = numbered(100, 140) + kBase;
  ApplyOptions options;
  options.maxOffset = 10;
  auto r = applyText(kTwoHunks, shifted, options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::kFailedPrecondition);
}

TEST(PatchApply, ToleratesWhitespaceInContextButNotInRemovedLines) {
  std::string spaced = kBase;
  spaced.replace(spaced.find("line 4\n"), 7, "line   4  \n");
  auto r = applyText(kTwoHunks, spaced);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->hunks[0].whitespaceFuzz);
  EXPECT_NE(r->content->find("line   4  \nline five\n"), std::string::npos) << "the file's own context is kept";

  ApplyOptions exact;
  exact.whitespace = WhitespaceMode::kExact;
  EXPECT_FALSE(applyText(kTwoHunks, spaced, exact).ok());

  std::string removedChanged = kBase;
  removedChanged.replace(removedChanged.find("line 5\n"), 7, "line\t5\n");
  EXPECT_FALSE(applyText(kTwoHunks, removedChanged).ok());
  ApplyOptions all;
  all.whitespace = WhitespaceMode::kIgnoreAll;
  EXPECT_TRUE(applyText(kTwoHunks, removedChanged, all).ok());
}

TEST(PatchApply, FailureNamesFileHunkReasonAndNearestLines) {
  std::string changed = kBase;
  changed.replace(changed.find("line 21\n"), 8, "line twenty-one\n");
  auto r = applyText(kTwoHunks, changed);
  ASSERT_FALSE(r.ok());
  const auto& e = r.error();
  EXPECT_EQ(e.code, core::ErrorCode::kFailedPrecondition);
  EXPECT_NE(e.message.find("'f.txt'"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("hunk #2 (@@ -20,3 +20,4 @@)"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("line 21: expected 'line 21' but found 'line twenty-one'"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("nearest match at line 20"), std::string::npos) << e.message;
  const auto& d = e.details.as_object();
  EXPECT_EQ(d.at("hunk").as_uint64(), 2u);
  EXPECT_EQ(d.at("file").as_string(), "f.txt");
  const auto& nearest = d.at("nearest").as_array();
  ASSERT_FALSE(nearest.empty());
  EXPECT_EQ(nearest[0].at("line").as_uint64(), 20u);
  double score = nearest[0].at("score").as_double();
  EXPECT_GT(score, 0.6);
  EXPECT_LT(score, 1.0);
  EXPECT_EQ(nearest[0].at("lines").as_array()[1].as_string(), "line twenty-one");
}

TEST(PatchApply, NeverForcesAHunkWhoseContextIsMissing) {
  auto r = applyText("--- a/f\n+++ b/f\n@@ -1,3 +1,3 @@\n alpha\n-beta\n+BETA\n gamma\n", "one\ntwo\nthree\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("nothing similar"), std::string::npos) << r.error().message;
}

TEST(PatchApply, CreationAndDeletionRules) {
  std::string create = "--- /dev/null\n+++ b/n.txt\n@@ -0,0 +1,2 @@\n+a\n+b\n";
  auto made = applyText(create, std::nullopt);
  ASSERT_TRUE(made.ok());
  EXPECT_EQ(*made->content, "a\nb\n");
  auto exists = applyText(create, "x\n");
  ASSERT_FALSE(exists.ok());
  EXPECT_NE(exists.error().message.find("already exists"), std::string::npos);

  std::string remove = "--- a/n.txt\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-a\n-b\n";
  auto removed = applyText(remove, "a\nb\n");
  ASSERT_TRUE(removed.ok());
  EXPECT_FALSE(removed->content.has_value());
  EXPECT_FALSE(applyText(remove, "a\nb\nc\n").ok()) << "a deletion must account for every line";
  auto missing = applyText(kTwoHunks, std::nullopt);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("does not exist"), std::string::npos);
}

TEST(PatchApply, KeepsCrlfAndMissingFinalNewline) {
  std::string before = "a\r\nb\r\nc";
  std::string after = "a\r\nB\r\nc";
  std::string diff = unifiedDiff(DiffFile{"w.txt", before}, DiffFile{"w.txt", after});
  auto r = applyText(diff, before);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r->content, after);
}

TEST(PatchApply, UndoesCrlfAddedToTheWholePatchInTransit) {
  std::string diff = unifiedDiff(DiffFile{"f", "a\nb\nc\n"}, DiffFile{"f", "a\nX\nc\n"});
  std::string crlfDiff;
  for (char c : diff) crlfDiff += c == '\n' ? std::string("\r\n") : std::string(1, c);
  auto r = applyText(crlfDiff, "a\nb\nc\n", ApplyOptions{WhitespaceMode::kExact, std::nullopt});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r->content, "a\nX\nc\n");
}

TEST(PatchApply, HunksWithoutLineNumbersAreFoundByContent) {
  std::string llmStyle =
      "--- f.txt\n+++ f.txt\n@@ ... @@\n line 11\n-line 12\n+line twelve\n line 13\n\n"
      "@@ ... @@\n line 25\n+after 25\n";
  auto r = applyText(llmStyle, kBase);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_NE(r->content->find("line 11\nline twelve\nline 13\n"), std::string::npos);
  EXPECT_NE(r->content->find("line 25\nafter 25\nline 26\n"), std::string::npos);
}

TEST(PatchApply, UncountedHunkKeepsRemovedLinesThatLookLikeHeaders) {
  auto r = applyText("--- q.sql\n+++ q.sql\n@@ @@\n select 1;\n--- a comment\n+-- the comment\n",
                     "select 1;\n-- a comment\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r->content, "select 1;\n-- the comment\n");
}

TEST(PatchApply, MultiFilePatchIsAllOrNothing) {
  std::string patch =
      "--- a/one\n+++ b/one\n@@ -1 +1 @@\n-1\n+one\n"
      "--- a/two\n+++ b/two\n@@ -1 +1 @@\n-2\n+two\n";
  std::map<std::string, std::string> files{{"one", "1\n"}, {"two", "2\n"}};
  auto source = [&](const std::string& p) -> std::optional<std::string> {
    auto it = files.find(p);
    return it == files.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  auto ok = applyPatchText(patch, source);
  ASSERT_TRUE(ok.ok());
  ASSERT_EQ(ok->size(), 2u);
  EXPECT_EQ(*(*ok)[1].content, "two\n");

  files["two"] = "zwei\n";
  auto bad = applyPatchText(patch, source);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("'two'"), std::string::npos);
}

TEST(PatchApply, BinaryPatchesAreRefusedClearly) {
  auto r = applyPatchText("diff --git a/x b/x\nBinary files a/x and b/x differ\n",
                          [](const std::string&) { return std::optional<std::string>(std::in_place, "\0", 1); });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find("binary"), std::string::npos);
}

}  // namespace
}  // namespace codecrew::code
