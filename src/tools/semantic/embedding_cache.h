// EmbeddingCache: vectors already paid for, keyed by sha256(model, text), so
// an unchanged chunk is never embedded twice: not by a later execution, not
// by another workspace of the same repository (the cache lives beside the
// repository's indexes, <data>/index/<repo>/embeddings.cache).
//
// On disk: an append-only file ("CCEMB1\n", then records of 32 key bytes,
// a u32 dimension count and that many little-endian float32s). Opening it
// reads the keys and offsets only (40 bytes a vector in memory); a vector is
// read back when asked for. A torn record at the end (a crash mid-append)
// is ignored and overwritten by the next append. Why a flat file and not
// SQLite: the tools layer has no database, the access pattern is "append,
// look up by key", and appends are serialised by the repository's lock
// (repository_lock.h), which every writer holds.
// Thread-safety: not thread-safe; use under the repository's lock.
#pragma once

#include "core/result.h"

#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace codecrew::tools {

class EmbeddingCache {
 public:
  // Opens (creating) the file; kInternal when it cannot be read or is not one.
  static core::Result<EmbeddingCache> open(const std::filesystem::path& file);
  EmbeddingCache(EmbeddingCache&& other) noexcept;
  EmbeddingCache& operator=(EmbeddingCache&& other) noexcept;
  ~EmbeddingCache();

  // The cache key of a text under a model (32 raw bytes).
  static std::string keyOf(const std::string& model, std::string_view text);

  std::optional<std::vector<float>> find(const std::string& key);
  // Appends; a key put again is answered with its latest vector.
  core::Status put(const std::string& key, const std::vector<float>& vector);
  // Re-reads records other processes appended since open or the last refresh.
  core::Status refresh();
  std::size_t size() const { return offsets_.size(); }

 private:
  EmbeddingCache() = default;

  std::FILE* file_ = nullptr;
  std::filesystem::path path_;
  std::uint64_t validEnd_ = 0;                              // end of the last whole record
  std::unordered_map<std::string, std::uint64_t> offsets_;  // key -> offset of its dimension count
};

}  // namespace codecrew::tools
