#include "storage/local_blob_store.h"

#include "core/crypto.h"
#include "run_blocking.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <fstream>

namespace codecrew::storage {
namespace {
using testing::runBlocking;

class LocalBlobStoreTest : public ::testing::Test {
 protected:
  codecrew::testing::TempDir dir_;
  LocalBlobStore store_{dir_.path() / "artifacts"};
};

TEST_F(LocalBlobStoreTest, PutHeadGetRemoveRoundTrip) {
  const std::string key = "tenants/1/workflows/2/executions/3/artifacts/x-plan.json";
  const std::string bytes = "{\"tasks\": []}";
  auto put = runBlocking(store_.put(key, bytes, ""));
  ASSERT_TRUE(put.ok()) << put.error().message;
  EXPECT_EQ(put->uri, "file:" + key);
  EXPECT_EQ(put->sha256, core::sha256Hex(bytes));
  EXPECT_EQ(put->size, bytes.size());
  EXPECT_EQ(put->content_type, "application/json");
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "artifacts" / key));

  auto head = runBlocking(store_.head(key));
  ASSERT_TRUE(head.ok());
  EXPECT_EQ(head->size, bytes.size());

  auto all = runBlocking(readAll(store_, key));
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->bytes, bytes);
  EXPECT_EQ(all->info.sha256, put->sha256);

  ASSERT_TRUE(runBlocking(store_.remove(key)).ok());
  auto gone = runBlocking(store_.head(key));
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, core::ErrorCode::kNotFound);
  auto again = runBlocking(store_.remove(key));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, core::ErrorCode::kNotFound);
}

TEST_F(LocalBlobStoreTest, RewritingReplacesWholeAndLeavesNoTemporaryFile) {
  ASSERT_TRUE(runBlocking(store_.put("a/b.md", std::string(100000, 'x'), "")).ok());
  ASSERT_TRUE(runBlocking(store_.put("a/b.md", "short", "")).ok());
  auto all = runBlocking(readAll(store_, "a/b.md"));
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->bytes, "short");
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir_.path() / "artifacts" / "a")) {
    ++files;
    EXPECT_EQ(e.path().filename(), "b.md");
  }
  EXPECT_EQ(files, 1);
}

TEST_F(LocalBlobStoreTest, GetStreamsInPiecesAndMayStop) {
  std::string big(200 * 1024, 'y');
  ASSERT_TRUE(runBlocking(store_.put("big.bin", big, "")).ok());
  int pieces = 0;
  std::size_t bytes = 0;
  BlobChunkSink sink = [&](std::string_view chunk) {
    ++pieces;
    bytes += chunk.size();
    return pieces < 2;
  };
  auto got = runBlocking(store_.get("big.bin", sink));
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(pieces, 2);
  EXPECT_LT(bytes, big.size());
  EXPECT_EQ(got->size, big.size());
}

TEST_F(LocalBlobStoreTest, KeysOutsideTheRootAreRefused) {
  for (std::string bad : std::vector<std::string>{"../escape.md", "/etc/passwd", "a/../../b"}) {
    auto put = runBlocking(store_.put(bad, "x", ""));
    ASSERT_FALSE(put.ok()) << bad;
    EXPECT_EQ(put.error().code, core::ErrorCode::kInvalidArgument);
  }
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "escape.md"));
}

TEST_F(LocalBlobStoreTest, AMissingObjectIsNotFound) {
  BlobChunkSink sink = [](std::string_view) { return true; };
  auto got = runBlocking(store_.get("nothing/here.md", sink));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, core::ErrorCode::kNotFound);
}

}  // namespace
}  // namespace codecrew::storage
