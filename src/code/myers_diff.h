// MyersDiff: Eugene Myers' O(ND) difference algorithm in its linear-space
// form (divide and conquer on the middle snake), marking the changed lines of
// a sub-range of a DiffProblem. Lines that occur on one side only are marked
// first and left out of the search, and the search cost is capped near
// sqrt(N) edits per split (as git does) so that very different inputs stay
// fast at the price of a diff that may be a little longer than minimal.
// Thread-safety: an instance holds scratch memory; one thread per instance.
#pragma once

#include "code/diff_problem.h"

#include <cstdint>
#include <vector>

namespace codecrew::code {

class MyersDiff {
 public:
  explicit MyersDiff(DiffProblem& problem);

  // Marks changedA over `ra` and changedB over `rb` so that the unmarked lines
  // of both ranges form a common subsequence.
  void run(LineRange ra, LineRange rb);

 private:
  struct Split {
    int64_t x;
    int64_t y;
  };
  void compare(int64_t off1, int64_t lim1, int64_t off2, int64_t lim2);
  Split findSplit(int64_t off1, int64_t lim1, int64_t off2, int64_t lim2);
  Split bestFrontier(int64_t off1, int64_t lim1, int64_t off2, int64_t lim2, int64_t fmin, int64_t fmax, int64_t bmin,
                     int64_t bmax) const;
  int64_t& fwd(int64_t diagonal) { return forward_[static_cast<size_t>(diagonal + diagonalBase_)]; }
  int64_t& bwd(int64_t diagonal) { return backward_[static_cast<size_t>(diagonal + diagonalBase_)]; }
  int64_t fwdAt(int64_t diagonal) const { return forward_[static_cast<size_t>(diagonal + diagonalBase_)]; }
  int64_t bwdAt(int64_t diagonal) const { return backward_[static_cast<size_t>(diagonal + diagonalBase_)]; }

  DiffProblem& problem_;
  std::vector<uint32_t> seenA_;  // generation stamps per line id
  std::vector<uint32_t> seenB_;
  uint32_t generation_ = 0;
  // The reduced sequences of the current run (lines present on both sides).
  std::vector<uint32_t> ra_, rb_;
  std::vector<size_t> mapA_, mapB_;
  std::vector<uint8_t> changedRa_, changedRb_;
  std::vector<int64_t> forward_, backward_;
  int64_t diagonalBase_ = 0;
  int64_t maxCost_ = 0;
};

}  // namespace codecrew::code
