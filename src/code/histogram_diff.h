// HistogramDiff: git's histogram diff. It anchors the diff on the longest
// common region built around the lines that are rarest in the old side,
// recursing on both sides of it, which keeps moved blocks and repeated
// boilerplate (braces, blank lines) from producing confusing hunks. Ranges
// whose common lines are all too frequent fall back to MyersDiff.
// Thread-safety: an instance holds scratch memory; one thread per instance.
#pragma once

#include "code/diff_problem.h"
#include "code/myers_diff.h"

#include <cstdint>
#include <vector>

namespace codecrew::code {

class HistogramDiff {
 public:
  HistogramDiff(DiffProblem& problem, MyersDiff& fallback);

  // Marks changedA over `ra` and changedB over `rb`, as MyersDiff::run does.
  void run(LineRange ra, LineRange rb);

 private:
  struct Region {
    LineRange a;
    LineRange b;
  };
  enum class Outcome { kFound, kNothingCommon, kFallBack };
  struct Search {
    LineRange ra;
    LineRange rb;
    Region best;
    bool found = false;
    bool hasCommon = false;
    uint32_t bestCount = 0;
  };

  Outcome findLcs(LineRange ra, LineRange rb, Region& lcs);
  void indexOldSide(LineRange ra);
  size_t tryAnchor(size_t bPos, Search& s);

  DiffProblem& problem_;
  MyersDiff& fallback_;
  std::vector<uint32_t> stamp_;  // per line id: generation of indexOldSide that saw it
  std::vector<uint32_t> count_;  // per line id: occurrences in the indexed range
  std::vector<size_t> head_;     // per line id: first occurrence in the indexed range
  std::vector<size_t> next_;     // per old line: next occurrence of the same line
  uint32_t generation_ = 0;
};

}  // namespace codecrew::code
