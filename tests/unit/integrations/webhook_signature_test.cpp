// X-Hub-Signature-256: GitHub's published test vector passes; a changed
// body, a missing header, a SHA-1-only header, a malformed one and a wrong
// secret are refused, each saying why and never showing the expected value.
#include "integrations/github/webhook_signature.h"

#include <gtest/gtest.h>

namespace codecrew::integrations::github {
namespace {

// From GitHub's "Validating webhook deliveries".
constexpr const char* kVectorSecret = "It's a Secret to Everybody";
constexpr const char* kVectorPayload = "Hello, World!";
constexpr const char* kVectorSignature = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

TEST(WebhookSignatureTest, GitHubsTestVector) {
  EXPECT_EQ(webhookSignature(kVectorSecret, kVectorPayload), kVectorSignature);
  auto st = verifyWebhookSignature(kVectorSecret, kVectorPayload, std::string(kVectorSignature));
  EXPECT_TRUE(st.ok()) << st.error().message;
}

TEST(WebhookSignatureTest, UpperCaseHexDigitsAreTheSameSignature) {
  std::string upper = kVectorSignature;
  for (std::size_t i = 7; i < upper.size(); ++i) upper[i] = char(std::toupper(static_cast<unsigned char>(upper[i])));
  EXPECT_TRUE(verifyWebhookSignature(kVectorSecret, kVectorPayload, upper).ok());
}

void expectRefused(const core::Status& st, const std::string& says) {
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, core::ErrorCode::kUnauthenticated);
  EXPECT_NE(st.error().message.find(says), std::string::npos) << st.error().message;
  EXPECT_EQ(st.error().message.find("757107ea"), std::string::npos) << "never shows the expected signature";
  EXPECT_EQ(st.error().message.find(kVectorSecret), std::string::npos) << "never shows the secret";
}

TEST(WebhookSignatureTest, ATamperedBodyIsRefused) {
  expectRefused(verifyWebhookSignature(kVectorSecret, "Hello, World?", std::string(kVectorSignature)),
                "does not match");
  expectRefused(verifyWebhookSignature(kVectorSecret, "Hello, World! ", std::string(kVectorSignature)),
                "does not match");
}

TEST(WebhookSignatureTest, AnotherSecretIsRefused) {
  expectRefused(verifyWebhookSignature("not the secret", kVectorPayload, std::string(kVectorSignature)),
                "does not match");
}

TEST(WebhookSignatureTest, AMissingHeaderIsRefused) {
  expectRefused(verifyWebhookSignature(kVectorSecret, kVectorPayload, std::nullopt), "missing X-Hub-Signature-256");
  expectRefused(verifyWebhookSignature(kVectorSecret, kVectorPayload, std::string()), "missing X-Hub-Signature-256");
}

TEST(WebhookSignatureTest, ASha1SignatureIsNotASha256One) {
  // What X-Hub-Signature carries: sha1= and 40 hex digits.
  expectRefused(verifyWebhookSignature(kVectorSecret, kVectorPayload,
                                       std::string("sha1=7d38cdd689735b008b3c702edd92eea23791c5f6")),
                "malformed");
}

TEST(WebhookSignatureTest, MalformedHeadersAreRefused) {
  std::string digits = std::string(kVectorSignature).substr(7);
  for (const std::string& bad : {digits, "sha256=" + digits.substr(1), "sha256=" + digits + "0",
                                 "sha256=" + digits.substr(0, 63) + "g", "SHA256=" + digits, "sha512=" + digits})
    expectRefused(verifyWebhookSignature(kVectorSecret, kVectorPayload, bad), "malformed");
}

TEST(WebhookSignatureTest, NoSecretVerifiesNothing) {
  auto st = verifyWebhookSignature("", kVectorPayload, std::string(kVectorSignature));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, core::ErrorCode::kFailedPrecondition);
}

}  // namespace
}  // namespace codecrew::integrations::github
