#include "tools/semantic/chunker.h"
#include "tools/semantic/bm25_index.h"
#include "tools/semantic/identifier_tokens.h"

#include <gtest/gtest.h>

namespace codecrew::tools {
namespace {

Symbol sym(std::string name, int line, std::string kind, std::string path = "src/a.cpp") {
  return Symbol{std::move(name), std::move(path), line, std::move(kind), "", "C++", ""};
}

TEST(Chunker, OneChunkPerDefinitionWithItsLeadingComment) {
  std::string code =
      "#include <x>\n"             // 1
      "\n"                         // 2
      "// Adds two numbers.\n"     // 3
      "int add(int a, int b) {\n"  // 4
      "  return a + b;\n"          // 5
      "}\n"                        // 6
      "struct Point {\n"           // 7
      "  int x;\n"                 // 8
      "};\n";                      // 9
  auto chunks = chunkFile("src/a.cpp", code,
                          {sym("add", 4, "function"), sym("Point", 7, "struct"), sym("x", 8, "member")});
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[0].kind, "preamble");
  EXPECT_EQ(chunks[0].startLine, 1);
  EXPECT_EQ(chunks[0].endLine, 2);
  EXPECT_EQ(chunks[1].symbol, "add");
  EXPECT_EQ(chunks[1].startLine, 3);  // the comment belongs to the function
  EXPECT_EQ(chunks[1].endLine, 6);
  EXPECT_EQ(chunks[1].text, "// Adds two numbers.\nint add(int a, int b) {\n  return a + b;\n}\n");
  EXPECT_EQ(chunks[2].symbol, "Point");  // the member is not a chunk of its own
  EXPECT_EQ(chunks[2].endLine, 9);
  EXPECT_EQ(chunks[2].language, "C++");
  EXPECT_EQ(chunks[1].id, chunkIdOf("src/a.cpp", 3, chunks[1].text));
  EXPECT_EQ(chunks[1].id.size(), 16u);
}

TEST(Chunker, SymbolsOfOtherFilesAreIgnoredAndFilesWithoutSymbolsAreWindowed) {
  std::string text;
  for (int i = 0; i < 100; ++i) text += "line number " + std::to_string(i) + " of a plain file\n";
  auto chunks = chunkFile("notes.txt", text, {sym("add", 4, "function")}, {.maxTokens = 100});
  ASSERT_GT(chunks.size(), 3u);
  int next = 1;
  for (const auto& c : chunks) {
    EXPECT_EQ(c.startLine, next);  // contiguous, nothing lost
    EXPECT_LE(estimateTokens(c.text), 100u);
    EXPECT_EQ(c.kind, "window");
    next = c.endLine + 1;
  }
  EXPECT_EQ(next, 101);
}

TEST(Chunker, LongDefinitionsAreCutWithinTheBoundAndKeepTheirSymbol) {
  std::string code = "void big() {\n";
  for (int i = 0; i < 200; ++i) code += "  call_something_long(" + std::to_string(i) + ");\n";
  code += "}\n";
  auto chunks = chunkFile("big.cpp", code, {sym("big", 1, "function", "big.cpp")}, {.maxTokens = 128});
  ASSERT_GT(chunks.size(), 1u);
  for (const auto& c : chunks) {
    EXPECT_EQ(c.symbol, "big");
    EXPECT_LE(estimateTokens(c.text), 128u);
  }
}

TEST(Chunker, MarkdownByHeadingOutsideFences) {
  std::string md =
      "Intro text.\n"
      "# Install\n"
      "Run the script.\n"
      "```sh\n"
      "# not a heading\n"
      "```\n"
      "## Configure\n"
      "Edit the file.\n";
  auto chunks = chunkFile("docs/guide.md", md, {});
  ASSERT_EQ(chunks.size(), 3u);
  EXPECT_EQ(chunks[0].kind, "preamble");
  EXPECT_EQ(chunks[1].symbol, "Install");
  EXPECT_EQ(chunks[1].kind, "heading");
  EXPECT_EQ(chunks[1].endLine, 6);
  EXPECT_EQ(chunks[2].symbol, "Configure");
  EXPECT_EQ(chunks[2].language, "Markdown");
}

TEST(Chunker, LanguageByExtension) {
  EXPECT_EQ(languageOfPath("a/b.py"), "Python");
  EXPECT_EQ(languageOfPath("x.TSX"), "TypeScript");
  EXPECT_EQ(languageOfPath("CMakeLists.txt"), "CMake");
  EXPECT_EQ(languageOfPath("LICENSE"), "");
}

TEST(IdentifierTokens, SplitsCamelSnakeAndDigits) {
  EXPECT_EQ(identifierTokens("parseHTTPRequest2 max_retry_count"),
            (std::vector<std::string>{"parsehttprequest2", "parse", "http", "request", "max_retry_count", "max",
                                      "retry", "count"}));
  EXPECT_EQ(identifierTokens("How is the Cache evicted?"), (std::vector<std::string>{"cache", "evicted"}));
}

TEST(Bm25, RanksRareTermsAndRespectsTheFilter) {
  Bm25Index index({{"cache", "evict", "lru"}, {"http", "server", "listen"}, {"cache", "http", "header", "header"}});
  auto hits = index.search({"evict", "cache"}, 3);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].doc, 0u);
  EXPECT_EQ(hits[1].doc, 2u);
  auto filtered = index.search({"cache"}, 3, [](std::size_t d) { return d != 0; });
  ASSERT_EQ(filtered.size(), 1u);
  EXPECT_EQ(filtered[0].doc, 2u);
  EXPECT_TRUE(index.search({"nothing"}, 3).empty());
}

}  // namespace
}  // namespace codecrew::tools
