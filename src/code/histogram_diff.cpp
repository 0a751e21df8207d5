#include "code/histogram_diff.h"

#include <algorithm>
#include <limits>

namespace codecrew::code {

namespace {
// Lines occurring more often than this in the old range never anchor a region.
constexpr uint32_t kMaxChainLength = 64;
constexpr size_t kNone = std::numeric_limits<size_t>::max();
}  // namespace

HistogramDiff::HistogramDiff(DiffProblem& problem, MyersDiff& fallback)
    : problem_(problem),
      fallback_(fallback),
      stamp_(problem.idCount, 0),
      count_(problem.idCount, 0),
      head_(problem.idCount, kNone),
      next_(problem.a.size(), kNone) {}

void HistogramDiff::run(LineRange ra, LineRange rb) {
  std::vector<std::pair<LineRange, LineRange>> stack{{ra, rb}};
  while (!stack.empty()) {
    auto [a, b] = stack.back();
    stack.pop_back();
    if (a.empty() || b.empty()) {
      problem_.markA(a.begin, a.end);
      problem_.markB(b.begin, b.end);
      continue;
    }
    Region lcs;
    switch (findLcs(a, b, lcs)) {
      case Outcome::kFallBack: fallback_.run(a, b); break;
      case Outcome::kNothingCommon:
        problem_.markA(a.begin, a.end);
        problem_.markB(b.begin, b.end);
        break;
      case Outcome::kFound:
        stack.push_back({{lcs.a.end, a.end}, {lcs.b.end, b.end}});
        stack.push_back({{a.begin, lcs.a.begin}, {b.begin, lcs.b.begin}});
        break;
    }
  }
}

void HistogramDiff::indexOldSide(LineRange ra) {
  if (++generation_ == 0) {
    std::fill(stamp_.begin(), stamp_.end(), 0);
    generation_ = 1;
  }
  const auto& a = problem_.a;
  for (size_t i = ra.end; i-- > ra.begin;) {
    uint32_t id = a[i];
    if (stamp_[id] != generation_) {
      stamp_[id] = generation_;
      count_[id] = 1;
      next_[i] = kNone;
    } else {
      ++count_[id];
      next_[i] = head_[id];
    }
    head_[id] = i;
  }
}

HistogramDiff::Outcome HistogramDiff::findLcs(LineRange ra, LineRange rb, Region& lcs) {
  indexOldSide(ra);
  Search s;
  s.ra = ra;
  s.rb = rb;
  s.bestCount = kMaxChainLength + 1;
  for (size_t bPos = rb.begin; bPos < rb.end;) bPos = tryAnchor(bPos, s);
  if (s.hasCommon && s.bestCount > kMaxChainLength) return Outcome::kFallBack;
  if (!s.found) return Outcome::kNothingCommon;
  lcs = s.best;
  return Outcome::kFound;
}

// Grows a common region around every occurrence in the old range of the line
// b[bPos], keeping the region whose rarest line is rarest (and, among equals,
// the longest). Returns the next new-side position worth trying.
size_t HistogramDiff::tryAnchor(size_t bPos, Search& s) {
  const auto& a = problem_.a;
  const auto& b = problem_.b;
  size_t bNext = bPos + 1;
  uint32_t id = b[bPos];
  if (stamp_[id] != generation_) return bNext;
  s.hasCommon = true;
  if (count_[id] > s.bestCount) return bNext;
  for (size_t as = head_[id]; as != kNone;) {
    size_t np = next_[as];
    size_t bs = bPos, ae = as, be = bPos;
    uint32_t rarest = count_[id];
    while (as > s.ra.begin && bs > s.rb.begin && a[as - 1] == b[bs - 1]) {
      --as, --bs;
      if (rarest > 1) rarest = std::min(rarest, count_[a[as]]);
    }
    while (ae + 1 < s.ra.end && be + 1 < s.rb.end && a[ae + 1] == b[be + 1]) {
      ++ae, ++be;
      if (rarest > 1) rarest = std::min(rarest, count_[a[ae]]);
    }
    bNext = std::max(bNext, be + 1);
    size_t length = ae + 1 - as;
    if (!s.found || s.best.a.size() < length || rarest < s.bestCount) {
      s.best = {{as, ae + 1}, {bs, be + 1}};
      s.bestCount = rarest;
      s.found = true;
    }
    while (np != kNone && np <= ae) np = next_[np];
    as = np;
  }
  return bNext;
}

}  // namespace codecrew::code
