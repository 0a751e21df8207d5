// Search/replace edit blocks: parsing (paths, fences, markers), the match
// tiers, ambiguity, and failure messages that point at the closest region.
#include "code/search_replace.h"

#include <gtest/gtest.h>

namespace codecrew::code {
namespace {

const std::string kFile =
    "int main() {\n"
    "    int x = 1;\n"
    "    if (x) {\n"
    "        return x;\n"
    "    }\n"
    "    return 0;\n"
    "}\n";

SearchReplaceBlock block(std::string search, std::string replace) {
  return {"main.cpp", std::move(search), std::move(replace), 1, 2};
}

TEST(SearchReplaceParse, ReadsPathsFencesAndSeveralBlocks) {
  auto blocks = parseSearchReplaceBlocks(
      "Here is the change:\n\n"
      "src/main.cpp\n```cpp\n<<<<<<< SEARCH\n    int x = 1;\n=======\n    int x = 2;\n>>>>>>> REPLACE\n```\n\n"
      "```cpp\n<<<<<<< SEARCH\n    return 0;\n=======\n    return 1;\n>>>>>>> REPLACE\n```\n"
      "`docs/notes.md`\n<<<<<<< SEARCH\n=======\nnew notes\n>>>>>>> REPLACE\n");
  ASSERT_TRUE(blocks.ok()) << blocks.error().message;
  ASSERT_EQ(blocks->size(), 3u);
  EXPECT_EQ((*blocks)[0].path, "src/main.cpp");
  EXPECT_EQ((*blocks)[0].search, "    int x = 1;\n");
  EXPECT_EQ((*blocks)[0].replace, "    int x = 2;\n");
  EXPECT_EQ((*blocks)[1].path, "src/main.cpp") << "a block without a path reuses the previous one";
  EXPECT_EQ((*blocks)[2].path, "docs/notes.md");
  EXPECT_TRUE((*blocks)[2].search.empty());
  EXPECT_EQ((*blocks)[2].index, 3u);
}

TEST(SearchReplaceParse, RejectsUnclosedBlocksAndMissingPaths) {
  auto unclosed = parseSearchReplaceBlocks("f.txt\n<<<<<<< SEARCH\na\n=======\nb\n");
  ASSERT_FALSE(unclosed.ok());
  EXPECT_NE(unclosed.error().message.find("REPLACE"), std::string::npos);
  auto noPath = parseSearchReplaceBlocks("<<<<<<< SEARCH\na\n=======\nb\n>>>>>>> REPLACE\n");
  ASSERT_FALSE(noPath.ok());
  EXPECT_NE(noPath.error().message.find("no file path"), std::string::npos);
}

TEST(SearchReplaceApply, ExactMatch) {
  auto r = applySearchReplace(kFile, block("    return 0;\n", "    return 42;\n"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->match, SearchMatch::kExact);
  EXPECT_EQ(r->line, 6u);
  EXPECT_NE(r->content.find("    return 42;\n}\n"), std::string::npos);
}

TEST(SearchReplaceApply, TrailingWhitespaceAndLineEndingsAreTolerated) {
  std::string crlf;
  for (char c : kFile) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  auto r = applySearchReplace(crlf, block("    int x = 1;   \n", "    int x = 5;\n"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->match, SearchMatch::kIgnoringLineEndsAndTrailingSpace);
  EXPECT_NE(r->content.find("    int x = 5;\r\n"), std::string::npos) << "the file keeps CRLF";
}

TEST(SearchReplaceApply, ReindentsWhenOnlyIndentationDiffers) {
  auto r = applySearchReplace(kFile, block("if (x) {\n    return x;\n}\n", "if (x > 0) {\n    return -x;\n}\n"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->match, SearchMatch::kReindented);
  EXPECT_NE(r->content.find("    if (x > 0) {\n        return -x;\n    }\n"), std::string::npos) << r->content;
}

TEST(SearchReplaceApply, IgnoresInnerWhitespaceAsALastResort) {
  auto r = applySearchReplace(kFile, block("    int  x=1 ;\n", "    int x = 3;\n"));
  ASSERT_FALSE(r.ok()) << "'x=1' and 'x = 1' differ in more than whitespace runs";
  auto spaced = applySearchReplace(kFile, block("    int   x  =  1;\n", "    int x = 3;\n"));
  ASSERT_TRUE(spaced.ok()) << spaced.error().message;
  EXPECT_EQ(spaced->match, SearchMatch::kIgnoringWhitespace);
}

TEST(SearchReplaceApply, AmbiguousMatchIsAnError) {
  std::string twice = kFile + kFile;
  auto r = applySearchReplace(twice, block("    return 0;\n", "    return 1;\n"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_NE(r.error().message.find("matches 2 places (lines 6, 13)"), std::string::npos) << r.error().message;
}

TEST(SearchReplaceApply, NoMatchListsTheClosestRegion) {
  auto r = applySearchReplace(kFile, block("    if (y) {\n        return x;\n", "    if (z) {\n"));
  ASSERT_FALSE(r.ok());
  const auto& e = r.error();
  EXPECT_EQ(e.code, core::ErrorCode::kFailedPrecondition);
  EXPECT_NE(e.message.find("search block #1 for 'main.cpp'"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("nearest region at line 3"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("expected '    if (y) {' but found '    if (x) {'"), std::string::npos) << e.message;
  EXPECT_EQ(e.details.at("nearest").as_array()[0].at("line").as_uint64(), 3u);
}

TEST(SearchReplaceApply, EmptySearchCreatesOrAppends) {
  auto created = applySearchReplace(std::nullopt, block("", "hello\n"));
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->content, "hello\n");
  auto appended = applySearchReplace(std::string_view("a"), block("", "b\n"));
  ASSERT_TRUE(appended.ok());
  EXPECT_EQ(appended->content, "a\nb\n");
  auto missing = applySearchReplace(std::nullopt, block("x\n", "y\n"));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("does not exist"), std::string::npos);
}

TEST(SearchReplaceApply, KeepsAMissingFinalNewline) {
  auto r = applySearchReplace(std::string_view("a\nb"), block("b\n", "c\n"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->content, "a\nc");
}

TEST(SearchReplaceApply, BlocksApplyInOrderAcrossFiles) {
  auto blocks = parseSearchReplaceBlocks(
      "a.txt\n<<<<<<< SEARCH\none\n=======\nONE\n>>>>>>> REPLACE\n"
      "a.txt\n<<<<<<< SEARCH\nONE\n=======\n1\n>>>>>>> REPLACE\n"
      "b.txt\n<<<<<<< SEARCH\n=======\nnew file\n>>>>>>> REPLACE\n");
  ASSERT_TRUE(blocks.ok());
  auto changes = applySearchReplaceBlocks(*blocks, [](const std::string& p) -> std::optional<std::string> {
    if (p == "a.txt") return std::string("one\ntwo\n");
    return std::nullopt;
  });
  ASSERT_TRUE(changes.ok()) << changes.error().message;
  ASSERT_EQ(changes->size(), 2u);
  EXPECT_EQ(*(*changes)[0].content, "1\ntwo\n");
  EXPECT_EQ(*(*changes)[1].content, "new file\n");
}

}  // namespace
}  // namespace codecrew::code
