// Line diff: the edit script between two sequences of lines, as ordered
// blocks of changed lines. Lines compare byte for byte, line endings included
// (see text_lines.h). Two algorithms: Myers (shortest edit script, linear
// space) and histogram (git's default-quality heuristic, the default here);
// both are followed by git-style compaction of the change runs.
// Thread-safety: pure functions over their arguments.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace codecrew::code {

enum class DiffAlgorithm { kMyers, kHistogram };

// Lines [startA, startA + countA) of the old side are replaced by lines
// [startB, startB + countB) of the new side. Either count may be zero
// (a pure insertion or deletion); then its start is where it happens.
struct ChangeBlock {
  size_t startA = 0;
  size_t countA = 0;
  size_t startB = 0;
  size_t countB = 0;
  size_t endA() const { return startA + countA; }
  size_t endB() const { return startB + countB; }
  bool operator==(const ChangeBlock&) const = default;
};

// The change blocks, in order and not touching each other, that turn `a` into
// `b`: every line outside the blocks is equal on both sides, in order. Empty
// when the sequences are equal.
std::vector<ChangeBlock> diffLines(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b,
                                   DiffAlgorithm algorithm = DiffAlgorithm::kHistogram);

}  // namespace codecrew::code
