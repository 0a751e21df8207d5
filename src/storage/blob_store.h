// BlobStore: where artifacts (and, where configured, archives of finished
// workspaces) are kept: the local disk (the default), S3 or Azure Blob
// Storage, behind one interface so the engine and the API never know which.
//
// Keys are built by the server (blob_keys.h), never taken from a client:
// relative, '/'-separated, no empty, "." or ".." segments. A store may keep
// them under a prefix of its own; uri() says where a key lives in the
// store's own terms ("file:<key>", "s3://bucket/<prefix><key>",
// "azure://account/container/<prefix><key>").
//
// Contract (every method):
//  - Expected failures are Result errors, never exceptions: kNotFound for a
//    missing object (and nothing else); kInvalidArgument for a malformed key;
//    kFailedPrecondition for a store that cannot work as configured (a
//    bucket or container that does not exist, a wrong region), the message
//    saying what to change; kPermissionDenied naming the action refused;
//    kUnauthenticated for credentials the service refused (expired, wrong
//    key); kResourceExhausted when the service still throttles after the
//    retries; kUnavailable when it could not be reached. Messages never
//    carry a secret.
//  - put() is idempotent: writing the same key again replaces the object
//    whole (a reader sees the old bytes or the new, never a mix), so a
//    content-addressed key may be written again after a crash.
//  - Throttling (S3 SlowDown/503, Azure ServerBusy/503, 500s) and transport
//    failures are retried with backoff inside the call.
// Thread-safety: implementations are safe to use from any number of threads
// and coroutines at once. The coroutines may be awaited on any executor.
#pragma once

#include "core/result.h"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace codecrew::storage {

// What a store knows of one object.
struct BlobInfo {
  std::string key;
  std::string uri;           // where it lives, in the store's terms (see above)
  std::string sha256;        // lower-case hex of the bytes ("" when the store does not know it: head/get)
  std::uint64_t size = 0;    // bytes
  std::string etag;          // the store's version tag ("" when it has none)
  std::string content_type;  // as stored ("" when unknown)
};

// Called with each piece of an object's bytes, in order; false stops the read
// (the call then succeeds with what was delivered).
using BlobChunkSink = std::function<bool(std::string_view chunk)>;

class BlobStore {
 public:
  virtual ~BlobStore() = default;

  // The store's kind: "local", "s3" or "azure".
  virtual std::string_view kind() const = 0;

  // Where `key` lives (BlobInfo::uri), without asking the store.
  virtual std::string uri(std::string_view key) const = 0;

  // Writes the object whole. The info carries the bytes' sha256 and size.
  virtual boost::asio::awaitable<core::Result<BlobInfo>> put(std::string key, std::string bytes,
                                                             std::string content_type) = 0;

  // The object's size, etag and content type.
  virtual boost::asio::awaitable<core::Result<BlobInfo>> head(std::string key) = 0;

  // Streams the object's bytes to `sink`. Nothing is delivered before the
  // store answered that the object exists, so an error (kNotFound, ...) comes
  // with no byte delivered; a transfer broken half-way is kUnavailable.
  virtual boost::asio::awaitable<core::Result<BlobInfo>> get(std::string key, BlobChunkSink sink) = 0;

  // Deletes the object; removing a missing object is kNotFound.
  virtual boost::asio::awaitable<core::Status> remove(std::string key) = 0;
};

// A whole object and what the store says of it (readAll).
struct Blob {
  BlobInfo info;
  std::string bytes;
};

// get() collected into memory; info.sha256 is computed from the bytes.
boost::asio::awaitable<core::Result<Blob>> readAll(BlobStore& store, std::string key);

}  // namespace codecrew::storage
