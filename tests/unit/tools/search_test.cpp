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

TEST_F(TextSearchTest, ThreadsFindWhatOneThreadFinds) {
  // Enough files for every thread to take many, with matches spread unevenly
  // (none, one, many per file), binary and ignored files among them.
  for (int i = 0; i < 300; ++i) {
    std::string text;
    for (int line = 0; line < i % 7; ++line)
      text += "line " + std::to_string(line) + " Vec2 v" + std::to_string(i) + "\n";
    text += i % 3 == 0 ? "struct Vec2 {};\n" : "nothing here\n";
    dir_.write("many/d" + std::to_string(i % 5) + "/f" + std::to_string(i) + ".cpp", text);
  }
  dir_.write("many/d1/blob.bin", std::string("Vec2\0binary", 11));
  const std::vector<TextSearchOptions> queries = {
      {.query = "Vec2", .maxResults = 100000},
      {.query = "Vec2", .maxResults = 37},
      {.query = "Vec2", .maxResults = 0},
      {.query = "vec2", .caseSensitive = false, .maxResults = 500},
      {.query = "Vec2", .wholeWord = true, .pathGlob = "many/*", .contextLines = 1},
      {.query = "^struct \\w+", .regex = true, .maxResults = 50},
      {.query = "v1[0-9]+$", .regex = true, .directory = "many"},
      {.query = "absent everywhere"}};
  for (auto options : queries) {
    options.threads = 1;
    auto one = searchText(*ws_, options);
    ASSERT_TRUE(one.ok());
    for (int threads : {2, 4, 8}) {
      options.threads = threads;
      auto many = searchText(*ws_, options);
      ASSERT_TRUE(many.ok());
      EXPECT_EQ(locations(*many), locations(*one)) << options.query << " with " << threads << " threads";
      EXPECT_EQ(many->truncated, one->truncated) << options.query;
      EXPECT_EQ(many->filesSearched, one->filesSearched) << options.query;
      for (std::size_t i = 0; i < std::min(one->matches.size(), many->matches.size()); ++i) {
        EXPECT_EQ(many->matches[i].text, one->matches[i].text);
        EXPECT_EQ(many->matches[i].before, one->matches[i].before);
        EXPECT_EQ(many->matches[i].after, one->matches[i].after);
      }
    }
  }
  auto cut = searchText(*ws_, {.query = "Vec2", .maxResults = 37, .threads = 4});
  EXPECT_EQ(cut->matches.size(), 37u);
  EXPECT_TRUE(cut->truncated);
}

TEST_F(TextSearchTest, RegexFindsWhatItsLiteralFinds) {
  // Regular expressions skip files that lack the strings every match needs;
  // the files they match are still all found, whatever the letters' case.
  dir_.write("case/a.txt", "Vec2 v10 here\nvec2 v11 lower\nVEC2 v12 upper\n");
  const std::string upperU = "\xc3\x9c", lowerU = "\xc3\xbc";  // U and u with diaeresis
  dir_.write("case/b.txt", upperU + "ber Vec2 v13\n" + lowerU + "ber Vec2 v14\n");
  auto literal = searchText(*ws_, {.query = "Vec2 v1", .directory = "case"});
  auto regex = searchText(*ws_, {.query = "Vec2 v1[0-9]", .regex = true, .directory = "case"});
  ASSERT_TRUE(literal.ok() && regex.ok());
  EXPECT_EQ(locations(*regex), locations(*literal));
  EXPECT_EQ(locations(*regex), (std::vector<std::string>{"case/a.txt:1:1", "case/b.txt:1:7", "case/b.txt:2:7"}));
  auto count = [&](const std::string& pattern) {
    auto r = searchText(*ws_, {.query = pattern, .regex = true, .directory = "case"});
    return r.ok() ? r->matches.size() : 99u;
  };
  EXPECT_EQ(count("[Vv]ec2 v1[0-9]"), 4u);
  EXPECT_EQ(count("ec2 v1[0-9]"), 4u);
  EXPECT_EQ(count("\\x56ec2 v1[0-9]"), 3u);
  EXPECT_EQ(count("\\126ec2 v1[0-9]"), 3u);
  EXPECT_EQ(count("[A-Z]EC2 v1[0-9]"), 1u);
  auto folded = searchText(*ws_, {.query = "(?i)vec2 V1[0-9]", .regex = true, .directory = "case"});
  EXPECT_EQ(folded->matches.size(), 5u);
  auto accented = searchText(*ws_, {.query = upperU + "ber V", .regex = true, .directory = "case"});
  EXPECT_EQ(locations(*accented), (std::vector<std::string>{"case/b.txt:1:1"}));
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
