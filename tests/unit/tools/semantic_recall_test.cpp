// Recall@5 of the three ways an agent can be pointed at code, over the
// fixture repository tests/data/semantic/repo and its labelled queries
// (tests/data/semantic/queries.tsv): the semantic index with the fake
// upstream's embeddings, BM25 over the same chunks, and the repository map
// alone (the top five files of its PageRank, which does not look at the
// query). The fake embeddings are hashes of the text: they measure that the
// vector path works end to end (a query equal to a chunk finds it), not
// meaning, so their recall is what chance gives. The table is printed
// (docs/bench/semantic.md quotes it).
#include "tools/search/repo_map.h"
#include "tools/semantic/semantic_index.h"
#include "tools/workspace/local_workspace.h"

#include "fake_embedder.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace codecrew::tools {
namespace {

namespace fs = std::filesystem;

struct LabelledQuery {
  std::string text;
  std::set<std::string> relevant;
};

std::vector<LabelledQuery> readQueries(const fs::path& file) {
  std::vector<LabelledQuery> out;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto tab = line.find('\t');
    LabelledQuery q{line.substr(0, tab), {}};
    std::istringstream paths(line.substr(tab + 1));
    std::string p;
    while (std::getline(paths, p, ',')) q.relevant.insert(p);
    out.push_back(std::move(q));
  }
  return out;
}

// The share of the relevant files among the first five distinct files ranked.
double recallAt5(const std::vector<std::string>& rankedFiles, const std::set<std::string>& relevant) {
  std::vector<std::string> top;
  for (const auto& f : rankedFiles) {
    if (std::find(top.begin(), top.end(), f) == top.end()) top.push_back(f);
    if (top.size() == 5) break;
  }
  std::size_t found = 0;
  for (const auto& r : relevant) found += std::find(top.begin(), top.end(), r) != top.end();
  return static_cast<double>(found) / static_cast<double>(relevant.size());
}

std::vector<std::string> filesOf(const SemanticResult& r) {
  std::vector<std::string> out;
  for (const auto& h : r.hits) out.push_back(h.chunk.path);
  return out;
}

TEST(SemanticRecall, Bm25AndSemanticAgainstTheRepositoryMapOnTheLabelledQueries) {
  const fs::path data = fs::path(__FILE__).parent_path() / "../../data/semantic";
  testing::TempDir repo;
  fs::copy(data / "repo", repo.path(), fs::copy_options::recursive);
  auto ws = LocalWorkspace::open(repo.str());
  ASSERT_TRUE(ws.ok());
  const auto queries = readQueries(data / "queries.tsv");
  ASSERT_GE(queries.size(), 20u);

  testing::TempDir index_data;
  FakeEmbedder embedder(64);
  SemanticIndex semantic(index_data.path() / "repo", embedder.model());
  auto built = semantic.update(**ws, &embedder);
  ASSERT_TRUE(built.ok());
  ASSERT_TRUE(built->complete);
  SemanticIndex lexical(index_data.path() / "repo", "");
  ASSERT_TRUE(lexical.update(**ws, nullptr).ok());

  auto symbols = SymbolIndex::build(**ws);
  ASSERT_TRUE(symbols.ok());
  auto map = buildRepoMap(**ws, *symbols, {.tokenBudget = 8192});
  ASSERT_TRUE(map.ok());
  std::vector<std::string> mapFiles;
  for (const auto& f : map->files) mapFiles.push_back(f.path);

  double semanticRecall = 0, bm25Recall = 0, mapRecall = 0;
  for (const auto& q : queries) {
    auto s = semantic.search({q.text, 5, {}}, &embedder);
    auto b = lexical.search({q.text, 5, {}}, nullptr);
    ASSERT_TRUE(s.ok() && b.ok());
    EXPECT_EQ(s->ranking, "semantic");
    EXPECT_EQ(b->ranking, "bm25");
    semanticRecall += recallAt5(filesOf(*s), q.relevant);
    bm25Recall += recallAt5(filesOf(*b), q.relevant);
    mapRecall += recallAt5(mapFiles, q.relevant);
  }
  const double n = static_cast<double>(queries.size());
  semanticRecall /= n;
  bm25Recall /= n;
  mapRecall /= n;
  std::printf("\nrecall@5 over %zu labelled queries, %zu chunks of %zu files:\n", queries.size(), built->chunksTotal,
              built->filesIndexed);
  std::printf("| ranking | recall@5 |\n|---|---|\n");
  std::printf("| semantic (fake hashing embeddings) | %.2f |\n", semanticRecall);
  std::printf("| bm25 | %.2f |\n", bm25Recall);
  std::printf("| repository map alone | %.2f |\n", mapRecall);
  // BM25 over identifier-split chunks finds most of the labelled code; the
  // query-blind map cannot do better than its five most central files.
  EXPECT_GE(bm25Recall, 0.6);
  EXPECT_GT(bm25Recall, mapRecall);
  // The vector path is exercised end to end: a chunk's own text finds it first.
  auto chunks = semantic.chunks();
  ASSERT_TRUE(chunks.ok());
  for (std::size_t i = 0; i < chunks->size(); i += 7) {
    auto self = semantic.search({(*chunks)[i].text, 1, {}}, &embedder);
    ASSERT_TRUE(self.ok());
    ASSERT_EQ(self->hits.size(), 1u);
    EXPECT_EQ(self->hits[0].chunk.id, (*chunks)[i].id);
  }
}

}  // namespace
}  // namespace codecrew::tools
