// SigV4 against AWS's published test vectors (tests/data/sigv4/README.md):
// for each case the canonical request, the string to sign (where published)
// and the Authorization header must match byte for byte.
#include "cloud/aws/sigv4.h"

#include "core/crypto.h"
#include "core/time_format.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace codecrew::cloud::aws {
namespace {

namespace fs = std::filesystem;

fs::path vectorDir() { return fs::path(__FILE__).parent_path().parent_path().parent_path() / "data" / "sigv4"; }

std::optional<std::string> readVector(const std::string& name, const std::string& ext) {
  std::ifstream in(vectorDir() / (name + ext), std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Parses the suite's .req layout into a signing request.
SigningRequest parseReq(const std::string& text, std::string& body) {
  SigningRequest out;
  auto line_end = text.find('\n');
  std::string line = text.substr(0, line_end);
  auto first_space = line.find(' ');
  auto http = line.rfind(" HTTP/1.1");
  out.method = line.substr(0, first_space);
  std::string target = line.substr(first_space + 1, http - first_space - 1);
  auto q = target.find('?');
  out.path = target.substr(0, q);
  if (q != std::string::npos) out.query = target.substr(q + 1);
  std::size_t at = line_end + 1;
  while (at < text.size()) {
    auto end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    std::string header = text.substr(at, end - at);
    at = end + 1;
    if (header.empty()) break;
    auto colon = header.find(':');
    out.headers.emplace_back(header.substr(0, colon), header.substr(colon + 1));
  }
  body = at < text.size() ? text.substr(at) : "";
  return out;
}

std::vector<std::string> caseNames() {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(vectorDir())) {
    if (entry.path().extension() == ".req") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

TEST(SigV4Vectors, TheSuiteIsThere) {
  auto names = caseNames();
  EXPECT_GE(names.size(), 30u);
  for (const char* expected : {"get-vanilla", "get-utf8", "get-space-normalized", "post-sts-header-after",
                               "post-x-www-form-urlencoded", "get-header-value-trim", "s3-get-object"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  }
}

TEST(SigV4Vectors, EveryCaseSignsAsPublished) {
  int checked_creq = 0, checked_sts = 0, checked_authz = 0;
  for (const auto& name : caseNames()) {
    SCOPED_TRACE(name);
    std::string body;
    auto request = parseReq(*readVector(name, ".req"), body);
    bool s3 = name.starts_with("s3-");
    AwsCredentials credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
    SigningScope scope{"us-east-1", "service", *core::parseIso8601("2015-08-30T12:36:00Z")};
    if (s3) {
      credentials = {"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""};
      scope = {"us-east-1", "s3", *core::parseIso8601("2013-05-24T00:00:00Z")};
    }
    if (auto token = readVector(name, ".token")) credentials.session_token = *token;
    request.payload_hash = core::sha256Hex(body);
    auto signature = sign(request, credentials, scope);
    if (auto creq = readVector(name, ".creq")) {
      EXPECT_EQ(signature.canonical_request, *creq);
      ++checked_creq;
    }
    if (auto uri = readVector(name, ".creq-uri")) {
      auto second = signature.canonical_request.substr(signature.canonical_request.find('\n') + 1);
      EXPECT_EQ(second.substr(0, second.find('\n')), *uri);
    }
    if (auto sts = readVector(name, ".sts")) {
      EXPECT_EQ(signature.string_to_sign, *sts);
      ++checked_sts;
    }
    auto authz = readVector(name, ".authz");
    ASSERT_TRUE(authz);
    EXPECT_EQ(signature.authorization, *authz);
    ++checked_authz;
  }
  EXPECT_GE(checked_creq, 5);
  EXPECT_GE(checked_sts, 5);
  EXPECT_GE(checked_authz, 30);
}

TEST(SigV4, SigningKeyOfAwsDerivationExample) {
  // AWS's "Examples of how to derive a signing key for Signature Version 4":
  // secret wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY, 20120215, us-east-1, iam.
  EXPECT_EQ(signingKeyHex("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam"),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
}

TEST(SigV4, CanonicalUriEncodesTwiceForServicesButOnceForS3) {
  // A Bedrock model id's colon is %3A on the wire and %253A in the canonical URI.
  EXPECT_EQ(canonicalUri("/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse", false),
            "/model/anthropic.claude-3-5-haiku-20241022-v1%253A0/converse");
  EXPECT_EQ(canonicalUri("/bucket/a%20b/c%3Ad.txt", true), "/bucket/a%20b/c%3Ad.txt");
  EXPECT_EQ(canonicalUri("/bucket//a/./b", true), "/bucket//a/./b");  // S3 keys are not normalised
  EXPECT_EQ(canonicalUri("", false), "/");
}

TEST(SigV4, CanonicalQuerySortsByNameThenValueAndEncodes) {
  EXPECT_EQ(canonicalQuery("b=2&a=1&a=0"), "a=0&a=1&b=2");
  EXPECT_EQ(canonicalQuery("q=a b&x=%7e"), "q=a%20b&x=~");
  EXPECT_EQ(canonicalQuery("list-type=2&prefix"), "list-type=2&prefix=");
  EXPECT_EQ(canonicalQuery(""), "");
}

TEST(SigV4, SignClientRequestSetsHostDateTokenAndAuthorization) {
  http::ClientRequest request;
  request.method = "POST";
  request.url = "http://127.0.0.1:8123/model/amazon.nova-lite-v1%3A0/converse";
  request.headers = {{"Content-Type", "application/json"}};
  request.body = R"({"messages":[]})";
  AwsCredentials credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "the-token"};
  SigningScope scope{"eu-west-1", "bedrock", *core::parseIso8601("2015-08-30T12:36:00Z")};
  auto signature = signClientRequest(request, credentials, scope);
  ASSERT_TRUE(signature.ok()) << signature.error().message;
  EXPECT_EQ(http::findHeader(request.headers, "host"), "127.0.0.1:8123");
  EXPECT_EQ(http::findHeader(request.headers, "x-amz-date"), "20150830T123600Z");
  EXPECT_EQ(http::findHeader(request.headers, "x-amz-security-token"), "the-token");
  EXPECT_EQ(signature->signed_headers, "content-type;host;x-amz-date;x-amz-security-token");
  EXPECT_NE(signature->canonical_request.find("/model/amazon.nova-lite-v1%253A0/converse\n"), std::string::npos);
  EXPECT_TRUE(signature->canonical_request.ends_with(core::sha256Hex(request.body)));
  EXPECT_EQ(http::findHeader(request.headers, "authorization"), signature->authorization);
  EXPECT_TRUE(signature->authorization.starts_with(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/eu-west-1/bedrock/aws4_request, "));

  // Verification recomputes the same signature from the request as sent.
  SigningRequest received;
  received.method = "POST";
  received.path = "/model/amazon.nova-lite-v1%3A0/converse";
  received.headers = request.headers;
  received.payload_hash = core::sha256Hex(request.body);
  auto parsed = parseAuthorization(signature->authorization);
  ASSERT_TRUE(parsed.ok());
  auto again = signatureOver(received, parsed->signed_headers, credentials, "eu-west-1", "bedrock");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->signature, signature->signature);
}

TEST(SigV4, S3SignsThePayloadHashHeader) {
  http::ClientRequest request;
  request.method = "PUT";
  request.url = "https://s3.us-east-1.amazonaws.com/bucket/key";
  request.body = "data";
  SigningScope scope{"us-east-1", "s3", 0};
  auto signature = signClientRequest(request, AwsCredentials{"AK", "SK", ""}, scope, std::string(kUnsignedPayload));
  ASSERT_TRUE(signature.ok());
  EXPECT_EQ(http::findHeader(request.headers, "x-amz-content-sha256"), "UNSIGNED-PAYLOAD");
  EXPECT_EQ(http::findHeader(request.headers, "host"), "s3.us-east-1.amazonaws.com");
  EXPECT_EQ(signature->signed_headers, "host;x-amz-content-sha256;x-amz-date");
  EXPECT_TRUE(signature->canonical_request.ends_with("\nUNSIGNED-PAYLOAD"));
  EXPECT_EQ(signature->amz_date, "19700101T000000Z");
}

TEST(SigV4, ParseAuthorizationReadsScopeAndHeaders) {
  auto parsed = parseAuthorization(
      "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
      "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->access_key_id, "AKIDEXAMPLE");
  EXPECT_EQ(parsed->date, "20150830");
  EXPECT_EQ(parsed->region, "us-east-1");
  EXPECT_EQ(parsed->service, "service");
  EXPECT_EQ(parsed->signed_headers, (std::vector<std::string>{"host", "x-amz-date"}));
  EXPECT_FALSE(parseAuthorization("Bearer abc").ok());
  EXPECT_FALSE(
      parseAuthorization("AWS4-HMAC-SHA256 Credential=AK/2015/us-east-1, SignedHeaders=host, Signature=x").ok());
}

TEST(SigV4, SignatureOverNeedsTheDateAndEverySignedHeader) {
  SigningRequest request;
  request.headers = {{"Host", "example.amazonaws.com"}};
  AwsCredentials credentials{"AK", "SK", ""};
  EXPECT_FALSE(signatureOver(request, {"host"}, credentials, "us-east-1", "service").ok());
  request.headers.emplace_back("X-Amz-Date", "20150830T123600Z");
  EXPECT_TRUE(signatureOver(request, {"host", "x-amz-date"}, credentials, "us-east-1", "service").ok());
  EXPECT_FALSE(signatureOver(request, {"host", "x-amz-date", "range"}, credentials, "us-east-1", "service").ok());
}

}  // namespace
}  // namespace codecrew::cloud::aws
