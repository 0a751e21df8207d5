#include "storage/blob_store.h"

#include "core/crypto.h"

namespace codecrew::storage {

boost::asio::awaitable<core::Result<Blob>> readAll(BlobStore& store, std::string key) {
  Blob out;
  BlobChunkSink sink = [&out](std::string_view chunk) {
    out.bytes.append(chunk);
    return true;
  };
  auto info = co_await store.get(std::move(key), std::move(sink));
  if (!info) co_return info.error();
  out.info = std::move(info).value();
  out.info.size = out.bytes.size();
  out.info.sha256 = core::sha256Hex(out.bytes);
  co_return out;
}

}  // namespace codecrew::storage
