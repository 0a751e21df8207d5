// The fake S3's own checks, with requests signed by hand (cloud/aws/sigv4,
// itself checked against AWS's published test suite) and then tampered
// with: what S3 refuses the fake refuses, in S3's shapes.
#include "fake_s3.h"

#include "cloud/aws/sigv4.h"
#include "core/crypto.h"
#include "support/http_client.h"

#include <gtest/gtest.h>

namespace codecrew::testing {
namespace {

class FakeS3Test : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fake_.start().ok());
    fake_.createBucket("arts", "eu-west-1");
  }

  // A signed PUT of `body` (headers as the client would send them).
  HeaderList signedPut(const std::string& body, const std::string& region = "eu-west-1",
                       const std::string& secret = "") {
    http::ClientRequest req;
    req.method = "PUT";
    req.url = fake_.endpoint() + "/arts/a%20b.md";
    req.body = body;
    req.headers = {{"Content-Type", "text/markdown"}};
    cloud::aws::AwsCredentials creds{fake_.options().access_key_id,
                                     secret.empty() ? fake_.options().secret_access_key : secret, ""};
    auto sig = cloud::aws::signClientRequest(req, creds, {region, "s3", 1'765'000'000'000});
    EXPECT_TRUE(sig.ok());
    HeaderList out;
    for (const auto& [k, v] : req.headers) out.emplace_back(k, v);  // Host as signed: 127.0.0.1:<port>
    return out;
  }

  FakeS3 fake_;
};

TEST_F(FakeS3Test, ASignedPutIsKept) {
  HttpClient client("127.0.0.1", fake_.port());
  auto r = client.request("PUT", "/arts/a%20b.md", "hello", signedPut("hello"));
  EXPECT_EQ(r.status, 200) << r.body;
  auto o = fake_.object("arts", "a b.md");
  ASSERT_TRUE(o.has_value());
  EXPECT_EQ(o->bytes, "hello");
  EXPECT_EQ(o->content_type, "text/markdown");
}

TEST_F(FakeS3Test, AnUnsignedRequestIsDenied) {
  HttpClient client("127.0.0.1", fake_.port());
  auto r = client.request("GET", "/arts/x");
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.body.find("<Code>AccessDenied</Code>"), std::string::npos);
}

TEST_F(FakeS3Test, AWrongSecretDoesNotMatch) {
  HttpClient client("127.0.0.1", fake_.port());
  auto r = client.request("PUT", "/arts/a%20b.md", "hello", signedPut("hello", "eu-west-1", "another-secret"));
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.body.find("<Code>SignatureDoesNotMatch</Code>"), std::string::npos);
  EXPECT_NE(r.body.find("<CanonicalRequest>PUT\n/arts/a%20b.md"), std::string::npos) << r.body;
}

TEST_F(FakeS3Test, ABodyThatIsNotTheSignedOneIsRefused) {
  HttpClient client("127.0.0.1", fake_.port());
  auto r = client.request("PUT", "/arts/a%20b.md", "hellO", signedPut("hello"));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("<Code>XAmzContentSHA256Mismatch</Code>"), std::string::npos);
}

TEST_F(FakeS3Test, TheWrongRegionIsNamedWithTheRightOne) {
  HttpClient client("127.0.0.1", fake_.port());
  auto r = client.request("PUT", "/arts/a%20b.md", "hello", signedPut("hello", "us-east-1"));
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("<Code>AuthorizationHeaderMalformed</Code>"), std::string::npos);
  EXPECT_NE(r.body.find("<Region>eu-west-1</Region>"), std::string::npos);
  EXPECT_EQ(r.header("x-amz-bucket-region"), "eu-west-1");
}

TEST_F(FakeS3Test, FaultsComeFirst) {
  fake_.enqueueFault({});
  HttpClient client("127.0.0.1", fake_.port());
  auto r = client.request("PUT", "/arts/a%20b.md", "hello", signedPut("hello"));
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find("<Code>SlowDown</Code>"), std::string::npos);
  EXPECT_EQ(client.request("PUT", "/arts/a%20b.md", "hello", signedPut("hello")).status, 200);
}

}  // namespace
}  // namespace codecrew::testing
