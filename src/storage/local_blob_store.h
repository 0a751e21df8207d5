// LocalBlobStore: the default BlobStore, files under a root directory (the
// data directory's artifacts/): the key is the path below the root. A put
// writes a temporary file beside the object and renames it over it, so a
// reader sees the old bytes or the new, and a crash leaves no half object
// (a stray temporary file at worst, named <object>.tmp-<random>). Keys are
// checked (blob_keys.h): nothing is written outside the root.
// uri(key) is "file:<key>". The content type is not stored: head() and get()
// give the one the key's extension suggests.
// Thread-safety: safe from any number of threads (the file system serialises
// the renames). The calls do their file I/O inline, on the caller's thread.
#pragma once

#include "storage/blob_store.h"

#include <filesystem>

namespace codecrew::storage {

class LocalBlobStore final : public BlobStore {
 public:
  explicit LocalBlobStore(std::filesystem::path root);

  std::string_view kind() const override { return "local"; }
  std::string uri(std::string_view key) const override;
  boost::asio::awaitable<core::Result<BlobInfo>> put(std::string key, std::string bytes,
                                                     std::string content_type) override;
  boost::asio::awaitable<core::Result<BlobInfo>> head(std::string key) override;
  boost::asio::awaitable<core::Result<BlobInfo>> get(std::string key, BlobChunkSink sink) override;
  boost::asio::awaitable<core::Status> remove(std::string key) override;

  const std::filesystem::path& root() const { return root_; }

  // The synchronous bodies of the calls above.
  core::Result<BlobInfo> putNow(const std::string& key, const std::string& bytes, const std::string& content_type);
  core::Result<BlobInfo> headNow(const std::string& key) const;
  core::Result<BlobInfo> getNow(const std::string& key, const BlobChunkSink& sink) const;
  core::Status removeNow(const std::string& key);

 private:
  core::Result<std::filesystem::path> pathOf(const std::string& key) const;

  std::filesystem::path root_;
};

}  // namespace codecrew::storage
