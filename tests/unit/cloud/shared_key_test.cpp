// Azure Shared Key: the string-to-sign against Microsoft's published example
// ("Authorize with Shared Key": GET ...?restype=container&comp=metadata&timeout=20)
// and the signatures against HMAC-SHA256 computed independently (Python's
// hmac module over the same strings, with Azurite's well-known key).
#include "cloud/azure/shared_key.h"

#include <gtest/gtest.h>

namespace codecrew::cloud::azure {
namespace {

constexpr const char* kAzuriteKey =
    "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

TEST(SharedKey, StringToSignIsMicrosoftsPublishedExample) {
  http::Headers headers{{"x-ms-version", "2015-02-21"}, {"x-ms-date", "Fri, 26 Jun 2015 23:39:12 GMT"}};
  QueryParams query{{"restype", "container"}, {"comp", "metadata"}, {"timeout", "20"}};
  auto s = sharedKeyStringToSign("myaccount", "GET", "/mycontainer", query, headers);
  EXPECT_EQ(s,
            "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:Fri, 26 Jun 2015 23:39:12 GMT\nx-ms-version:2015-02-21\n"
            "/myaccount/mycontainer\ncomp:metadata\nrestype:container\ntimeout:20");
  auto auth = sharedKeyAuthorization("myaccount", kAzuriteKey, s);
  ASSERT_TRUE(auth.ok());
  EXPECT_EQ(*auth, "SharedKey myaccount:1u9lui2jDxj0+fpbHjQ5m5NnastJRSYM+PSmfi8TXx4=");
}

TEST(SharedKey, PutWithContentAndAzuriteStylePath) {
  http::Headers headers{{"X-Ms-Blob-Type", "BlockBlob"},   {"Content-Type", "text/markdown; charset=utf-8"},
                        {"Content-Length", "11"},          {"x-ms-date", "Sat, 14 Nov 2026 22:13:20 GMT"},
                        {"x-ms-version", "  2021-08-06 "}, {"User-Agent", "codecrew"}};
  auto s = sharedKeyStringToSign("devstoreaccount1", "PUT", "/devstoreaccount1/artifacts/a%20b/plan.md", {}, headers);
  EXPECT_EQ(s,
            "PUT\n\n\n11\n\ntext/markdown; charset=utf-8\n\n\n\n\n\n\nx-ms-blob-type:BlockBlob\n"
            "x-ms-date:Sat, 14 Nov 2026 22:13:20 GMT\nx-ms-version:2021-08-06\n"
            "/devstoreaccount1/devstoreaccount1/artifacts/a%20b/plan.md");
  auto auth = sharedKeyAuthorization("devstoreaccount1", kAzuriteKey, s);
  ASSERT_TRUE(auth.ok());
  EXPECT_EQ(*auth, "SharedKey devstoreaccount1:pq3OmaAKF6vmY2XslKAGKl8td0yU8foFbted6FeYaUw=");
}

TEST(SharedKey, ZeroContentLengthSignsAsEmpty) {
  http::Headers headers{{"Content-Length", "0"}};
  auto s = sharedKeyStringToSign("a", "PUT", "/c/b", {}, headers);
  EXPECT_EQ(s, "PUT\n\n\n\n\n\n\n\n\n\n\n\n/a/c/b");
}

TEST(SharedKey, RepeatedQueryValuesAreSortedAndJoined) {
  QueryParams query{{"Include", "snapshots"}, {"include", "metadata"}};
  auto s = sharedKeyStringToSign("a", "GET", "/c", query, {});
  EXPECT_TRUE(s.ends_with("/a/c\ninclude:metadata,snapshots")) << s;
}

TEST(SharedKey, AKeyThatIsNotBase64IsRefusedWithoutShowingIt) {
  auto auth = sharedKeyAuthorization("acct", "not*base64!", "x");
  ASSERT_FALSE(auth.ok());
  EXPECT_EQ(auth.error().code, core::ErrorCode::kInvalidArgument);
  EXPECT_EQ(auth.error().message.find("not*base64"), std::string::npos);
}

TEST(SharedKey, Base64RoundTrips) {
  for (std::string s : {"", "f", "fo", "foo", "foob", "fooba", "foobar"}) {
    auto back = base64Decode(base64Encode(s));
    ASSERT_TRUE(back.ok()) << s;
    EXPECT_EQ(*back, s);
  }
  EXPECT_EQ(base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_FALSE(base64Decode("abc").ok());
}

}  // namespace
}  // namespace codecrew::cloud::azure
