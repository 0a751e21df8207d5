#include "tools/semantic/embedding_cache.h"

#include "core/crypto.h"

#include <unistd.h>
#include <cstring>

namespace codecrew::tools {
namespace embedding_cache_detail {

constexpr std::string_view kMagic = "CCEMB1\n";

std::string unhex(const std::string& hex) {
  std::string out(hex.size() / 2, '\0');
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<char>(std::stoi(hex.substr(2 * i, 2), nullptr, 16));
  return out;
}

}  // namespace embedding_cache_detail

core::Result<EmbeddingCache> EmbeddingCache::open(const std::filesystem::path& file) {
  using namespace embedding_cache_detail;
  std::error_code ec;
  std::filesystem::create_directories(file.parent_path(), ec);
  EmbeddingCache cache;
  cache.path_ = file;
  cache.file_ = std::fopen(file.c_str(), "a+b");
  if (!cache.file_) return core::Error::internal("cannot open the embedding cache " + file.string());
  std::fseek(cache.file_, 0, SEEK_END);
  if (std::ftell(cache.file_) == 0) {
    if (std::fwrite(kMagic.data(), 1, kMagic.size(), cache.file_) != kMagic.size() || std::fflush(cache.file_) != 0)
      return core::Error::internal("cannot write the embedding cache " + file.string());
  }
  std::fseek(cache.file_, 0, SEEK_SET);
  char magic[7] = {};
  if (std::fread(magic, 1, sizeof magic, cache.file_) != sizeof magic || std::string_view(magic, 7) != kMagic)
    return core::Error::internal("not an embedding cache: " + file.string());
  cache.validEnd_ = kMagic.size();
  if (auto r = cache.refresh(); !r.ok()) return r.error();
  return cache;
}

EmbeddingCache::EmbeddingCache(EmbeddingCache&& other) noexcept
    : file_(std::exchange(other.file_, nullptr)),
      path_(std::move(other.path_)),
      validEnd_(other.validEnd_),
      offsets_(std::move(other.offsets_)) {}

EmbeddingCache& EmbeddingCache::operator=(EmbeddingCache&& other) noexcept {
  if (this != &other) {
    if (file_) std::fclose(file_);
    file_ = std::exchange(other.file_, nullptr);
    path_ = std::move(other.path_);
    validEnd_ = other.validEnd_;
    offsets_ = std::move(other.offsets_);
  }
  return *this;
}

EmbeddingCache::~EmbeddingCache() {
  if (file_) std::fclose(file_);
}

std::string EmbeddingCache::keyOf(const std::string& model, std::string_view text) {
  std::string material = model;
  material += '\0';
  material.append(text);
  return embedding_cache_detail::unhex(core::sha256Hex(material));
}

core::Status EmbeddingCache::refresh() {
  std::fseek(file_, static_cast<long>(validEnd_), SEEK_SET);
  while (true) {
    char key[32];
    std::uint32_t dims = 0;
    if (std::fread(key, 1, 32, file_) != 32 || std::fread(&dims, sizeof dims, 1, file_) != 1) break;
    if (dims == 0 || dims > 65536) break;
    std::uint64_t at = validEnd_ + 32;
    if (std::fseek(file_, static_cast<long>(dims * sizeof(float)), SEEK_CUR) != 0) break;
    long end = std::ftell(file_);
    std::fseek(file_, 0, SEEK_END);
    if (std::ftell(file_) < end) break;  // a torn record
    std::fseek(file_, end, SEEK_SET);
    offsets_[std::string(key, 32)] = at;
    validEnd_ = static_cast<std::uint64_t>(end);
  }
  std::clearerr(file_);
  return {};
}

std::optional<std::vector<float>> EmbeddingCache::find(const std::string& key) {
  auto it = offsets_.find(key);
  if (it == offsets_.end()) return std::nullopt;
  std::fseek(file_, static_cast<long>(it->second), SEEK_SET);
  std::uint32_t dims = 0;
  if (std::fread(&dims, sizeof dims, 1, file_) != 1) return std::nullopt;
  std::vector<float> v(dims);
  if (std::fread(v.data(), sizeof(float), dims, file_) != dims) return std::nullopt;
  return v;
}

core::Status EmbeddingCache::put(const std::string& key, const std::vector<float>& vector) {
  if (key.size() != 32 || vector.empty()) return core::Error::invalidArgument("bad embedding cache record");
  if (auto r = refresh(); !r.ok()) return r;
  // Overwrite a torn tail, if any, then append.
  if (::truncate(path_.c_str(), static_cast<off_t>(validEnd_)) != 0)
    return core::Error::internal("cannot write the embedding cache " + path_.string());
  std::fseek(file_, 0, SEEK_END);
  std::uint32_t dims = static_cast<std::uint32_t>(vector.size());
  bool ok = std::fwrite(key.data(), 1, 32, file_) == 32 && std::fwrite(&dims, sizeof dims, 1, file_) == 1 &&
            std::fwrite(vector.data(), sizeof(float), dims, file_) == dims && std::fflush(file_) == 0;
  if (!ok) return core::Error::internal("cannot write the embedding cache " + path_.string());
  offsets_[key] = validEnd_ + 32;
  validEnd_ += 32 + sizeof dims + dims * sizeof(float);
  return {};
}

}  // namespace codecrew::tools
