#include "storage/local_blob_store.h"

#include "core/atomic_file.h"
#include "core/crypto.h"
#include "storage/blob_keys.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

namespace codecrew::storage {
namespace fs = std::filesystem;

LocalBlobStore::LocalBlobStore(fs::path root) : root_(std::move(root)) {}

std::string LocalBlobStore::uri(std::string_view key) const { return "file:" + std::string(key); }

core::Result<fs::path> LocalBlobStore::pathOf(const std::string& key) const {
  if (auto ok = checkBlobKey(key); !ok) return ok.error();
  return root_ / fs::path(key);
}

core::Result<BlobInfo> LocalBlobStore::putNow(const std::string& key, const std::string& bytes,
                                              const std::string& content_type) {
  auto path = pathOf(key);
  if (!path) return path.error();
  std::error_code ec;
  fs::create_directories(path->parent_path(), ec);
  if (ec) return core::Error::unavailable("cannot create " + path->parent_path().string() + ": " + ec.message());
  if (auto ok = core::writeFileAtomically(*path, bytes); !ok) return ok.error();
  BlobInfo info;
  info.key = key;
  info.uri = uri(key);
  info.sha256 = core::sha256Hex(bytes);
  info.size = bytes.size();
  info.etag = info.sha256;
  info.content_type = content_type.empty() ? contentTypeOf(key) : content_type;
  return info;
}

core::Result<BlobInfo> LocalBlobStore::headNow(const std::string& key) const {
  auto path = pathOf(key);
  if (!path) return path.error();
  std::error_code ec;
  auto status = fs::status(*path, ec);
  if (ec || !fs::is_regular_file(status)) {
    if (ec && ec != std::errc::no_such_file_or_directory && ec != std::errc::not_a_directory)
      return core::Error::unavailable("cannot read " + path->string() + ": " + ec.message());
    return core::Error::notFound("no object " + key + " in the local artifact store");
  }
  auto size = fs::file_size(*path, ec);
  if (ec) return core::Error::unavailable("cannot read " + path->string() + ": " + ec.message());
  BlobInfo info;
  info.key = key;
  info.uri = uri(key);
  info.size = size;
  info.content_type = contentTypeOf(key);
  return info;
}

core::Result<BlobInfo> LocalBlobStore::getNow(const std::string& key, const BlobChunkSink& sink) const {
  auto info = headNow(key);
  if (!info) return info.error();
  auto path = root_ / fs::path(key);
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::Error::notFound("no object " + key + " in the local artifact store");
  std::string buffer(64 * 1024, '\0');
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    auto n = in.gcount();
    if (n <= 0) break;
    if (!sink(std::string_view(buffer.data(), static_cast<std::size_t>(n)))) break;
  }
  if (in.bad()) return core::Error::unavailable("cannot read " + path.string());
  return info;
}

core::Status LocalBlobStore::removeNow(const std::string& key) {
  auto path = pathOf(key);
  if (!path) return path.error();
  std::error_code ec;
  if (!fs::remove(*path, ec)) {
    if (ec && ec != std::errc::no_such_file_or_directory && ec != std::errc::not_a_directory)
      return core::Error::unavailable("cannot remove " + path->string() + ": " + ec.message());
    return core::Error::notFound("no object " + key + " in the local artifact store");
  }
  return core::okStatus();
}

boost::asio::awaitable<core::Result<BlobInfo>> LocalBlobStore::put(std::string key, std::string bytes,
                                                                   std::string content_type) {
  co_return putNow(key, bytes, content_type);
}

boost::asio::awaitable<core::Result<BlobInfo>> LocalBlobStore::head(std::string key) { co_return headNow(key); }

boost::asio::awaitable<core::Result<BlobInfo>> LocalBlobStore::get(std::string key, BlobChunkSink sink) {
  co_return getNow(key, sink);
}

boost::asio::awaitable<core::Status> LocalBlobStore::remove(std::string key) { co_return removeNow(key); }

}  // namespace codecrew::storage
