// The semantic index, one run, printing figures:
//  1. Indexing a source tree (default: codecrew's src/): chunks per second
//     for the lexical index (ctags, chunking, hashing, BM25 data, saving: no
//     embeddings), for the vector index with every chunk embedded through
//     llm::Router to the fake upstream over loopback HTTP (RouterEmbedder,
//     batches of 64, 256 dimensions), and again from the embedding cache.
//  2. Query latency, p50 and p99 of SemanticIndex::search (the lock, the
//     generation check, the query's vector, the HNSW search) at 10,000 and
//     100,000 chunks of a generated repository, with an in-process hashing
//     embedder (the provider's round trip is not in these figures), and of
//     the BM25 ranking over the same chunks.
//  3. Bytes on disk per chunk (manifest with the chunks' text, graph, cache).
// Usage: semantic_bench [tree] [--skip-100k]
#include "engine/router_embedder.h"
#include "fake_embeddings.h"
#include "fake_upstream.h"
#include "http/client/beast_http_client.h"
#include "llm/provider_registry.h"
#include "llm/record/call_recorder.h"
#include "llm/router/router.h"
#include "tools/semantic/semantic_index.h"
#include "tools/workspace/local_workspace.h"

#include <boost/asio/thread_pool.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>

using namespace codecrew;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t kDims = 256;

double secondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::uintmax_t bytesUnder(const fs::path& dir) {
  std::uintmax_t total = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file()) total += e.file_size();
  return total;
}

class HashEmbedder : public tools::Embedder {
 public:
  std::string model() const override { return "bench/hash@256"; }
  core::Result<std::vector<std::vector<float>>> embed(const std::vector<std::string>& texts) override {
    std::vector<std::vector<float>> out;
    for (const auto& t : texts) out.push_back(testing::fakeEmbedding(t, kDims));
    return out;
  }
};

struct Upstream {
  testing::FakeUpstream upstream;
  std::shared_ptr<llm::Router> router;
  boost::asio::thread_pool pool{1};

  Upstream() {
    if (!upstream.start().ok()) std::abort();
    auto client = std::make_shared<http::BeastHttpClient>();
    llm::LlmConfig config;
    config.providers.push_back(
        llm::ProviderConfig{"openai", "openai", upstream.baseUrl() + "/v1", "sk-bench-0123456789"});
    auto registry = llm::ProviderRegistry::fromConfig(config, client, core::SystemClock::instance());
    auto clock = core::SystemClock::instance();
    auto sleeper = std::make_shared<llm::AsioSleeper>();
    auto redactor = llm::Redactor::create(config.secrets()).value();
    llm::RouterDeps deps{registry, std::make_shared<llm::MemoryCallRecorder>(),         redactor, clock,
                         sleeper,  std::make_shared<llm::RateScheduler>(clock, sleeper)};
    router = std::make_shared<llm::Router>(deps);
  }
};

void indexTree(const std::string& root) {
  auto ws = tools::LocalWorkspace::open(root);
  if (!ws) {
    std::printf("cannot open %s: %s\n", root.c_str(), ws.error().message.c_str());
    return;
  }
  std::error_code ec;
  auto data = fs::temp_directory_path() / ("semantic-bench-" + std::to_string(::getpid()));
  fs::remove_all(data, ec);
  std::printf("indexing %s\n", root.c_str());

  tools::SemanticIndex lexical(data / "repo", "");
  auto start = std::chrono::steady_clock::now();
  auto l = lexical.update(**ws, nullptr);
  double lexicalSeconds = secondsSince(start);
  if (!l) {
    std::printf("lexical index failed: %s\n", l.error().message.c_str());
    return;
  }
  std::printf("  lexical (no embeddings): %zu files, %zu chunks in %.2fs: %.0f chunks/s\n", l->filesIndexed,
              l->chunksTotal, lexicalSeconds, l->chunksTotal / lexicalSeconds);

  Upstream up;
  engine::RouterEmbedder embedder(up.router, up.pool.get_executor(), "openai/text-embedding-3-small", kDims, 64, {});
  tools::SemanticIndex vectors(data / "repo", embedder.model());
  start = std::chrono::steady_clock::now();
  auto v = vectors.update(**ws, &embedder);
  double vectorSeconds = secondsSince(start);
  if (!v || !v->complete) {
    std::printf("vector index failed: %s\n", v ? (v->embeddingError ? v->embeddingError->message.c_str() : "incomplete")
                                               : v.error().message.c_str());
    return;
  }
  std::printf(
      "  vector (embeddings through the router to the fake upstream): %zu chunks, %zu texts in %zu calls, "
      "%.2fs: %.0f chunks/s\n",
      v->chunksTotal, v->embedded, v->embeddingCalls, vectorSeconds, v->chunksTotal / vectorSeconds);
  auto folder = vectors.folder();
  double n = static_cast<double>(v->chunksTotal);
  std::printf("  bytes per chunk: vector index folder %.0f (manifest %.0f + graph %.0f), cache %.0f, lexical %.0f\n",
              bytesUnder(folder) / n, fs::file_size(folder / "manifest.json") / n,
              fs::file_size(folder / "vectors.hnsw") / n, fs::file_size(data / "repo" / "embeddings.cache") / n,
              bytesUnder(lexical.folder()) / n);
  fs::remove_all(folder, ec);  // the same chunks again, every vector from the cache
  tools::SemanticIndex cached(data / "repo", embedder.model());
  start = std::chrono::steady_clock::now();
  auto c = cached.update(**ws, &embedder);
  double cachedSeconds = secondsSince(start);
  if (c)
    std::printf("  vector, every vector from the cache: %zu cache hits, %zu embedded, %.2fs: %.0f chunks/s\n",
                c->cacheHits, c->embedded, cachedSeconds, c->chunksTotal / cachedSeconds);
  fs::remove_all(data, ec);
}

// A generated repository: files of C++-like functions named and filled from a vocabulary.
void writeRepository(const fs::path& root, std::size_t chunks) {
  static const char* kWords[] = {"cache",  "request", "parse",  "token",  "write",   "read",   "buffer", "socket",
                                 "retry",  "queue",   "worker", "config", "metric",  "schema", "record", "index",
                                 "search", "vector",  "commit", "branch", "session", "tenant", "budget", "model",
                                 "stream", "header",  "digest", "lease",  "journal", "fence",  "graph",  "rank"};
  std::mt19937 rng(42);
  auto word = [&] { return std::string(kWords[rng() % std::size(kWords)]); };
  constexpr std::size_t kPerFile = 20;
  for (std::size_t f = 0; f * kPerFile < chunks; ++f) {
    auto dir = root / ("mod" + std::to_string(f / 100));
    fs::create_directories(dir);
    std::ofstream out(dir / ("file" + std::to_string(f) + ".cpp"));
    for (std::size_t i = 0; i < kPerFile && f * kPerFile + i < chunks; ++i) {
      std::string a = word(), b = word(), c = word();
      b[0] = static_cast<char>(std::toupper(b[0]));
      out << "// " << a << " the " << c << " of a " << b << " " << f << "_" << i << ".\n";
      out << "int " << a << b << f << "_" << i << "(int " << c << ") {\n";
      out << "  int " << word() << " = " << c << " * " << i << ";\n";
      out << "  return " << word() << "_" << word() << "(" << c << ");\n}\n\n";
    }
  }
}

double percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))];
}

void queryLatency(std::size_t chunks) {
  std::error_code ec;
  auto base = fs::temp_directory_path() / ("semantic-bench-q-" + std::to_string(::getpid()));
  fs::remove_all(base, ec);
  writeRepository(base / "repo", chunks);
  auto ws = tools::LocalWorkspace::open((base / "repo").string(), {.maxListEntries = 1000000});
  if (!ws) return;
  HashEmbedder embedder;
  tools::SemanticIndex index(base / "index", embedder.model());
  auto start = std::chrono::steady_clock::now();
  auto built = index.update(**ws, &embedder);
  double buildSeconds = secondsSince(start);
  if (!built || !built->complete) {
    std::printf("%zu chunks: build failed\n", chunks);
    return;
  }
  tools::SemanticIndex lexical(base / "index", "");
  if (!lexical.update(**ws, nullptr)) return;
  constexpr int kQueries = 400;
  std::vector<double> semanticMs, bm25Ms;
  std::mt19937 rng(7);
  static const char* kQueryWords[] = {"retry the request", "parse a header", "write the journal", "rank the graph",
                                      "lease a worker",    "cache a vector", "stream a token",    "commit a branch"};
  for (int i = 0; i < kQueries; ++i) {
    std::string q = std::string(kQueryWords[rng() % std::size(kQueryWords)]) + " " + std::to_string(i);
    auto t = std::chrono::steady_clock::now();
    auto r = index.search({q, 8, {}}, &embedder);
    semanticMs.push_back(secondsSince(t) * 1000);
    t = std::chrono::steady_clock::now();
    auto b = lexical.search({q, 8, {}}, nullptr);
    bm25Ms.push_back(secondsSince(t) * 1000);
    if (!r || !b || r->hits.size() != 8) std::printf("query failed\n");
  }
  bm25Ms.erase(bm25Ms.begin());  // the first builds the BM25 postings
  auto model = bytesUnder(index.folder());
  auto lexicalBytes = bytesUnder(lexical.folder());
  auto cacheBytes = fs::file_size(base / "index" / "embeddings.cache");
  double n = static_cast<double>(built->chunksTotal);
  std::printf("%zu chunks (%zu files, %zu dimensions): built in %.1fs (%.0f chunks/s, in-process embedder)\n",
              built->chunksTotal, built->filesIndexed, kDims, buildSeconds, n / buildSeconds);
  std::printf("  semantic search: p50 %.3f ms, p99 %.3f ms (%d queries, k 8)\n", percentile(semanticMs, 0.5),
              percentile(semanticMs, 0.99), kQueries);
  std::printf("  bm25 search:     p50 %.3f ms, p99 %.3f ms\n", percentile(bm25Ms, 0.5), percentile(bm25Ms, 0.99));
  std::printf("  bytes per chunk: vector index folder %.0f (manifest %.0f + graph %.0f), cache %.0f, lexical %.0f\n",
              model / n, fs::file_size(index.folder() / "manifest.json") / n,
              fs::file_size(index.folder() / "vectors.hnsw") / n, cacheBytes / n, lexicalBytes / n);
  fs::remove_all(base, ec);
}

}  // namespace

int main(int argc, char** argv) {
  std::string root = std::string(CODECREW_SOURCE_DIR) + "/src";
  bool skip100k = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--skip-100k") skip100k = true;
    else root = a;
  }
  indexTree(root);
  queryLatency(10000);
  if (!skip100k) queryLatency(100000);
  return 0;
}
