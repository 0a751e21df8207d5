// The fake Blob service's own checks, with requests made by hand: what the
// service refuses (no authorization, a wrong signature, a missing header)
// it refuses in the service's shapes; what it accepts it keeps.
#include "fake_blob.h"

#include "support/http_client.h"

#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace codecrew::testing {
namespace {

// Signed by hand, the way Microsoft's page spells the string out.
std::string signHandMade(const std::string& key_b64, const std::string& to_sign) {
  std::string key(64, '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(key.data()),
                          reinterpret_cast<const unsigned char*>(key_b64.data()), int(key_b64.size()));
  key.resize(std::size_t(n) - 2);  // the well-known key ends with "=="
  unsigned char mac[32];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), int(key.size()), reinterpret_cast<const unsigned char*>(to_sign.data()),
       to_sign.size(), mac, &len);
  std::string out(44, '\0');
  EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), mac, int(len));
  return out;
}

class FakeBlobTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fake_.start().ok());
    fake_.createContainer("c");
  }
  FakeBlobService fake_;
};

TEST_F(FakeBlobTest, AnUnsignedRequestIsRefused) {
  HttpClient client("127.0.0.1", fake_.port());
  auto r = client.request("GET", "/devstoreaccount1/c/x.md");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.header("x-ms-error-code"), "NoAuthenticationInformation");
  EXPECT_NE(r.body.find("<Code>NoAuthenticationInformation</Code>"), std::string::npos);
}

TEST_F(FakeBlobTest, AHandSignedPutIsKeptAndAWrongSignatureIsNot) {
  const std::string date = "Mon, 07 Dec 2026 20:00:00 GMT";
  const std::string to_sign = "PUT\n\n\n5\n\ntext/plain\n\n\n\n\n\n\nx-ms-blob-type:BlockBlob\nx-ms-date:" + date +
                              "\nx-ms-version:2021-08-06\n/devstoreaccount1/devstoreaccount1/c/x.md";
  const std::string sig = signHandMade(fake_.options().key, to_sign);
  HttpClient client("127.0.0.1", fake_.port());
  HeaderList headers{{"Content-Type", "text/plain"},
                     {"x-ms-blob-type", "BlockBlob"},
                     {"x-ms-date", date},
                     {"x-ms-version", "2021-08-06"},
                     {"Authorization", "SharedKey devstoreaccount1:" + sig}};
  auto ok = client.request("PUT", "/devstoreaccount1/c/x.md", "hello", headers);
  EXPECT_EQ(ok.status, 201) << ok.body;
  ASSERT_TRUE(fake_.blob("c", "x.md").has_value());
  EXPECT_EQ(fake_.blob("c", "x.md")->bytes, "hello");

  headers.back().second = "SharedKey devstoreaccount1:" + signHandMade(fake_.options().key, to_sign + "x");
  auto bad = client.request("PUT", "/devstoreaccount1/c/x.md", "hello", headers);
  EXPECT_EQ(bad.status, 403);
  EXPECT_EQ(bad.header("x-ms-error-code"), "AuthenticationFailed");
  EXPECT_NE(bad.body.find("Server used following string to sign"), std::string::npos);

  // The body's length is signed: a different body does not pass.
  headers.back().second = "SharedKey devstoreaccount1:" + sig;
  auto longer = client.request("PUT", "/devstoreaccount1/c/x.md", "hello!", headers);
  EXPECT_EQ(longer.status, 403);
}

TEST_F(FakeBlobTest, FaultsComeFirstWithRetryAfter) {
  fake_.enqueueFault({503, "ServerBusy", "1"});
  HttpClient client("127.0.0.1", fake_.port());
  auto r = client.request("GET", "/devstoreaccount1/c/x.md");
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(r.header("Retry-After"), "1");
  EXPECT_EQ(r.header("x-ms-error-code"), "ServerBusy");
  EXPECT_EQ(client.request("GET", "/devstoreaccount1/c/x.md").status, 401);
}

}  // namespace
}  // namespace codecrew::testing
