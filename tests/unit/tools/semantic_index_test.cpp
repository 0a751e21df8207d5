#include "tools/semantic/semantic_index.h"
#include "tools/semantic/embedding_cache.h"
#include "tools/semantic/vector_index.h"
#include "tools/workspace/local_workspace.h"

#include "fake_embedder.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>

#include <sys/wait.h>
#include <unistd.h>

namespace codecrew::tools {
namespace {

namespace fs = std::filesystem;

void writeTree(const testing::TempDir& dir) {
  dir.write("src/cache.cpp",
            "#include \"cache.h\"\n\n"
            "// Evicts the least recently used entry when the cache is full.\n"
            "void LruCache::evictOldest() {\n  entries_.pop_back();\n}\n\n"
            "int LruCache::size() const {\n  return static_cast<int>(entries_.size());\n}\n");
  dir.write("src/server.py",
            "import socket\n\n"
            "def listen(port):\n    \"\"\"Accepts connections on a port.\"\"\"\n    s = socket.socket()\n"
            "    s.bind(('', port))\n    return s\n\n"
            "class HttpServer:\n    def handle_request(self, request):\n        return request.path\n");
  dir.write("docs/guide.md", "# Install\nRun make.\n\n# Configure the cache\nSet cache_size in the config.\n");
  dir.write("tools/util.go", "package tools\n\nfunc RetryCount() int {\n\treturn 3\n}\n");
}

std::unique_ptr<LocalWorkspace> openWs(const testing::TempDir& dir) {
  auto ws = LocalWorkspace::open(dir.str());
  EXPECT_TRUE(ws.ok());
  return std::move(ws).value();
}

std::vector<std::string> ids(const std::vector<CodeChunk>& chunks) {
  std::vector<std::string> out;
  for (const auto& c : chunks) out.push_back(c.path + ":" + std::to_string(c.startLine) + ":" + c.id);
  return out;
}

std::vector<std::string> hitIds(const SemanticResult& r) {
  std::vector<std::string> out;
  for (const auto& h : r.hits) out.push_back(h.chunk.id);
  return out;
}

class SemanticIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    writeTree(ws_dir_);
    ws_ = openWs(ws_dir_);
  }
  fs::path repoFolder(const testing::TempDir& data, std::string name = "root-x") { return data.path() / name; }

  // A fresh index of the workspace in another data folder; expects it equal to `index`.
  void expectEqualToFreshBuild(SemanticIndex& index, Embedder* embedder) {
    testing::TempDir fresh_data;
    SemanticIndex fresh(repoFolder(fresh_data), embedder ? embedder->model() : "");
    auto built = fresh.update(*ws_, embedder);
    ASSERT_TRUE(built.ok());
    ASSERT_TRUE(built->complete);
    auto a = index.chunks();
    auto b = fresh.chunks();
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_EQ(ids(*a), ids(*b));
    if (embedder) {
      auto va = index.vectors();
      auto vb = fresh.vectors();
      EXPECT_EQ(*va, *vb);
      EXPECT_EQ(va->size(), a->size());
    }
    for (const auto& q : {std::string("evict the oldest cache entry"), std::string("listen on a port"),
                          std::string("RetryCount"), a->front().text}) {
      auto ra = index.search({q, 5, {}}, embedder);
      auto rb = fresh.search({q, 5, {}}, embedder);
      ASSERT_TRUE(ra.ok() && rb.ok());
      EXPECT_EQ(hitIds(*ra), hitIds(*rb)) << q;
      EXPECT_EQ(ra->ranking, rb->ranking);
    }
  }

  testing::TempDir ws_dir_;
  testing::TempDir data_;
  std::unique_ptr<LocalWorkspace> ws_;
};

TEST_F(SemanticIndexTest, BuildsChunksBySymbolAndFindsAChunkByItsOwnText) {
  FakeEmbedder embedder;
  SemanticIndex index(repoFolder(data_), embedder.model());
  auto report = index.update(*ws_, &embedder);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_TRUE(report->complete);
  EXPECT_EQ(report->filesIndexed, 4u);
  auto chunks = index.chunks();
  ASSERT_TRUE(chunks.ok());
  EXPECT_EQ(report->chunksTotal, chunks->size());
  EXPECT_EQ(report->embedded, chunks->size());
  EXPECT_EQ(report->embeddingCalls, (chunks->size() + 3) / 4);  // batches of maxBatch()
  bool sawEvict = false, sawHeading = false;
  for (const auto& c : *chunks) {
    sawEvict |= c.symbol.find("evictOldest") != std::string::npos && c.startLine == 3;
    sawHeading |= c.symbol == "Configure the cache";
  }
  EXPECT_TRUE(sawEvict);
  EXPECT_TRUE(sawHeading);
  const auto& target = (*chunks)[2];
  auto found = index.search({target.text, 3, {}}, &embedder);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found->ranking, "semantic");
  ASSERT_FALSE(found->hits.empty());
  EXPECT_EQ(found->hits[0].chunk.id, target.id);
  EXPECT_NEAR(found->hits[0].score, 1.0, 1e-5);
  // Path globs restrict the candidates.
  auto onlyDocs = index.search({target.text, 10, {"docs/*"}}, &embedder);
  ASSERT_TRUE(onlyDocs.ok());
  ASSERT_FALSE(onlyDocs->hits.empty());
  for (const auto& h : onlyDocs->hits) EXPECT_TRUE(h.chunk.path.starts_with("docs/"));
}

TEST_F(SemanticIndexTest, AnUnchangedChunkIsNeverEmbeddedTwiceAcrossRunsAndWorkspaces) {
  FakeEmbedder embedder;
  SemanticIndex index(repoFolder(data_), embedder.model());
  ASSERT_TRUE(index.update(*ws_, &embedder).ok());
  const auto first = embedder.texts();
  auto again = index.update(*ws_, &embedder);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->filesChanged, 0u);
  EXPECT_EQ(embedder.texts(), first);

  // Another workspace of the same repository, another instance (another execution).
  testing::TempDir other_dir;
  writeTree(other_dir);
  other_dir.write("tools/util.go", "package tools\n\nfunc RetryCount() int {\n\treturn 5\n}\n");
  auto other = openWs(other_dir);
  SemanticIndex second(repoFolder(data_), embedder.model());
  auto report = second.update(*other, &embedder);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->filesChanged, 1u);
  EXPECT_EQ(report->embedded, 1u);  // only the changed function
  EXPECT_EQ(embedder.texts(), first + 1);
  // Back to the first tree: everything from the cache.
  auto back = index.update(*ws_, &embedder);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->embedded, 0u);
  EXPECT_GE(back->cacheHits, 1u);
}

TEST_F(SemanticIndexTest, IncrementalUpdatesEqualAFreshBuild) {
  FakeEmbedder embedder;
  SemanticIndex index(repoFolder(data_), embedder.model());
  ASSERT_TRUE(index.update(*ws_, &embedder).ok());
  // Edit, delete, rename, add.
  ws_dir_.write("src/cache.cpp",
                "#include \"cache.h\"\n\n"
                "// Evicts the least recently used entry when the cache is full.\n"
                "void LruCache::evictOldest() {\n  if (!entries_.empty()) entries_.pop_back();\n}\n");
  fs::remove(ws_dir_.path() / "docs/guide.md");
  fs::create_directories(ws_dir_.path() / "pkg");
  fs::rename(ws_dir_.path() / "tools/util.go", ws_dir_.path() / "pkg/retry.go");
  ws_dir_.write("src/new.py", "def added():\n    return 1\n");
  auto report = index.update(*ws_, &embedder);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->filesRemoved, 2u);  // the deleted and the renamed-away file
  EXPECT_EQ(report->filesChanged, 3u);  // edited, renamed-to, added
  EXPECT_EQ(report->embedded, 2u);      // the edited function and the new one; the renamed file's from the cache
  expectEqualToFreshBuild(index, &embedder);
}

TEST_F(SemanticIndexTest, AProviderFailureLeavesAUsableIndexThatTheNextUpdateCompletes) {
  FakeEmbedder embedder;
  embedder.setBatch(2);
  embedder.failAfter(1);
  SemanticIndex index(repoFolder(data_), embedder.model());
  auto report = index.update(*ws_, &embedder);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->complete);
  ASSERT_TRUE(report->embeddingError.has_value());
  EXPECT_EQ(report->embeddingError->code, core::ErrorCode::kUnavailable);
  EXPECT_EQ(report->embedded, 2u);
  auto chunks = index.chunks();
  ASSERT_TRUE(chunks.ok());
  EXPECT_EQ(chunks->size(), report->chunksTotal);  // every chunk is there, for BM25 at least
  // Still usable: lexical search sees every chunk, semantic the ones with vectors.
  auto lexical = index.search({"RetryCount", 3, {}}, nullptr);
  ASSERT_TRUE(lexical.ok());
  EXPECT_EQ(lexical->ranking, "bm25");
  ASSERT_FALSE(lexical->hits.empty());
  EXPECT_EQ(lexical->hits[0].chunk.path, "tools/util.go");
  embedder.failAfter(-1);
  auto semantic = index.search({"anything", 3, {}}, &embedder);
  ASSERT_TRUE(semantic.ok());
  EXPECT_EQ(semantic->ranking, "semantic");
  EXPECT_NE(semantic->note.find("no vector yet"), std::string::npos);
  // A query that cannot be embedded falls back to BM25, saying so.
  embedder.failAfter(0);
  auto fallback = index.search({"something new", 3, {}}, &embedder);
  ASSERT_TRUE(fallback.ok());
  EXPECT_EQ(fallback->ranking, "bm25");
  EXPECT_NE(fallback->note.find("could not be embedded"), std::string::npos);
  // The provider is back: the next update embeds only what is missing.
  embedder.failAfter(-1);
  auto done = index.update(*ws_, &embedder);
  ASSERT_TRUE(done.ok());
  EXPECT_TRUE(done->complete);
  EXPECT_EQ(done->embedded, report->chunksTotal - 2);
  expectEqualToFreshBuild(index, &embedder);
}

TEST_F(SemanticIndexTest, WithoutAnEmbedderTheLexicalIndexRanksByBm25) {
  SemanticIndex index(repoFolder(data_), "");
  auto report = index.update(*ws_, nullptr);
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->complete);
  EXPECT_EQ(index.folder().filename(), "lexical");
  auto r = index.search({"how does the cache evict old entries", 2, {}}, nullptr);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->ranking, "bm25");
  ASSERT_FALSE(r->hits.empty());
  EXPECT_EQ(r->hits[0].chunk.path, "src/cache.cpp");
  EXPECT_NE(r->hits[0].chunk.symbol.find("evictOldest"), std::string::npos);
  auto py = index.search({"handle request", 5, {"*.py"}}, nullptr);
  ASSERT_TRUE(py.ok());
  ASSERT_FALSE(py->hits.empty());
  for (const auto& h : py->hits) EXPECT_EQ(h.chunk.path, "src/server.py");
  ws_dir_.write("src/server.py", "def nothing():\n    pass\n");
  ASSERT_TRUE(index.update(*ws_, nullptr).ok());
  expectEqualToFreshBuild(index, nullptr);
}

TEST_F(SemanticIndexTest, AnotherInstanceReadsWhatWasSaved) {
  FakeEmbedder embedder;
  SemanticIndex index(repoFolder(data_), embedder.model());
  ASSERT_TRUE(index.update(*ws_, &embedder).ok());
  SemanticIndex reader(repoFolder(data_), embedder.model());
  auto a = index.search({"listen on a port", 4, {}}, &embedder);
  auto b = reader.search({"listen on a port", 4, {}}, &embedder);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(hitIds(*a), hitIds(*b));
  // The reader sees the writer's later updates.
  ws_dir_.write("src/extra.cpp", "int extra() { return 1; }\n");
  ASSERT_TRUE(index.update(*ws_, &embedder).ok());
  auto chunks = reader.chunks();
  ASSERT_TRUE(chunks.ok());
  EXPECT_EQ(ids(*chunks), ids(*index.chunks()));
}

TEST_F(SemanticIndexTest, AnotherModelOrVectorLengthRebuilds) {
  FakeEmbedder small(8, "fake/hash");
  SemanticIndex index(repoFolder(data_), small.model());
  ASSERT_TRUE(index.update(*ws_, &small).ok());
  // The same model name now answering longer vectors (seen when something
  // changed): rebuilt, the cache's old vectors unused.
  ws_dir_.write("src/extra.cpp", "int extra() { return 1; }\n");
  FakeEmbedder longer(16, "fake/hash");
  SemanticIndex again(repoFolder(data_), longer.model());
  auto report = again.update(*ws_, &longer);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_TRUE(report->complete);
  EXPECT_EQ(report->embedded, report->chunksTotal);
  auto vectors = again.vectors();
  ASSERT_TRUE(vectors.ok());
  ASSERT_FALSE(vectors->empty());
  EXPECT_EQ(vectors->begin()->second.size(), 16u);
  // Another model: its own folder, built from nothing, the first left alone.
  FakeEmbedder other(8, "fake/other");
  SemanticIndex third(repoFolder(data_), other.model());
  EXPECT_NE(third.folder(), again.folder());
  auto built = third.update(*ws_, &other);
  ASSERT_TRUE(built.ok());
  EXPECT_EQ(built->embedded, built->chunksTotal);
}

TEST_F(SemanticIndexTest, ConcurrentExecutionsOfOneRepositoryEmbedEachChunkOnce) {
  FakeEmbedder embedder;
  constexpr int kExecutions = 4;
  std::vector<std::unique_ptr<testing::TempDir>> dirs;
  std::vector<std::unique_ptr<LocalWorkspace>> workspaces;
  for (int i = 0; i < kExecutions; ++i) {
    dirs.push_back(std::make_unique<testing::TempDir>());
    writeTree(*dirs.back());
    workspaces.push_back(openWs(*dirs.back()));
  }
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < kExecutions; ++i) {
    threads.emplace_back([&, i] {
      SemanticIndex index(repoFolder(data_), embedder.model());  // an instance per execution
      for (int round = 0; round < 3; ++round) {
        if (!index.update(*workspaces[i], &embedder).ok()) ++failures;
        auto r = index.search({"cache", 3, {}}, &embedder);
        if (!r.ok() || r->hits.empty()) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  SemanticIndex index(repoFolder(data_), embedder.model());
  auto chunks = index.chunks();
  ASSERT_TRUE(chunks.ok());
  std::set<std::string> texts;
  for (const auto& c : *chunks) texts.insert(c.text);
  texts.insert("cache");  // the query, embedded once and cached
  EXPECT_EQ(embedder.texts(), texts.size());
  expectEqualToFreshBuild(index, &embedder);
}

// Executions in separate processes (workers) share the folder through the
// file lock: every chunk is embedded once in all (the cache file holds one
// record per text) and the index is a fresh build's.
TEST_F(SemanticIndexTest, ConcurrentProcessesShareTheIndexThroughTheFileLock) {
  constexpr int kProcesses = 3;
  std::vector<pid_t> children;
  for (int i = 0; i < kProcesses; ++i) {
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      FakeEmbedder embedder;
      SemanticIndex index(repoFolder(data_), embedder.model());
      bool ok = true;
      for (int round = 0; round < 3 && ok; ++round) {
        ok = index.update(*ws_, &embedder).ok();
        auto r = index.search({"cache", 3, {}}, &embedder);
        ok = ok && r.ok() && !r->hits.empty();
      }
      std::_Exit(ok ? 0 : 1);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  FakeEmbedder embedder;
  SemanticIndex index(repoFolder(data_), embedder.model());
  auto chunks = index.chunks();
  ASSERT_TRUE(chunks.ok());
  std::set<std::string> texts;
  for (const auto& c : *chunks) texts.insert(c.text);
  texts.insert("cache");
  const auto records = (fs::file_size(repoFolder(data_) / "embeddings.cache") - 7) / (32 + 4 + 16 * sizeof(float));
  EXPECT_EQ(records, texts.size());
  expectEqualToFreshBuild(index, &embedder);
}

TEST(EmbeddingCache, KeepsVectorsAcrossOpensAndIgnoresATornTail) {
  testing::TempDir dir;
  auto file = dir.path() / "embeddings.cache";
  const auto key = EmbeddingCache::keyOf("m", "text");
  {
    auto cache = EmbeddingCache::open(file);
    ASSERT_TRUE(cache.ok());
    ASSERT_TRUE(cache->put(key, {1.0f, 2.0f, 3.0f}).ok());
    EXPECT_EQ(cache->find(key), (std::vector<float>{1.0f, 2.0f, 3.0f}));
    EXPECT_FALSE(cache->find(EmbeddingCache::keyOf("other", "text")).has_value());
  }
  {
    std::ofstream out(file, std::ios::binary | std::ios::app);
    out << "half a record";
  }
  auto cache = EmbeddingCache::open(file);
  ASSERT_TRUE(cache.ok());
  EXPECT_EQ(cache->size(), 1u);
  EXPECT_EQ(cache->find(key), (std::vector<float>{1.0f, 2.0f, 3.0f}));
  const auto second = EmbeddingCache::keyOf("m", "more");
  ASSERT_TRUE(cache->put(second, {4.0f}).ok());
  auto reopened = EmbeddingCache::open(file);
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(reopened->size(), 2u);
  EXPECT_EQ(reopened->find(second), (std::vector<float>{4.0f}));
}

TEST(VectorIndex, AddsRemovesSavesAndLoads) {
  VectorIndex index(3);
  ASSERT_TRUE(index.add(1, {1, 0, 0}).ok());
  ASSERT_TRUE(index.add(2, {0, 1, 0}).ok());
  ASSERT_TRUE(index.add(3, {1, 1, 0}).ok());
  EXPECT_FALSE(index.add(4, {0, 0, 0}).ok());
  EXPECT_FALSE(index.add(4, {1, 0}).ok());
  auto hits = index.search({1, 0.1f, 0}, 2);
  ASSERT_EQ(hits.size(), 2u);
  EXPECT_EQ(hits[0].label, 1u);
  EXPECT_EQ(hits[1].label, 3u);
  index.remove(1);
  EXPECT_EQ(index.size(), 2u);
  EXPECT_EQ(index.search({1, 0, 0}, 1)[0].label, 3u);
  auto exact = index.exactSearch({0, 1, 0}, {1, 2}, 5);
  ASSERT_EQ(exact.size(), 1u);
  EXPECT_EQ(exact[0].label, 2u);
  testing::TempDir dir;
  ASSERT_TRUE(index.save(dir.path() / "v.hnsw").ok());
  auto loaded = VectorIndex::load(dir.path() / "v.hnsw", 3);
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->size(), 2u);
  EXPECT_FALSE(loaded->contains(1));
  EXPECT_EQ(loaded->search({1, 0, 0}, 1)[0].label, 3u);
  EXPECT_EQ(VectorIndex::load(dir.path() / "none", 3).error().code, core::ErrorCode::kNotFound);
}

}  // namespace
}  // namespace codecrew::tools
