#include "llm/tokenizer/bpe_ranks.h"

#include <openssl/evp.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <charconv>
#include <queue>

namespace codecrew::llm::tokenizer {
namespace {

core::Result<std::string> decodeBase64(std::string_view b64) {
  if (b64.empty() || b64.size() % 4 != 0) return core::Error::invalidArgument("bad base64 length");
  std::string out(b64.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(b64.data()), static_cast<int>(b64.size()));
  if (n < 0) return core::Error::invalidArgument("bad base64");
  size_t padding = 0;
  if (b64.back() == '=') ++padding;
  if (b64.size() >= 2 && b64[b64.size() - 2] == '=') ++padding;
  out.resize(static_cast<size_t>(n) - padding);
  return out;
}

}  // namespace

size_t BpeRanks::Hash::operator()(std::string_view s) const {
  return static_cast<size_t>(XXH3_64bits(s.data(), s.size()));
}

core::Result<BpeRanks> BpeRanks::parse(std::string_view text) {
  BpeRanks ranks;
  size_t line_no = 0;
  while (!text.empty()) {
    ++line_no;
    const size_t eol = text.find('\n');
    std::string_view line = text.substr(0, eol);
    text.remove_prefix(eol == std::string_view::npos ? text.size() : eol + 1);
    if (line.empty()) continue;
    const size_t space = line.find(' ');
    Rank rank = 0;
    const std::string_view rank_text = space == std::string_view::npos ? "" : line.substr(space + 1);
    const auto [ptr, ec] = std::from_chars(rank_text.data(), rank_text.data() + rank_text.size(), rank);
    if (rank_text.empty() || ec != std::errc() || ptr != rank_text.data() + rank_text.size() || rank == kNoRank) {
      return core::Error::invalidArgument("rank file line " + std::to_string(line_no) + ": expected '<base64> <rank>'");
    }
    auto bytes = decodeBase64(line.substr(0, space));
    if (!bytes) {
      return core::Error::invalidArgument("rank file line " + std::to_string(line_no) + ": " + bytes.error().message);
    }
    if (rank >= ranks.tokens_.size()) ranks.tokens_.resize(static_cast<size_t>(rank) + 1);
    ranks.tokens_[rank] = *bytes;
    if (!ranks.ranks_.emplace(std::move(*bytes), rank).second) {
      return core::Error::invalidArgument("rank file line " + std::to_string(line_no) + ": duplicate token");
    }
  }
  for (int b = 0; b < 256; ++b) {
    if (ranks.rankOf(std::string(1, static_cast<char>(b))) == kNoRank) {
      return core::Error::invalidArgument("rank file lacks the single byte " + std::to_string(b));
    }
  }
  return ranks;
}

Rank BpeRanks::rankOf(std::string_view bytes) const {
  const auto it = ranks_.find(bytes);
  return it == ranks_.end() ? kNoRank : it->second;
}

std::string_view BpeRanks::bytesOf(Rank rank) const {
  return rank < tokens_.size() ? std::string_view(tokens_[rank]) : std::string_view();
}

std::vector<size_t> BpeRanks::merge(std::string_view piece, MergeWork* work) const {
  return piece.size() >= kHeapMergeMinBytes ? mergeByHeap(piece, work) : mergeByScan(piece, work);
}

void BpeRanks::encodePiece(std::string_view piece, std::vector<Rank>& out) const {
  if (const Rank whole = rankOf(piece); whole != kNoRank) {
    out.push_back(whole);
    return;
  }
  const std::vector<size_t> bounds = merge(piece);
  for (size_t k = 0; k + 1 < bounds.size(); ++k) {
    out.push_back(rankOf(piece.substr(bounds[k], bounds[k + 1] - bounds[k])));
  }
}

size_t BpeRanks::countPiece(std::string_view piece, MergeWork* work) const {
  if (work) ++work->steps;
  if (rankOf(piece) != kNoRank) return 1;
  return merge(piece, work).size() - 1;
}

// tiktoken's merge: parts[k] is where part k starts, and pair_rank[k] the rank
// of part k joined with part k+1.
std::vector<size_t> BpeRanks::mergeByScan(std::string_view piece, MergeWork* work) const {
  size_t steps = 0;
  std::vector<size_t> parts(piece.size() + 1);
  for (size_t k = 0; k <= piece.size(); ++k) parts[k] = k;
  std::vector<Rank> pair_rank(piece.size(), kNoRank);
  auto rankAt = [&](size_t k) {
    if (k + 2 >= parts.size()) return kNoRank;
    ++steps;
    return rankOf(piece.substr(parts[k], parts[k + 2] - parts[k]));
  };
  for (size_t k = 0; k + 1 < piece.size(); ++k) pair_rank[k] = rankAt(k);
  while (parts.size() > 2) {
    size_t best = 0;
    Rank best_rank = kNoRank;
    for (size_t k = 0; k + 2 < parts.size(); ++k) {
      ++steps;
      if (pair_rank[k] < best_rank) {
        best_rank = pair_rank[k];
        best = k;
      }
    }
    if (best_rank == kNoRank) break;
    parts.erase(parts.begin() + static_cast<std::ptrdiff_t>(best) + 1);
    pair_rank.erase(pair_rank.begin() + static_cast<std::ptrdiff_t>(best) + 1);
    pair_rank[best] = rankAt(best);
    if (best > 0) pair_rank[best - 1] = rankAt(best - 1);
  }
  if (work) work->steps += steps;
  return parts;
}

// The same merge order with a min-heap of candidate pairs keyed by (rank,
// start). Entries go stale when a neighbour merges; a stale entry is known by
// its recorded end no longer being the end of the pair it names.
std::vector<size_t> BpeRanks::mergeByHeap(std::string_view piece, MergeWork* work) const {
  const size_t n = piece.size();
  size_t steps = 0;
  std::vector<size_t> next(n);  // start of the following part (n at the end)
  std::vector<size_t> prev(n);  // start of the preceding part (n for none)
  std::vector<bool> alive(n, true);
  for (size_t k = 0; k < n; ++k) {
    next[k] = k + 1;
    prev[k] = k == 0 ? n : k - 1;
  }
  struct Candidate {
    uint64_t key;  // rank << 32 | start
    size_t end;
    bool operator>(const Candidate& o) const { return key > o.key; }
  };
  std::priority_queue<Candidate, std::vector<Candidate>, std::greater<>> heap;
  auto pairEnd = [&](size_t start) { return next[start] < n ? next[next[start]] : n + 1; };
  auto push = [&](size_t start) {
    const size_t end = pairEnd(start);
    if (end > n) return;
    ++steps;
    const Rank r = rankOf(piece.substr(start, end - start));
    if (r != kNoRank) heap.push({(uint64_t{r} << 32) | start, end});
  };
  for (size_t k = 0; k + 1 < n; ++k) push(k);
  while (!heap.empty()) {
    const Candidate c = heap.top();
    heap.pop();
    ++steps;
    const size_t start = static_cast<size_t>(c.key & 0xFFFFFFFFu);
    if (!alive[start] || pairEnd(start) != c.end) continue;
    const size_t gone = next[start];
    alive[gone] = false;
    next[start] = next[gone];
    if (next[start] < n) prev[next[start]] = start;
    push(start);
    if (prev[start] != n) push(prev[start]);
  }
  std::vector<size_t> bounds;
  for (size_t k = 0; k < n; k = next[k]) bounds.push_back(k);
  bounds.push_back(n);
  if (work) work->steps += steps;
  return bounds;
}

}  // namespace codecrew::llm::tokenizer
