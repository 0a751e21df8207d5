#include "tools/search/repo_map.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <unordered_map>
#include <unordered_set>

namespace codecrew::tools {
namespace {

bool isIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool isIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

template <typename Fn>
void forEachIdentifier(std::string_view text, Fn&& fn) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (!isIdentStart(text[i])) {
      ++i;
      continue;
    }
    std::size_t start = i;
    while (i < text.size() && isIdentChar(text[i])) ++i;
    fn(text.substr(start, i - start));
  }
}

struct Graph {
  std::vector<std::string> files;
  std::vector<std::vector<std::pair<std::size_t, double>>> edges;
  // (file, name) -> weighted references into that definition from other files
  std::vector<std::unordered_map<std::string_view, double>> incomingByName;  // views into the index's symbols
};

// Names defined in more files than this (value, type, get, ...) say little
// about which file is meant and would make the graph quadratic; they are skipped.
constexpr std::size_t kMaxDefiningFiles = 32;

// Builds the file graph: an edge from each file to every other file that
// defines an identifier it mentions, weighted down for names defined widely.
Graph buildGraph(const Workspace& workspace, const SymbolIndex& index) {
  Graph g;
  g.files = index.files();
  std::unordered_map<std::string, std::size_t> fileId;
  for (std::size_t i = 0; i < g.files.size(); ++i) fileId[g.files[i]] = i;
  std::unordered_map<std::string_view, std::vector<std::size_t>> definers;
  for (const Symbol& s : index.symbols()) {
    if (s.name.size() < 2) continue;
    auto& list = definers[s.name];
    std::size_t id = fileId[s.path];
    if (std::find(list.begin(), list.end(), id) == list.end()) list.push_back(id);
  }
  g.edges.resize(g.files.size());
  g.incomingByName.resize(g.files.size());
  for (std::size_t from = 0; from < g.files.size(); ++from) {
    auto content = workspace.readFile(g.files[from]);
    if (!content) continue;
    std::unordered_map<std::string_view, std::pair<std::string_view, int>> mentions;  // key views content
    forEachIdentifier(*content, [&](std::string_view id) {
      auto it = definers.find(id);
      if (it == definers.end() || it->second.size() > kMaxDefiningFiles) return;
      auto& entry = mentions[id];
      entry.first = it->first;
      ++entry.second;
    });
    std::map<std::size_t, double> weights;
    for (const auto& [id, mention] : mentions) {
      const auto& [name, count] = mention;
      const auto& targets = definers.at(name);
      double w = std::sqrt(static_cast<double>(count)) / static_cast<double>(targets.size());
      for (std::size_t to : targets) {
        if (to == from) continue;
        weights[to] += w;
        g.incomingByName[to][name] += w;
      }
    }
    g.edges[from].assign(weights.begin(), weights.end());
  }
  return g;
}

std::vector<double> personalizationFor(const Graph& g, const std::vector<std::string>& focus) {
  if (focus.empty()) return {};
  std::vector<double> p(g.files.size(), 1.0);
  for (std::size_t i = 0; i < g.files.size(); ++i) {
    if (std::find(focus.begin(), focus.end(), g.files[i]) != focus.end()) p[i] = 100.0;
  }
  return p;
}

}  // namespace

std::size_t estimateTokens(std::string_view text) { return (text.size() + 3) / 4; }

std::vector<double> pageRank(const std::vector<std::vector<std::pair<std::size_t, double>>>& edges,
                             const std::vector<double>& personalization, int iterations, double damping) {
  const std::size_t n = edges.size();
  if (n == 0) return {};
  std::vector<double> teleport(n, 1.0 / static_cast<double>(n));
  if (personalization.size() == n) {
    double sum = std::accumulate(personalization.begin(), personalization.end(), 0.0);
    if (sum > 0) {
      for (std::size_t i = 0; i < n; ++i) teleport[i] = personalization[i] / sum;
    }
  }
  std::vector<double> outWeight(n, 0.0);
  for (std::size_t i = 0; i < n; ++i) {
    for (const auto& [to, w] : edges[i]) outWeight[i] += w;
  }
  std::vector<double> rank = teleport, next(n);
  for (int it = 0; it < iterations; ++it) {
    double dangling = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (outWeight[i] <= 0) dangling += rank[i];
    }
    for (std::size_t i = 0; i < n; ++i) next[i] = (1 - damping + damping * dangling) * teleport[i];
    for (std::size_t i = 0; i < n; ++i) {
      if (outWeight[i] <= 0) continue;
      for (const auto& [to, w] : edges[i]) next[to] += damping * rank[i] * w / outWeight[i];
    }
    double delta = 0;
    for (std::size_t i = 0; i < n; ++i) delta += std::abs(next[i] - rank[i]);
    rank.swap(next);
    if (delta < 1e-9) break;
  }
  return rank;
}

core::Result<RepoMap> buildRepoMap(const Workspace& workspace, const SymbolIndex& index,
                                   const RepoMapOptions& options) {
  Graph g = buildGraph(workspace, index);
  std::vector<double> rank = pageRank(g.edges, personalizationFor(g, options.focusFiles), options.pageRankIterations,
                                      options.damping);
  std::vector<std::size_t> order(g.files.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return rank[a] > rank[b]; });

  std::unordered_map<std::string, std::vector<const Symbol*>> byFile;
  for (const Symbol& s : index.symbols()) byFile[s.path].push_back(&s);
  const TokenCounter count = options.countTokens ? options.countTokens : TokenCounter(estimateTokens);
  RepoMap map;
  for (std::size_t id : order) {
    auto symbols = byFile[g.files[id]];
    const auto& incoming = g.incomingByName[id];
    auto score = [&](const Symbol* s) {
      auto it = incoming.find(s->name);
      return it == incoming.end() ? 0.0 : it->second;
    };
    std::stable_sort(symbols.begin(), symbols.end(),
                     [&](const Symbol* a, const Symbol* b) { return score(a) > score(b); });
    const std::string header = g.files[id] + ":\n";
    std::size_t cost = count(header);
    std::string block = header;
    RankedFile file{g.files[id], rank[id], {}};
    for (const Symbol* s : symbols) {
      if (file.symbols.size() >= options.maxSymbolsPerFile) {
        map.truncated = true;
        break;
      }
      std::string line = "  " + std::to_string(s->line) + ": " +
                         (s->signature.empty() ? s->kind + " " + s->name : s->signature) + "\n";
      std::size_t lineCost = count(line);
      if (map.tokens + cost + lineCost > options.tokenBudget) {
        map.truncated = true;
        break;
      }
      cost += lineCost;
      block += line;
      file.symbols.push_back(*s);
    }
    if (file.symbols.empty()) {
      map.truncated = map.truncated || !symbols.empty();
      if (map.tokens + cost > options.tokenBudget) break;
      continue;
    }
    map.text += block;
    map.tokens += cost;
    map.files.push_back(std::move(file));
  }
  return map;
}

}  // namespace codecrew::tools
