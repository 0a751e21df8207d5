#include "storage/blob_keys.h"

#include "storage/local_blob_store.h"

#include <gtest/gtest.h>

namespace codecrew::storage {
namespace {

TEST(BlobKeys, ArtifactKeysAreAddressedByContent) {
  EXPECT_EQ(artifactKey(1, 2, 3, "abc", "plan.json"), "tenants/1/workflows/2/executions/3/artifacts/abc-plan.json");
  EXPECT_EQ(workspaceArchiveKey(1, 2, 3), "tenants/1/workflows/2/executions/3/workspace.tar.gz");
}

TEST(BlobKeys, AKindCannotLeaveItsFolder) {
  auto key = artifactKey(1, 2, 3, "abc", "../../x/y.md");
  EXPECT_EQ(key, "tenants/1/workflows/2/executions/3/artifacts/abc-.._.._x_y.md");
  EXPECT_TRUE(checkBlobKey(key).ok());
}

TEST(BlobKeys, MalformedKeysAreRefused) {
  for (std::string bad : std::vector<std::string>{"", "/abs", "a//b", "a/../b", "..", "./a", "a/", "a\\b",
                                                  std::string("a\0b", 3), std::string(1025, 'x')}) {
    auto ok = checkBlobKey(bad);
    ASSERT_FALSE(ok.ok()) << bad;
    EXPECT_EQ(ok.error().code, core::ErrorCode::kInvalidArgument);
  }
  EXPECT_TRUE(checkBlobKey("a/b.c/d..e").ok());
}

TEST(BlobKeys, TheKeyOfAUriOfThisStore) {
  LocalBlobStore store("/tmp/x");
  EXPECT_EQ(keyOfUri(store, "file:a/b.md"), "a/b.md");
  EXPECT_EQ(keyOfUri(store, "s3://bucket/a/b.md"), std::nullopt);
  EXPECT_EQ(keyOfUri(store, "file:../etc/passwd"), std::nullopt);
  EXPECT_EQ(keyOfUri(store, "git:codecrew/execution-1:docs/crew/plan.json"), std::nullopt);
}

TEST(BlobKeys, ContentTypesByExtension) {
  EXPECT_EQ(contentTypeOf("x.md"), "text/markdown; charset=utf-8");
  EXPECT_EQ(contentTypeOf("x.json"), "application/json");
  EXPECT_EQ(contentTypeOf("workspace.tar.gz"), "application/gzip");
  EXPECT_EQ(contentTypeOf("x"), "application/octet-stream");
}

}  // namespace
}  // namespace codecrew::storage
