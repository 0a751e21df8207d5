// The repository map on a large tree: time to index with ctags, to rank and
// to render within a budget. One run. Usage: repomap_bench [root] [budget].
#include "tools/search/repo_map.h"
#include "tools/search/symbol_index.h"
#include "tools/workspace/local_workspace.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

using namespace codecrew::tools;

int main(int argc, char** argv) {
  std::string root = argc > 1 ? argv[1] : "/usr/include";
  std::size_t budget = argc > 2 ? std::strtoul(argv[2], nullptr, 10) : 4096;
  auto ws = LocalWorkspace::open(root, {.maxFileBytes = 64ull << 20, .maxPathBytes = 4096, .maxListEntries = 10000000});
  if (!ws) {
    std::fprintf(stderr, "%s\n", ws.error().message.c_str());
    return 1;
  }
  auto t0 = std::chrono::steady_clock::now();
  auto index = SymbolIndex::build(**ws, {.timeout = std::chrono::milliseconds(1800000), .maxFiles = 10000000});
  auto t1 = std::chrono::steady_clock::now();
  if (!index) {
    std::fprintf(stderr, "%s\n", index.error().message.c_str());
    return 1;
  }
  auto map = buildRepoMap(**ws, *index, {.tokenBudget = budget});
  auto t2 = std::chrono::steady_clock::now();
  auto secs = [](auto a, auto b) { return std::chrono::duration<double>(b - a).count(); };
  std::printf("tree %s: %zu symbols in %zu files; ctags index %.2fs, graph+pagerank+render %.2fs, total %.2fs\n",
              root.c_str(), index->symbols().size(), index->files().size(), secs(t0, t1), secs(t1, t2), secs(t0, t2));
  if (map) {
    std::printf("map: %zu files, %zu tokens (budget %zu), truncated=%d; top files:\n", map->files.size(), map->tokens,
                budget, map->truncated ? 1 : 0);
    for (std::size_t i = 0; i < map->files.size() && i < 8; ++i) {
      std::printf("  %.5f %s\n", map->files[i].rank, map->files[i].path.c_str());
    }
  }
  return 0;
}
