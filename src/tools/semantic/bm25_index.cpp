#include "tools/semantic/bm25_index.h"

#include <algorithm>
#include <cmath>
#include <set>

namespace codecrew::tools {

Bm25Index::Bm25Index(const std::vector<std::vector<std::string>>& documents) {
  lengths_.reserve(documents.size());
  double total = 0;
  for (std::size_t d = 0; d < documents.size(); ++d) {
    std::unordered_map<std::string, std::uint32_t> counts;
    for (const auto& t : documents[d]) ++counts[t];
    for (auto& [term, n] : counts) postings_[term].push_back({d, n});
    lengths_.push_back(static_cast<std::uint32_t>(documents[d].size()));
    total += static_cast<double>(documents[d].size());
  }
  averageLength_ = documents.empty() ? 0 : total / static_cast<double>(documents.size());
}

std::vector<ScoredDoc> Bm25Index::search(const std::vector<std::string>& queryTerms, std::size_t k,
                                         const std::function<bool(std::size_t)>& accept) const {
  constexpr double k1 = 1.2, b = 0.75;
  const double n = static_cast<double>(lengths_.size());
  std::unordered_map<std::size_t, double> scores;
  std::set<std::string> seen;
  for (const auto& term : queryTerms) {
    if (!seen.insert(term).second) continue;
    auto it = postings_.find(term);
    if (it == postings_.end()) continue;
    const double df = static_cast<double>(it->second.size());
    const double idf = std::log(1.0 + (n - df + 0.5) / (df + 0.5));
    for (const auto& p : it->second) {
      if (accept && !accept(p.doc)) continue;
      const double tf = p.count;
      const double norm = averageLength_ > 0 ? lengths_[p.doc] / averageLength_ : 1.0;
      scores[p.doc] += idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * norm));
    }
  }
  std::vector<ScoredDoc> out;
  out.reserve(scores.size());
  for (const auto& [doc, score] : scores)
    if (score > 0) out.push_back({doc, score});
  auto better = [](const ScoredDoc& a, const ScoredDoc& c) {
    return a.score != c.score ? a.score > c.score : a.doc < c.doc;
  };
  if (out.size() > k) {
    std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(k), out.end(), better);
    out.resize(k);
  } else {
    std::sort(out.begin(), out.end(), better);
  }
  return out;
}

}  // namespace codecrew::tools
