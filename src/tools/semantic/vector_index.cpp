#include "tools/semantic/vector_index.h"

#include <hnswlib/hnswlib.h>

#include <algorithm>
#include <cmath>

namespace codecrew::tools {
namespace vector_index_detail {

constexpr std::size_t kInitialCapacity = 1024;

float dot(const float* a, const float* b, std::size_t n) {
  float s = 0;
  for (std::size_t i = 0; i < n; ++i) s += a[i] * b[i];
  return s;
}

}  // namespace vector_index_detail

VectorIndex::VectorIndex(std::size_t dimensions, VectorIndexOptions options)
    : dims_(dimensions), options_(options), space_(std::make_unique<hnswlib::InnerProductSpace>(dimensions)) {
  hnsw_ = std::make_unique<hnswlib::HierarchicalNSW<float>>(space_.get(), vector_index_detail::kInitialCapacity,
                                                            options_.m, options_.efConstruction);
  hnsw_->setEf(options_.efSearch);
}

VectorIndex::VectorIndex(VectorIndex&&) noexcept = default;
VectorIndex& VectorIndex::operator=(VectorIndex&&) noexcept = default;
VectorIndex::~VectorIndex() = default;

core::Result<VectorIndex> VectorIndex::load(const std::filesystem::path& file, std::size_t dimensions,
                                            VectorIndexOptions options) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return core::Error::notFound("no vector index at " + file.string());
  VectorIndex index(dimensions, options);
  try {
    index.hnsw_ = std::make_unique<hnswlib::HierarchicalNSW<float>>(index.space_.get(), file.string());
  } catch (const std::exception& e) {
    return core::Error::internal("cannot read the vector index " + file.string() + ": " + e.what());
  }
  index.hnsw_->setEf(options.efSearch);
  // hnswlib 0.6 does not restore its count of deleted points: count the marks.
  index.deleted_ = 0;
  for (hnswlib::tableint i = 0; i < index.hnsw_->cur_element_count; ++i)
    index.deleted_ += index.hnsw_->isMarkedDeleted(i) ? 1 : 0;
  index.hnsw_->num_deleted_ = index.deleted_;
  return index;
}

core::Status VectorIndex::save(const std::filesystem::path& file) const {
  auto tmp = file;
  tmp += ".tmp";
  try {
    hnsw_->saveIndex(tmp.string());
  } catch (const std::exception& e) {
    return core::Error::internal("cannot write the vector index " + file.string() + ": " + e.what());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, file, ec);
  if (ec) return core::Error::internal("cannot write the vector index " + file.string() + ": " + ec.message());
  return {};
}

bool VectorIndex::normalise(std::vector<float>& vector) {
  double norm = 0;
  for (float f : vector) norm += static_cast<double>(f) * f;
  if (norm <= 0) return false;
  const float inv = static_cast<float>(1.0 / std::sqrt(norm));
  for (auto& f : vector) f *= inv;
  return true;
}

core::Status VectorIndex::add(std::uint64_t label, std::vector<float> vector) {
  if (vector.size() != dims_)
    return core::Error::invalidArgument("a vector of " + std::to_string(vector.size()) + " dimensions, the index has " +
                                        std::to_string(dims_));
  if (!normalise(vector)) return core::Error::invalidArgument("a zero vector cannot be indexed");
  if (hnsw_->cur_element_count >= hnsw_->max_elements_) hnsw_->resizeIndex(hnsw_->max_elements_ * 2);
  bool wasDeleted = false;
  if (auto it = hnsw_->label_lookup_.find(label); it != hnsw_->label_lookup_.end())
    wasDeleted = hnsw_->isMarkedDeleted(it->second);
  hnsw_->addPoint(vector.data(), label);
  if (wasDeleted) --deleted_;
  return {};
}

void VectorIndex::remove(std::uint64_t label) {
  auto it = hnsw_->label_lookup_.find(label);
  if (it == hnsw_->label_lookup_.end() || hnsw_->isMarkedDeleted(it->second)) return;
  hnsw_->markDelete(label);
  ++deleted_;
}

bool VectorIndex::contains(std::uint64_t label) const {
  auto it = hnsw_->label_lookup_.find(label);
  return it != hnsw_->label_lookup_.end() && !hnsw_->isMarkedDeleted(it->second);
}

std::size_t VectorIndex::size() const { return hnsw_->cur_element_count - deleted_; }
std::size_t VectorIndex::storedCount() const { return hnsw_->cur_element_count; }

std::vector<VectorHit> VectorIndex::search(const std::vector<float>& query, std::size_t k) const {
  std::vector<VectorHit> out;
  if (query.size() != dims_ || size() == 0 || k == 0) return out;
  std::vector<float> q = query;
  if (!normalise(q)) return out;
  auto found = hnsw_->searchKnn(q.data(), std::min(k, size()));
  while (!found.empty()) {
    out.push_back({found.top().second, 1.0f - found.top().first});
    found.pop();
  }
  std::reverse(out.begin(), out.end());
  std::stable_sort(out.begin(), out.end(), [](const VectorHit& a, const VectorHit& b) {
    return a.score != b.score ? a.score > b.score : a.label < b.label;
  });
  return out;
}

std::vector<VectorHit> VectorIndex::exactSearch(const std::vector<float>& query,
                                                const std::vector<std::uint64_t>& labels, std::size_t k) const {
  std::vector<VectorHit> out;
  if (query.size() != dims_) return out;
  std::vector<float> q = query;
  if (!normalise(q)) return out;
  for (auto label : labels) {
    auto it = hnsw_->label_lookup_.find(label);
    if (it == hnsw_->label_lookup_.end() || hnsw_->isMarkedDeleted(it->second)) continue;
    const auto* data = reinterpret_cast<const float*>(hnsw_->getDataByInternalId(it->second));
    out.push_back({label, vector_index_detail::dot(q.data(), data, dims_)});
  }
  auto better = [](const VectorHit& a, const VectorHit& b) {
    return a.score != b.score ? a.score > b.score : a.label < b.label;
  };
  std::sort(out.begin(), out.end(), better);
  if (out.size() > k) out.resize(k);
  return out;
}

std::optional<std::vector<float>> VectorIndex::vectorOf(std::uint64_t label) const {
  if (!contains(label)) return std::nullopt;
  return hnsw_->getDataByLabel<float>(label);
}

}  // namespace codecrew::tools
