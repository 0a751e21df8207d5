#include "code/change_compaction.h"

#include <cassert>
#include <cstdint>
#include <limits>
#include <vector>

namespace codecrew::code {

namespace {

constexpr size_t kNoPosition = std::numeric_limits<size_t>::max();

// One side of the problem. A group is a maximal run of changed lines, possibly
// empty; the k-th group of one side sits between the same unchanged lines as
// the k-th group of the other side.
struct Side {
  const std::vector<uint32_t>& lines;
  std::vector<uint8_t>& changed;
  size_t size() const { return lines.size(); }
};

struct Group {
  size_t start = 0;
  size_t end = 0;
  bool empty() const { return start == end; }
};

Group firstGroup(const Side& s) {
  Group g;
  while (g.end < s.size() && s.changed[g.end]) ++g.end;
  return g;
}

bool nextGroup(const Side& s, Group& g) {
  if (g.end == s.size()) return false;
  g.start = g.end + 1;
  g.end = g.start;
  while (g.end < s.size() && s.changed[g.end]) ++g.end;
  return true;
}

bool previousGroup(const Side& s, Group& g) {
  if (g.start == 0) return false;
  g.end = g.start - 1;
  g.start = g.end;
  while (g.start > 0 && s.changed[g.start - 1]) --g.start;
  return true;
}

bool slideDown(Side& s, Group& g) {
  if (g.end >= s.size() || s.lines[g.start] != s.lines[g.end]) return false;
  s.changed[g.start++] = 0;
  s.changed[g.end++] = 1;
  while (g.end < s.size() && s.changed[g.end]) ++g.end;
  return true;
}

bool slideUp(Side& s, Group& g) {
  if (g.start == 0 || s.lines[g.start - 1] != s.lines[g.end - 1]) return false;
  s.changed[--g.start] = 1;
  s.changed[--g.end] = 0;
  while (g.start > 0 && s.changed[g.start - 1]) --g.start;
  return true;
}

// Moves one non-empty group to its final place; `other` tracks the matching
// group of the other side.
void placeGroup(Side& side, Group& g, const Side& other, Group& go) {
  size_t earliestEnd = 0;
  size_t endMatchingOther = kNoPosition;
  size_t groupSize = 0;
  do {
    groupSize = g.end - g.start;
    endMatchingOther = kNoPosition;
    while (slideUp(side, g)) {
      [[maybe_unused]] bool moved = previousGroup(other, go);
      assert(moved);
    }
    earliestEnd = g.end;
    if (!go.empty()) endMatchingOther = g.end;
    while (slideDown(side, g)) {
      [[maybe_unused]] bool moved = nextGroup(other, go);
      assert(moved);
      if (!go.empty()) endMatchingOther = g.end;
    }
  } while (groupSize != g.end - g.start);
  if (g.end == earliestEnd || endMatchingOther == kNoPosition) return;
  while (go.empty()) {
    [[maybe_unused]] bool slid = slideUp(side, g);
    assert(slid);
    [[maybe_unused]] bool moved = previousGroup(other, go);
    assert(moved);
  }
}

void compactSide(Side side, Side other) {
  Group g = firstGroup(side);
  Group go = firstGroup(other);
  while (true) {
    if (!g.empty()) placeGroup(side, g, other, go);
    if (!nextGroup(side, g)) break;
    [[maybe_unused]] bool moved = nextGroup(other, go);
    assert(moved);
  }
}

}  // namespace

void compactChanges(DiffProblem& problem) {
  compactSide({problem.a, problem.changedA}, {problem.b, problem.changedB});
  compactSide({problem.b, problem.changedB}, {problem.a, problem.changedA});
}

}  // namespace codecrew::code
