#include "integrations/github/webhook_signature.h"

#include "core/crypto.h"

#include <cctype>

namespace codecrew::integrations::github {
namespace {

constexpr std::string_view kSha256Prefix = "sha256=";
constexpr std::size_t kHexDigits = 64;

}  // namespace

std::string webhookSignature(std::string_view secret, std::string_view body) {
  return std::string(kSha256Prefix) + core::hmacSha256Hex(secret, body);
}

core::Status verifyWebhookSignature(std::string_view secret, std::string_view body,
                                    const std::optional<std::string>& header) {
  if (secret.empty())
    return core::Error{core::ErrorCode::kFailedPrecondition, "no webhook secret is configured", nullptr};
  if (!header || header->empty())
    return core::Error::unauthenticated(
        "missing X-Hub-Signature-256: set a secret on the webhook (a SHA-1 X-Hub-Signature alone is not accepted)");
  std::string_view given(*header);
  if (given.size() != kSha256Prefix.size() + kHexDigits || !given.starts_with(kSha256Prefix))
    return core::Error::unauthenticated("malformed X-Hub-Signature-256: expected sha256= and 64 hex digits");
  std::string digest(given.substr(kSha256Prefix.size()));
  for (char& c : digest) {
    if (!std::isxdigit(static_cast<unsigned char>(c)))
      return core::Error::unauthenticated("malformed X-Hub-Signature-256: expected sha256= and 64 hex digits");
    c = char(std::tolower(static_cast<unsigned char>(c)));
  }
  if (!core::constantTimeEquals(digest, core::hmacSha256Hex(secret, body)))
    return core::Error::unauthenticated(
        "X-Hub-Signature-256 does not match the body: the webhook's secret differs from [github] webhook_secret "
        "(GITHUB_WEBHOOK_SECRET), or the body was changed on the way");
  return core::okStatus();
}

}  // namespace codecrew::integrations::github
