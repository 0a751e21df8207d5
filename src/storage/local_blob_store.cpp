#include "storage/local_blob_store.h"

#include "core/crypto.h"
#include "storage/blob_keys.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

#include <fcntl.h>
#include <unistd.h>

namespace codecrew::storage {
namespace fs = std::filesystem;

namespace {

core::Error ioError(const std::string& what, const fs::path& path, int err) {
  return core::Error::unavailable(what + " " + path.string() + ": " + std::strerror(err));
}

// Writes all of `bytes` to a new file and flushes it to disk.
core::Status writeDurably(const fs::path& path, const std::string& bytes) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return ioError("cannot create", path, errno);
  std::size_t done = 0;
  while (done < bytes.size()) {
    auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return ioError("cannot write", path, err);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) {
    int err = errno;
    ::close(fd);
    return ioError("cannot flush", path, err);
  }
  if (::close(fd) != 0) return ioError("cannot close", path, errno);
  return core::okStatus();
}

}  // namespace

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
  fs::path tmp = *path;
  tmp += ".tmp-" + core::uniqueHex(8);
  if (auto ok = writeDurably(tmp, bytes); !ok) {
    fs::remove(tmp, ec);
    return ok.error();
  }
  fs::rename(tmp, *path, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(tmp, ignored);
    return core::Error::unavailable("cannot rename into " + path->string() + ": " + ec.message());
  }
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
