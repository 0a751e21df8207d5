// S3BlobStore against the fake S3 (tests/fake_s3), which checks every
// request's SigV4 signature and payload hash the way S3 does.
#include "storage/s3_blob_store.h"

#include "core/crypto.h"
#include "fake_s3.h"
#include "http/client/beast_http_client.h"
#include "run_blocking.h"

#include <gtest/gtest.h>

namespace codecrew::storage {
namespace {
using std::chrono::milliseconds;
using testing::runBlocking;

class S3BlobStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fake_.start().ok());
    fake_.createBucket("arts", "eu-west-1");
  }

  S3Settings settings(std::string bucket = "arts", std::string region = "eu-west-1") const {
    S3Settings s;
    s.bucket = std::move(bucket);
    s.prefix = "cc/";
    s.region = std::move(region);
    s.endpoint = fake_.endpoint();
    s.credentials = {fake_.options().access_key_id, fake_.options().secret_access_key, ""};
    return s;
  }

  S3BlobStore store(S3Settings s) {
    BlobHttpDeps deps;
    deps.http = http_;
    deps.clock = clock_;
    deps.sleep = [this](milliseconds d) -> boost::asio::awaitable<void> {
      sleeps_.push_back(d);
      co_return;
    };
    return S3BlobStore(std::move(s), deps);
  }

  codecrew::testing::FakeS3 fake_;
  std::shared_ptr<http::HttpClient> http_ = std::make_shared<http::BeastHttpClient>();
  std::shared_ptr<core::FakeClock> clock_ = std::make_shared<core::FakeClock>();
  std::vector<milliseconds> sleeps_;
};

TEST_F(S3BlobStoreTest, PutHeadGetRemoveRoundTrip) {
  auto s = store(settings());
  const std::string key = "tenants/1/workflows/2/executions/3/artifacts/ab-plan.json";
  const std::string bytes = "{\"tasks\": [\"é\"]}";
  auto put = runBlocking(s.put(key, bytes, ""));
  ASSERT_TRUE(put.ok()) << put.error().message;
  EXPECT_EQ(put->uri, "s3://arts/cc/" + key);
  EXPECT_EQ(put->sha256, core::sha256Hex(bytes));
  auto kept = fake_.object("arts", "cc/" + key);
  ASSERT_TRUE(kept.has_value());
  EXPECT_EQ(kept->bytes, bytes);
  EXPECT_EQ(kept->content_type, "application/json");
  EXPECT_EQ(kept->metadata.at("sha256"), core::sha256Hex(bytes));

  auto head = runBlocking(s.head(key));
  ASSERT_TRUE(head.ok()) << head.error().message;
  EXPECT_EQ(head->size, bytes.size());
  EXPECT_EQ(head->sha256, core::sha256Hex(bytes));

  auto all = runBlocking(readAll(s, key));
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_EQ(all->bytes, bytes);

  ASSERT_TRUE(runBlocking(s.remove(key)).ok());
  auto gone = runBlocking(s.head(key));
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().code, core::ErrorCode::kNotFound);
  auto again = runBlocking(s.remove(key));
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, core::ErrorCode::kNotFound);
  for (const auto& r : fake_.requests()) EXPECT_TRUE(r.error_code.empty() || r.status == 404) << r.error_code;
}

TEST_F(S3BlobStoreTest, KeysThatNeedEncodingAreSignedAsSent) {
  auto s = store(settings());
  const std::string key = "dir with space/a+b=c&d~e.md";
  ASSERT_TRUE(runBlocking(s.put(key, "x", "")).ok());
  EXPECT_TRUE(fake_.object("arts", "cc/" + key).has_value());
  auto all = runBlocking(readAll(s, key));
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_EQ(all->bytes, "x");
}

TEST_F(S3BlobStoreTest, AMissingObjectIsNotFound) {
  auto s = store(settings());
  BlobChunkSink sink = [](std::string_view) { return true; };
  auto got = runBlocking(s.get("nothing.md", sink));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error().code, core::ErrorCode::kNotFound);
}

TEST_F(S3BlobStoreTest, AMissingBucketSaysSo) {
  auto s = store(settings("nope"));
  auto put = runBlocking(s.put("a.md", "x", ""));
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_NE(put.error().message.find("bucket nope does not exist"), std::string::npos) << put.error().message;
}

TEST_F(S3BlobStoreTest, TheWrongRegionNamesTheBucketsRegion) {
  auto s = store(settings("arts", "us-east-1"));
  auto put = runBlocking(s.put("a.md", "x", ""));
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, core::ErrorCode::kFailedPrecondition);
  EXPECT_NE(put.error().message.find("is in region eu-west-1, not us-east-1"), std::string::npos)
      << put.error().message;
  EXPECT_NE(put.error().message.find("region = \"eu-west-1\""), std::string::npos);
}

TEST_F(S3BlobStoreTest, AccessDeniedNamesTheAction) {
  fake_.denyAction("s3:PutObject");
  auto s = store(settings());
  auto put = runBlocking(s.put("a.md", "x", ""));
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, core::ErrorCode::kPermissionDenied);
  EXPECT_NE(put.error().message.find("s3:PutObject on arn:aws:s3:::arts/cc/a.md"), std::string::npos)
      << put.error().message;
  fake_.denyAction("s3:GetObject");
  BlobChunkSink sink = [](std::string_view) { return true; };
  auto got = runBlocking(s.get("a.md", sink));
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.error().message.find("s3:GetObject"), std::string::npos) << got.error().message;
}

TEST_F(S3BlobStoreTest, AnExpiredTokenSaysWhatToRefresh) {
  fake_.expireToken();
  auto s = store(settings());
  auto put = runBlocking(s.put("a.md", "x", ""));
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, core::ErrorCode::kUnauthenticated);
  EXPECT_NE(put.error().message.find("expired"), std::string::npos) << put.error().message;
  EXPECT_NE(put.error().message.find("AWS_SESSION_TOKEN"), std::string::npos);
}

TEST_F(S3BlobStoreTest, AWrongSecretIsASignatureMismatch) {
  auto cfg = settings();
  cfg.credentials.secret_access_key = "not-the-secret";
  auto s = store(cfg);
  auto put = runBlocking(s.put("a.md", "x", ""));
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, core::ErrorCode::kUnauthenticated);
  EXPECT_NE(put.error().message.find("AWS_SECRET_ACCESS_KEY"), std::string::npos) << put.error().message;
  EXPECT_EQ(put.error().message.find("not-the-secret"), std::string::npos);
  EXPECT_EQ(fake_.requests().back().error_code, "SignatureDoesNotMatch");
}

TEST_F(S3BlobStoreTest, AnUnknownAccessKeyIsNamed) {
  auto cfg = settings();
  cfg.credentials.access_key_id = "AKIDUNKNOWN";
  auto s = store(cfg);
  auto put = runBlocking(s.put("a.md", "x", ""));
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, core::ErrorCode::kUnauthenticated);
  EXPECT_NE(put.error().message.find("AWS_ACCESS_KEY_ID"), std::string::npos) << put.error().message;
}

TEST_F(S3BlobStoreTest, SlowDownIsTriedAgainWithBackoff) {
  fake_.enqueueFault({}, 2);
  auto s = store(settings());
  auto put = runBlocking(s.put("a.md", "x", ""));
  ASSERT_TRUE(put.ok()) << put.error().message;
  EXPECT_EQ(sleeps_.size(), 2u);
  EXPECT_EQ(fake_.requests().size(), 3u);
  EXPECT_TRUE(fake_.object("arts", "cc/a.md").has_value());
}

TEST_F(S3BlobStoreTest, ThrottlingThatLastsIsResourceExhausted) {
  fake_.enqueueFault({}, 10);
  auto s = store(settings());
  auto put = runBlocking(s.put("a.md", "x", ""));
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().code, core::ErrorCode::kResourceExhausted);
  EXPECT_NE(put.error().message.find("SlowDown"), std::string::npos) << put.error().message;
  ASSERT_EQ(sleeps_.size(), 3u);
  EXPECT_LT(sleeps_[0], sleeps_[2]);
}

TEST(S3Addressing, VirtualHostedPathStyleAndCustomEndpoints) {
  S3Settings s;
  s.bucket = "arts";
  s.region = "eu-west-1";
  s.prefix = "cc/";
  BlobHttpDeps deps;
  EXPECT_EQ(S3BlobStore(s, deps).objectUrl("a b.md"), "https://arts.s3.eu-west-1.amazonaws.com/cc/a%20b.md");
  s.path_style = true;
  EXPECT_EQ(S3BlobStore(s, deps).objectUrl("a.md"), "https://s3.eu-west-1.amazonaws.com/arts/cc/a.md");
  s.path_style = false;
  s.bucket = "my.dotted.bucket";
  EXPECT_EQ(S3BlobStore(s, deps).objectUrl("a.md"), "https://s3.eu-west-1.amazonaws.com/my.dotted.bucket/cc/a.md");
  s.bucket = "arts";
  s.endpoint = "http://127.0.0.1:9000/";
  EXPECT_EQ(S3BlobStore(s, deps).objectUrl("a.md"), "http://127.0.0.1:9000/arts/cc/a.md");
  EXPECT_EQ(S3BlobStore(s, deps).uri("a.md"), "s3://arts/cc/a.md");
}

}  // namespace
}  // namespace codecrew::storage
