#include "support/github_webhook.h"

#include "core/crypto.h"

namespace codecrew::testing {

std::string githubSignature(const std::string& secret, const std::string& body) {
  return "sha256=" + core::hmacSha256Hex(secret, body);
}

HeaderList githubWebhookHeaders(const std::string& event, const std::string& delivery, const std::string& secret,
                                const std::string& body) {
  return {{"X-GitHub-Event", event},
          {"X-GitHub-Delivery", delivery},
          {"X-Hub-Signature-256", githubSignature(secret, body)},
          {"Content-Type", "application/json"},
          {"User-Agent", "GitHub-Hookshot/4a2c1f7"}};
}

}  // namespace codecrew::testing
