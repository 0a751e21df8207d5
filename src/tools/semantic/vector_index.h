// VectorIndex: an HNSW graph (hnswlib) of unit vectors under labels, ranked
// by cosine similarity (inner product of normalised vectors). Removal marks
// a label deleted (hnswlib's markDelete); adding a label again replaces its
// vector. The capacity grows as needed. Saved to and loaded from one file.
// search() is approximate (ef = max(k, efSearch)); exactSearch() scans the
// labels it is given, for filtered queries over few candidates.
// Thread-safety: search() may run concurrently with itself; add/remove/save
// need the caller's exclusive access.
#pragma once

#include "core/result.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

namespace hnswlib {
template <typename T>
class HierarchicalNSW;
class InnerProductSpace;
}  // namespace hnswlib

namespace codecrew::tools {

struct VectorHit {
  std::uint64_t label = 0;
  float score = 0;  // cosine similarity, in [-1, 1]
};

struct VectorIndexOptions {
  std::size_t m = 16;
  std::size_t efConstruction = 100;
  std::size_t efSearch = 64;
};

class VectorIndex {
 public:
  explicit VectorIndex(std::size_t dimensions, VectorIndexOptions options = {});
  VectorIndex(VectorIndex&&) noexcept;
  VectorIndex& operator=(VectorIndex&&) noexcept;
  ~VectorIndex();

  // kNotFound when the file does not exist; kInternal when it cannot be read.
  static core::Result<VectorIndex> load(const std::filesystem::path& file, std::size_t dimensions,
                                        VectorIndexOptions options = {});
  // Writes to a temporary file and renames it over `file`.
  core::Status save(const std::filesystem::path& file) const;

  std::size_t dimensions() const { return dims_; }
  // kInvalidArgument for a vector of another length or of zero norm.
  core::Status add(std::uint64_t label, std::vector<float> vector);
  void remove(std::uint64_t label);
  bool contains(std::uint64_t label) const;
  std::size_t size() const;         // live labels
  std::size_t storedCount() const;  // live and deleted
  std::vector<VectorHit> search(const std::vector<float>& query, std::size_t k) const;
  std::vector<VectorHit> exactSearch(const std::vector<float>& query, const std::vector<std::uint64_t>& labels,
                                     std::size_t k) const;
  // The stored (normalised) vector of a live label.
  std::optional<std::vector<float>> vectorOf(std::uint64_t label) const;

  // In place: vector / |vector|; false for a zero vector.
  static bool normalise(std::vector<float>& vector);

 private:
  std::size_t dims_;
  VectorIndexOptions options_;
  std::unique_ptr<hnswlib::InnerProductSpace> space_;
  std::unique_ptr<hnswlib::HierarchicalNSW<float>> hnsw_;
  std::size_t deleted_ = 0;
};

}  // namespace codecrew::tools
