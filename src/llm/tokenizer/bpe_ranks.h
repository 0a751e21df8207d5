// BpeRanks: a byte-pair-encoding vocabulary (token bytes <-> rank, where the
// rank is both the token id and the merge priority) and the merge that turns
// one pre-tokenised piece into token ids, as tiktoken does it: repeatedly merge
// the adjacent pair whose concatenation has the lowest rank, leftmost first.
// Short pieces use tiktoken's own scan; long ones a heap over a linked list of
// parts, so a piece of n bytes costs O(n log n), never O(n^2).
// Thread-safety: immutable after construction; all const methods are safe
// from any thread.
#pragma once

#include "core/result.h"

#include <boost/unordered/unordered_flat_map.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace codecrew::llm::tokenizer {

using Rank = uint32_t;

class BpeRanks {
 public:
  // Parses the .tiktoken format: one "<base64 token bytes> <rank>" per line.
  static core::Result<BpeRanks> parse(std::string_view tiktoken_text);

  // The rank of exactly these bytes, or kNoRank.
  Rank rankOf(std::string_view bytes) const;
  // The bytes of a rank; empty for a rank that is not in the vocabulary.
  std::string_view bytesOf(Rank rank) const;
  size_t size() const { return ranks_.size(); }

  // A deterministic count of the work a merge did, for tests that bound how
  // the cost grows with the input without clocks: one step per rank lookup
  // and per candidate pair examined (heap pops, scan comparisons).
  struct MergeWork {
    size_t steps = 0;
  };

  // Appends the token ids of one piece (non-empty) to `out`.
  void encodePiece(std::string_view piece, std::vector<Rank>& out) const;
  // The number of tokens encodePiece would append; adds its work to `work`
  // when given.
  size_t countPiece(std::string_view piece, MergeWork* work = nullptr) const;

  // Pieces of at least this many bytes use the heap merge (public for tests
  // that compare the two merges).
  static constexpr size_t kHeapMergeMinBytes = 128;
  // The merge itself: the byte offsets where each token of the piece starts,
  // plus piece.size() at the end.
  std::vector<size_t> mergeByScan(std::string_view piece, MergeWork* work = nullptr) const;
  std::vector<size_t> mergeByHeap(std::string_view piece, MergeWork* work = nullptr) const;

  static constexpr Rank kNoRank = UINT32_MAX;

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const;
  };
  struct Equal {
    using is_transparent = void;
    bool operator()(std::string_view a, std::string_view b) const { return a == b; }
  };

  std::vector<size_t> merge(std::string_view piece, MergeWork* work = nullptr) const;

  boost::unordered_flat_map<std::string, Rank, Hash, Equal> ranks_;
  std::vector<std::string> tokens_;  // indexed by rank
};

}  // namespace codecrew::llm::tokenizer
