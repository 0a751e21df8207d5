#include "code/line_diff.h"

#include "code/change_compaction.h"
#include "code/diff_problem.h"
#include "code/histogram_diff.h"
#include "code/myers_diff.h"

#include <cassert>
#include <cstdint>
#include <functional>

namespace codecrew::code {

namespace {

// Gives every distinct line a dense id: an open-addressing table of ids
// keyed by the line's bytes.
class LineInterner {
 public:
  explicit LineInterner(size_t expected) {
    size_t capacity = 16;
    while (capacity < expected * 2) capacity <<= 1;
    slots_.assign(capacity, kEmpty);
    mask_ = capacity - 1;
    keys_.reserve(expected);
  }

  uint32_t intern(std::string_view line) {
    size_t hash = std::hash<std::string_view>{}(line);
    for (size_t i = hash & mask_;; i = (i + 1) & mask_) {
      uint32_t id = slots_[i];
      if (id == kEmpty) {
        id = static_cast<uint32_t>(keys_.size());
        keys_.push_back(line);
        slots_[i] = id;
        if (keys_.size() * 2 > slots_.size()) grow();
        return id;
      }
      if (keys_[id] == line) return id;
    }
  }

  uint32_t size() const { return static_cast<uint32_t>(keys_.size()); }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;

  void grow() {
    slots_.assign(slots_.size() * 2, kEmpty);
    mask_ = slots_.size() - 1;
    for (uint32_t id = 0; id < keys_.size(); ++id) {
      size_t i = std::hash<std::string_view>{}(keys_[id]) & mask_;
      while (slots_[i] != kEmpty) i = (i + 1) & mask_;
      slots_[i] = id;
    }
  }

  std::vector<uint32_t> slots_;
  std::vector<std::string_view> keys_;
  size_t mask_ = 0;
};

DiffProblem internProblem(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  DiffProblem p;
  LineInterner interner(a.size() + b.size());
  p.a.reserve(a.size());
  p.b.reserve(b.size());
  for (auto line : a) p.a.push_back(interner.intern(line));
  for (auto line : b) p.b.push_back(interner.intern(line));
  p.idCount = interner.size();
  p.changedA.assign(a.size(), 0);
  p.changedB.assign(b.size(), 0);
  return p;
}

std::vector<ChangeBlock> collectBlocks(const DiffProblem& p) {
  std::vector<ChangeBlock> blocks;
  size_t i = 0, j = 0;
  const size_t n = p.a.size(), m = p.b.size();
  while (i < n || j < m) {
    if (i < n && j < m && !p.changedA[i] && !p.changedB[j]) {
      ++i, ++j;
      continue;
    }
    ChangeBlock block{i, 0, j, 0};
    while (i < n && p.changedA[i]) ++i;
    while (j < m && p.changedB[j]) ++j;
    block.countA = i - block.startA;
    block.countB = j - block.startB;
    // Both sides have the same number of unchanged lines, so a block is
    // never empty; anything else is a bug in an algorithm.
    assert(block.countA + block.countB > 0);
    if (block.countA + block.countB == 0) break;
    blocks.push_back(block);
  }
  return blocks;
}

}  // namespace

std::vector<ChangeBlock> diffLines(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b,
                                   DiffAlgorithm algorithm) {
  DiffProblem p = internProblem(a, b);
  // The histogram search starts from the whole files, as git's does; Myers
  // trims the common prefix and suffix itself.
  LineRange ra{0, p.a.size()}, rb{0, p.b.size()};
  MyersDiff myers(p);
  if (algorithm == DiffAlgorithm::kHistogram) {
    HistogramDiff histogram(p, myers);
    histogram.run(ra, rb);
  } else {
    myers.run(ra, rb);
  }
  compactChanges(p);
  return collectBlocks(p);
}

}  // namespace codecrew::code
