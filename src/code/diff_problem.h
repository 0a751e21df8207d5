// DiffProblem: two files as sequences of interned line ids, and the per-line
// "changed" marks that the diff algorithms fill in. Equal ids mean byte-equal
// lines. Internal to the diff engine (line_diff.cpp and the algorithms).
// Thread-safety: a plain value; one thread works on one problem.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace codecrew::code {

struct DiffProblem {
  std::vector<uint32_t> a;
  std::vector<uint32_t> b;
  std::vector<uint8_t> changedA;  // 1 where a[i] is deleted
  std::vector<uint8_t> changedB;  // 1 where b[j] is inserted
  uint32_t idCount = 0;           // ids are in [0, idCount)

  void markA(size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) changedA[i] = 1;
  }
  void markB(size_t begin, size_t end) {
    for (size_t j = begin; j < end; ++j) changedB[j] = 1;
  }
};

// A half-open range of line indexes.
struct LineRange {
  size_t begin = 0;
  size_t end = 0;
  size_t size() const { return end - begin; }
  bool empty() const { return begin == end; }
};

}  // namespace codecrew::code
