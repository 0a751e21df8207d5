// AzureBlobStore against the fake Blob service (tests/fake_blob), which
// checks every request's Shared Key signature or SAS token the way the
// service does.
#include "storage/azure_blob_store.h"

#include "core/crypto.h"
#include "fake_blob.h"
#include "http/client/beast_http_client.h"
#include "run_blocking.h"

#include <gtest/gtest.h>

namespace codecrew::storage {
namespace {
using std::chrono::milliseconds;
using testing::runBlocking;

class AzureBlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fake_.start().ok());
    fake_.createContainer("artifacts");
  }

  AzureBlobSettings settings(std::string container = "artifacts") const {
    AzureBlobSettings s;
    s.account = fake_.options().account;
    s.endpoint = fake_.baseUrl();
    s.container = std::move(container);
    s.prefix = "cc/";
    s.key = fake_.options().key;
    return s;
  }

  AzureBlobStore store(AzureBlobSettings s) {
    BlobHttpDeps deps;
    deps.http = http_;
    deps.clock = clock_;
    deps.sleep = [this](milliseconds d) -> boost::asio::awaitable<void> {
      sleeps_.push_back(d);
      co_return;
    };
    return AzureBlobStore(std::move(s), deps);
  }

  codecrew::testing::FakeBlobService fake_;
  std::shared_ptr<http::HttpClient> http_ = std::make_shared<http::BeastHttpClient>();
  std::shared_ptr<core::FakeClock> clock_ = std::make_shared<core::FakeClock>();
  std::vector<milliseconds> sleeps_;
};

TEST_F(AzureBlobStoreTest, PutHeadGetRemoveWithSharedKey) {
  auto s = store(settings());
  const std::string key = "tenants/1/workflows/2/executions/3/artifacts/ab-design.md";
  const std::string bytes = "# Design\n\nA box with a name that needs encoding: é";
  auto put = runBlocking(s.put(key, bytes, ""));
  ASSERT_TRUE(put.ok()) << put.error().message;
  EXPECT_EQ(put->uri, "azure://devstoreaccount1/artifacts/cc/" + key);
  EXPECT_EQ(put->sha256, core::sha256Hex(bytes));
  EXPECT_FALSE(put->etag.empty());

  auto kept = fake_.blob("artifacts", "cc/" + key);
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->bytes, bytes);
  EXPECT_EQ(kept->content_type, "text/markdown; charset=utf-8");
  EXPECT_EQ(kept->metadata.at("sha256"), core::sha256Hex(bytes));

  auto head = runBlocking(s.head(key));
  ASSERT_TRUE(head.ok()) << head.error().message;
  EXPECT_EQ(head->size, bytes.size());
  EXPECT_EQ(head->sha256, core::sha256Hex(bytes));
  EXPECT_EQ(head->content_type, "text/markdown; charset=utf-8");

  auto all = runBlocking(readAll(s, key));
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_EQ(all->bytes, bytes);

  ASSERT_TRUE(runBlocking(s.remove(key)).ok());
  auto gone = runBlocking(s.head(key));
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, core::ErrorCode::kNotFound);
  for (const auto& r : fake_.requests()) EXPECT_EQ(r.auth, "shared_key") << r.method << " " << r.target;
}

TEST_F(AzureBlobStoreTest, AKeyWithSpecialCharactersIsSignedAsEncoded) {
  auto s = store(settings());
  const std::string key = "dir with space/a+b=c&d.md";
  ASSERT_TRUE(runBlocking(s.put(key, "x", "")).ok());
  EXPECT_TRUE(fake_.blob("artifacts", "cc/" + key).has_value());
  auto all = runBlocking(readAll(s, key));
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_EQ(all->bytes, "x");
}

TEST_F(AzureBlobStoreTest, AWrongKeyIsRefusedAsTheServiceDoes) {
  auto cfg = settings();
  cfg.key = "d3Jvbmcga2V5IHdyb25nIGtleSB3cm9uZyBrZXk=";
  auto s = store(cfg);
  auto put = runBlocking(s.put("a.md", "x", ""));
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, core::ErrorCode::kUnauthenticated);
  EXPECT_NE(put.error().message.find("AuthenticationFailed"), std::string::npos) << put.error().message;
  EXPECT_NE(put.error().message.find("AZURE_STORAGE_KEY"), std::string::npos);
  EXPECT_EQ(put.error().message.find(cfg.key), std::string::npos);
  EXPECT_EQ(fake_.requests().back().error_code, "AuthenticationFailed");
}

TEST_F(AzureBlobStoreTest, AMissingContainerSaysWhichAndHowToCreateIt) {
  auto s = store(settings("nope"));
  auto put = runBlocking(s.put("a.md", "x", ""));
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_NE(put.error().message.find("container nope of storage account devstoreaccount1 does not exist"),
            std::string::npos)
      << put.error().message;
}

TEST_F(AzureBlobStoreTest, ADeniedActionIsNamed) {
  fake_.denyAction("write");
  auto s = store(settings());
  auto put = runBlocking(s.put("a.md", "x", ""));
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, core::ErrorCode::kPermissionDenied);
  EXPECT_NE(put.error().message.find("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write"),
            std::string::npos)
      << put.error().message;
  EXPECT_NE(put.error().message.find("AuthorizationPermissionMismatch"), std::string::npos);
}

TEST_F(AzureBlobStoreTest, ServerBusyIsTriedAgainHonouringRetryAfter) {
  fake_.enqueueFault({503, "ServerBusy", "2"}, 2);
  auto s = store(settings());
  auto put = runBlocking(s.put("a.md", "x", ""));
  ASSERT_TRUE(put.ok()) << put.error().message;
  EXPECT_EQ(sleeps_, (std::vector<milliseconds>{milliseconds(2000), milliseconds(2000)}));
  EXPECT_EQ(fake_.requests().size(), 3u);
}

TEST_F(AzureBlobStoreTest, ThrottlingThatLastsIsResourceExhausted) {
  fake_.enqueueFault({503, "ServerBusy", ""}, 10);
  auto s = store(settings());
  auto put = runBlocking(s.put("a.md", "x", ""));
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, core::ErrorCode::kResourceExhausted);
  EXPECT_NE(put.error().message.find("ServerBusy"), std::string::npos) << put.error().message;
  EXPECT_EQ(fake_.requests().size(), 4u);
  ASSERT_EQ(sleeps_.size(), 3u);
  EXPECT_LT(sleeps_[0], sleeps_[2]);  // backing off
}

TEST_F(AzureBlobStoreTest, SasTokenRoundTrip) {
  auto cfg = settings();
  cfg.key.clear();
  cfg.sas = fake_.makeContainerSas("artifacts", "rwd", "2099-01-01T00:00:00Z");
  auto s = store(cfg);
  ASSERT_TRUE(runBlocking(s.put("a.md", "hello", "")).ok());
  auto all = runBlocking(readAll(s, "a.md"));
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_EQ(all->bytes, "hello");
  ASSERT_TRUE(runBlocking(s.remove("a.md")).ok());
  for (const auto& r : fake_.requests()) EXPECT_EQ(r.auth, "sas");
}

TEST_F(AzureBlobStoreTest, AnExpiredSasTokenSaysSo) {
  auto cfg = settings();
  cfg.key.clear();
  cfg.sas = fake_.makeContainerSas("artifacts", "rw", "2001-01-01T00:00:00Z");
  auto s = store(cfg);
  auto put = runBlocking(s.put("a.md", "x", ""));
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, core::ErrorCode::kUnauthenticated);
  EXPECT_NE(put.error().message.find("expired"), std::string::npos) << put.error().message;
}

TEST_F(AzureBlobStoreTest, ASasWithoutThePermissionIsDenied) {
  auto cfg = settings();
  cfg.key.clear();
  cfg.sas = fake_.makeContainerSas("artifacts", "r", "2099-01-01T00:00:00Z");
  auto s = store(cfg);
  auto put = runBlocking(s.put("a.md", "x", ""));
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, core::ErrorCode::kPermissionDenied);
  EXPECT_NE(put.error().message.find("'w' permission"), std::string::npos) << put.error().message;
}

TEST_F(AzureBlobStoreTest, ATamperedSasIsRefused) {
  auto cfg = settings();
  cfg.key.clear();
  cfg.sas = fake_.makeContainerSas("artifacts", "r", "2099-01-01T00:00:00Z");
  auto at = cfg.sas.find("sp=r");
  cfg.sas.replace(at, 4, "sp=rw");
  auto s = store(cfg);
  auto put = runBlocking(s.put("a.md", "x", ""));
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, core::ErrorCode::kUnauthenticated);
}

TEST_F(AzureBlobStoreTest, AnUnreachableServiceIsUnavailableAfterRetries) {
  auto cfg = settings();
  fake_.stop();
  auto s = store(cfg);
  auto put = runBlocking(s.put("a.md", "x", ""));
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, core::ErrorCode::kUnavailable);
  EXPECT_EQ(sleeps_.size(), 3u);
}

}  // namespace
}  // namespace codecrew::storage
