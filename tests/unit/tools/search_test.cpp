#include "tools/search/repo_map.h"
#include "tools/search/symbol_index.h"
#include "tools/search/text_search.h"

#include "fixture_repo.h"

namespace codecrew::tools {
namespace {

std::vector<std::string> locations(const TextSearchResult& r) {
  std::vector<std::string> out;
  for (const auto& m : r.matches) out.push_back(m.path + ":" + std::to_string(m.line) + ":" + std::to_string(m.column));
  return out;
}

using TextSearchTest = FixtureRepoTest;

TEST_F(TextSearchTest, FindsLiteralSkippingIgnoredAndBinaryFiles) {
  auto r = searchText(*ws_, {.query = "TODO"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(locations(*r), (std::vector<std::string>{"scripts/report.py:13:7", "src/main.cpp:6:6"}));
  EXPECT_EQ(r->matches[1].text, "  // TODO: draw the shapes on a Canvas");
  EXPECT_FALSE(r->truncated);
}

TEST_F(TextSearchTest, RegexCaseAndGlob) {
  auto r = searchText(*ws_, {.query = "^class \\w+", .regex = true, .pathGlob = "*.h"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(locations(*r), (std::vector<std::string>{"src/geometry/shape.h:7:1", "src/geometry/shape.h:14:1",
                                                     "src/geometry/shape.h:20:1"}));
  auto insensitive = searchText(*ws_, {.query = "canvas", .caseSensitive = false, .pathGlob = "src/*"});
  EXPECT_EQ(insensitive->matches.size(), 2u);
  auto bad = searchText(*ws_, {.query = "(unclosed", .regex = true});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, core::ErrorCode::kInvalidArgument);
}

TEST_F(TextSearchTest, ContextLinesAndMaxResults) {
  auto r = searchText(*ws_, {.query = "summarize", .contextLines = 2});
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->matches.size(), 1u);
  EXPECT_EQ(r->matches[0].before, (std::vector<std::string>{"", ""}));
  EXPECT_EQ(r->matches[0].after,
            (std::vector<std::string>{"    # TODO: format nicely", "    return Report(areas).total()"}));
  auto limited = searchText(*ws_, {.query = "Vec2", .maxResults = 3});
  EXPECT_EQ(limited->matches.size(), 3u);
  EXPECT_TRUE(limited->truncated);
}

using SymbolIndexTest = FixtureRepoTest;

TEST_F(SymbolIndexTest, FindsDefinitionsWithCtags) {
  auto index = SymbolIndex::build(*ws_);
  ASSERT_TRUE(index.ok()) << index.error().message;
  auto vec = index->definitionsOf("Vec2");
  ASSERT_EQ(vec.size(), 1u);
  EXPECT_EQ(vec[0].path, "src/geometry/vector.h");
  EXPECT_EQ(vec[0].line, 5);
  EXPECT_EQ(vec[0].kind, "struct");
  EXPECT_EQ(vec[0].signature, "struct Vec2 {");
  auto summarize = index->definitionsOf("summarize");
  ASSERT_EQ(summarize.size(), 1u);
  EXPECT_EQ(summarize[0].path, "scripts/report.py");
  EXPECT_EQ(summarize[0].kind, "function");
  EXPECT_TRUE(index->definitionsOf("huge").empty());
  for (const auto& f : index->files()) EXPECT_FALSE(f.starts_with("generated/")) << f;
}

TEST_F(SymbolIndexTest, FindsReferencesByWholeWord) {
  auto refs = findReferences(*ws_, "Shape", 100);
  ASSERT_TRUE(refs.ok());
  for (const auto& m : refs->matches) {
    EXPECT_TRUE(m.path == "src/geometry/shape.h" || m.path == "src/render/canvas.cpp") << m.path;
  }
  EXPECT_EQ(refs->matches.size(), 7u) << "one match per line; Shape, not addShape or shapes_";
}

TEST(SymbolIndexParse, ReadsCtagsJsonLines) {
  auto index = SymbolIndex::fromCtagsJson(
      "{\"_type\": \"ptag\", \"name\": \"JSON_OUTPUT_VERSION\"}\n"
      "{\"_type\": \"tag\", \"name\": \"f\", \"path\": \"a.c\", \"pattern\": \"/^int f(void) {$/\", \"line\": 3, "
      "\"kind\": \"function\"}\nnot json\n");
  ASSERT_EQ(index.symbols().size(), 1u);
  EXPECT_EQ(index.symbols()[0].signature, "int f(void) {");
  EXPECT_EQ(index.symbols()[0].line, 3);
}

using RepoMapTest = FixtureRepoTest;

TEST_F(RepoMapTest, RanksMostReferencedFilesFirst) {
  auto index = SymbolIndex::build(*ws_);
  ASSERT_TRUE(index.ok());
  auto map = buildRepoMap(*ws_, *index, {.tokenBudget = 4000});
  ASSERT_TRUE(map.ok());
  ASSERT_GE(map->files.size(), 4u);
  EXPECT_EQ(map->files[0].path, "src/geometry/vector.h") << map->text;
  EXPECT_EQ(map->files[0].symbols[0].name, "Vec2");
  EXPECT_NE(map->text.find("src/geometry/shape.h:\n"), std::string::npos);
  EXPECT_NE(map->text.find("  5: struct Vec2 {\n"), std::string::npos) << map->text;
  EXPECT_FALSE(map->truncated);
  EXPECT_LE(map->tokens, 4000u);
}

TEST_F(RepoMapTest, FitsTokenBudgetWithCustomCounter) {
  auto index = SymbolIndex::build(*ws_);
  ASSERT_TRUE(index.ok());
  auto countLines = [](std::string_view text) {
    return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
  };
  auto map = buildRepoMap(*ws_, *index, {.tokenBudget = 5, .countTokens = countLines});
  ASSERT_TRUE(map.ok());
  EXPECT_TRUE(map->truncated);
  EXPECT_LE(map->tokens, 5u);
  EXPECT_EQ(static_cast<std::size_t>(std::count(map->text.begin(), map->text.end(), '\n')), map->tokens);
  EXPECT_EQ(map->files[0].path, "src/geometry/vector.h");
}

TEST_F(RepoMapTest, FocusFilesPersonaliseRanking) {
  auto index = SymbolIndex::build(*ws_);
  ASSERT_TRUE(index.ok());
  auto map = buildRepoMap(*ws_, *index, {.tokenBudget = 4000, .focusFiles = {"scripts/report.py"}});
  ASSERT_TRUE(map.ok());
  EXPECT_EQ(map->files[0].path, "scripts/report.py");
}

TEST(PageRankTest, RanksSumToOneAndFollowLinks) {
  // 0 -> 2, 1 -> 2, 2 -> 0
  auto rank = pageRank({{{2, 1.0}}, {{2, 1.0}}, {{0, 1.0}}}, {}, 100, 0.85);
  ASSERT_EQ(rank.size(), 3u);
  EXPECT_NEAR(rank[0] + rank[1] + rank[2], 1.0, 1e-9);
  EXPECT_GT(rank[2], rank[0]);
  EXPECT_GT(rank[0], rank[1]);
  EXPECT_TRUE(pageRank({}, {}, 10, 0.85).empty());
}

}  // namespace
}  // namespace codecrew::tools
