#include "code/myers_diff.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace codecrew::code {

namespace {
constexpr int64_t kMinCostCap = 256;
constexpr int64_t kUnreached = std::numeric_limits<int64_t>::max();

struct Job {
  int64_t off1, lim1, off2, lim2;
};
}  // namespace

MyersDiff::MyersDiff(DiffProblem& problem)
    : problem_(problem), seenA_(problem.idCount, 0), seenB_(problem.idCount, 0) {}

void MyersDiff::run(LineRange ra, LineRange rb) {
  const auto& a = problem_.a;
  const auto& b = problem_.b;
  while (!ra.empty() && !rb.empty() && a[ra.begin] == b[rb.begin]) ++ra.begin, ++rb.begin;
  while (!ra.empty() && !rb.empty() && a[ra.end - 1] == b[rb.end - 1]) --ra.end, --rb.end;
  if (ra.empty() || rb.empty()) {
    problem_.markA(ra.begin, ra.end);
    problem_.markB(rb.begin, rb.end);
    return;
  }
  if (++generation_ == 0) {
    std::fill(seenA_.begin(), seenA_.end(), 0);
    std::fill(seenB_.begin(), seenB_.end(), 0);
    generation_ = 1;
  }
  for (size_t i = ra.begin; i < ra.end; ++i) seenA_[a[i]] = generation_;
  for (size_t j = rb.begin; j < rb.end; ++j) seenB_[b[j]] = generation_;
  // Lines without a counterpart on the other side are changes for certain.
  ra_.clear(), rb_.clear(), mapA_.clear(), mapB_.clear();
  for (size_t i = ra.begin; i < ra.end; ++i) {
    if (seenB_[a[i]] == generation_) ra_.push_back(a[i]), mapA_.push_back(i);
    else problem_.changedA[i] = 1;
  }
  for (size_t j = rb.begin; j < rb.end; ++j) {
    if (seenA_[b[j]] == generation_) rb_.push_back(b[j]), mapB_.push_back(j);
    else problem_.changedB[j] = 1;
  }
  const auto n = static_cast<int64_t>(ra_.size());
  const auto m = static_cast<int64_t>(rb_.size());
  changedRa_.assign(ra_.size(), 0);
  changedRb_.assign(rb_.size(), 0);
  forward_.resize(static_cast<size_t>(n + m + 3));
  backward_.resize(static_cast<size_t>(n + m + 3));
  diagonalBase_ = m + 1;
  maxCost_ = std::max(kMinCostCap, static_cast<int64_t>(std::sqrt(static_cast<double>(n + m + 3))));
  compare(0, n, 0, m);
  for (size_t i = 0; i < ra_.size(); ++i)
    if (changedRa_[i]) problem_.changedA[mapA_[i]] = 1;
  for (size_t j = 0; j < rb_.size(); ++j)
    if (changedRb_[j]) problem_.changedB[mapB_[j]] = 1;
}

void MyersDiff::compare(int64_t off1, int64_t lim1, int64_t off2, int64_t lim2) {
  std::vector<Job> stack{{off1, lim1, off2, lim2}};
  while (!stack.empty()) {
    Job j = stack.back();
    stack.pop_back();
    while (j.off1 < j.lim1 && j.off2 < j.lim2 && ra_[j.off1] == rb_[j.off2]) ++j.off1, ++j.off2;
    while (j.off1 < j.lim1 && j.off2 < j.lim2 && ra_[j.lim1 - 1] == rb_[j.lim2 - 1]) --j.lim1, --j.lim2;
    bool degenerate = j.off1 == j.lim1 || j.off2 == j.lim2;
    Split s{0, 0};
    if (!degenerate) {
      s = findSplit(j.off1, j.lim1, j.off2, j.lim2);
      bool atStart = s.x == j.off1 && s.y == j.off2;
      bool atEnd = s.x == j.lim1 && s.y == j.lim2;
      degenerate = atStart || atEnd;  // no progress possible: treat the rest as changed
    }
    if (degenerate) {
      for (int64_t i = j.off1; i < j.lim1; ++i) changedRa_[static_cast<size_t>(i)] = 1;
      for (int64_t k = j.off2; k < j.lim2; ++k) changedRb_[static_cast<size_t>(k)] = 1;
      continue;
    }
    stack.push_back({s.x, j.lim1, s.y, j.lim2});
    stack.push_back({j.off1, s.x, j.off2, s.y});
  }
}

// Runs the forward and backward searches one edit at a time until their
// furthest-reaching paths overlap on a diagonal; that point splits the problem
// into two halves of about half the edit cost each.
MyersDiff::Split MyersDiff::findSplit(int64_t off1, int64_t lim1, int64_t off2, int64_t lim2) {
  const int64_t dmin = off1 - lim2, dmax = lim1 - off2;
  const int64_t fmid = off1 - off2, bmid = lim1 - lim2;
  const bool odd = ((fmid - bmid) & 1) != 0;
  int64_t fmin = fmid, fmax = fmid, bmin = bmid, bmax = bmid;
  fwd(fmid) = off1;
  bwd(bmid) = lim1;
  for (int64_t cost = 1;; ++cost) {
    if (fmin > dmin) fwd(--fmin - 1) = -1;
    else ++fmin;
    if (fmax < dmax) fwd(++fmax + 1) = -1;
    else --fmax;
    for (int64_t d = fmax; d >= fmin; d -= 2) {
      int64_t i1 = fwd(d - 1) >= fwd(d + 1) ? fwd(d - 1) + 1 : fwd(d + 1);
      int64_t i2 = i1 - d;
      while (i1 < lim1 && i2 < lim2 && ra_[i1] == rb_[i2]) ++i1, ++i2;
      fwd(d) = i1;
      if (odd && bmin <= d && d <= bmax && bwd(d) <= i1) return {i1, i2};
    }
    if (bmin > dmin) bwd(--bmin - 1) = kUnreached;
    else ++bmin;
    if (bmax < dmax) bwd(++bmax + 1) = kUnreached;
    else --bmax;
    for (int64_t d = bmax; d >= bmin; d -= 2) {
      int64_t i1 = bwd(d - 1) < bwd(d + 1) ? bwd(d - 1) : bwd(d + 1) - 1;
      int64_t i2 = i1 - d;
      while (i1 > off1 && i2 > off2 && ra_[i1 - 1] == rb_[i2 - 1]) --i1, --i2;
      bwd(d) = i1;
      if (!odd && fmin <= d && d <= fmax && i1 <= fwd(d)) return {i1, i2};
    }
    if (cost >= maxCost_) return bestFrontier(off1, lim1, off2, lim2, fmin, fmax, bmin, bmax);
  }
}

// The search became too expensive: split at whichever frontier point (forward
// or backward) has advanced furthest.
MyersDiff::Split MyersDiff::bestFrontier(int64_t off1, int64_t lim1, int64_t off2, int64_t lim2, int64_t fmin,
                                         int64_t fmax, int64_t bmin, int64_t bmax) const {
  int64_t fbest = -1;
  Split fpoint{off1, off2};
  for (int64_t d = fmax; d >= fmin; d -= 2) {
    int64_t i1 = std::min(fwdAt(d), lim1);
    int64_t i2 = i1 - d;
    if (i2 > lim2) i1 = lim2 + d, i2 = lim2;
    if (i1 + i2 > fbest) fbest = i1 + i2, fpoint = {i1, i2};
  }
  int64_t bbest = kUnreached;
  Split bpoint{lim1, lim2};
  for (int64_t d = bmax; d >= bmin; d -= 2) {
    int64_t i1 = std::max(off1, bwdAt(d));
    int64_t i2 = i1 - d;
    if (i2 < off2) i1 = off2 + d, i2 = off2;
    if (i1 + i2 < bbest) bbest = i1 + i2, bpoint = {i1, i2};
  }
  return (lim1 + lim2) - bbest < fbest - (off1 + off2) ? fpoint : bpoint;
}

}  // namespace codecrew::code
