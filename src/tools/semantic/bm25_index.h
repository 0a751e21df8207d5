// Bm25Index: Okapi BM25 (k1 1.2, b 0.75) over documents given as term
// lists (identifierTokens of a chunk's path, symbol and text): the lexical
// ranking the semantic index falls back to without an embeddings provider.
// Ties are broken by document order, so a ranking is deterministic.
// Thread-safety: immutable once built; search() may run concurrently.
#pragma once

#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

namespace codecrew::tools {

struct ScoredDoc {
  std::size_t doc = 0;  // index in the order documents were given
  double score = 0;
};

class Bm25Index {
 public:
  Bm25Index() = default;
  explicit Bm25Index(const std::vector<std::vector<std::string>>& documents);

  // The k best documents with a positive score that `accept` (when set) lets through.
  std::vector<ScoredDoc> search(const std::vector<std::string>& queryTerms, std::size_t k,
                                const std::function<bool(std::size_t)>& accept = {}) const;
  std::size_t size() const { return lengths_.size(); }

 private:
  struct Posting {
    std::size_t doc;
    std::uint32_t count;
  };
  std::unordered_map<std::string, std::vector<Posting>> postings_;
  std::vector<std::uint32_t> lengths_;
  double averageLength_ = 0;
};

}  // namespace codecrew::tools
