// Signing webhook deliveries as GitHub does, for tests that post them to a
// real server: X-Hub-Signature-256 is "sha256=" and the hex HMAC-SHA256 of
// the raw body under the webhook's secret.
// Thread-safety: pure functions.
#pragma once

#include "support/http_client.h"

#include <string>

namespace codecrew::testing {

// "sha256=<64 hex digits>" for body under secret.
std::string githubSignature(const std::string& secret, const std::string& body);

// The headers GitHub sends with a delivery: X-GitHub-Event, X-GitHub-Delivery,
// X-Hub-Signature-256 (body signed with secret), Content-Type
// application/json and a GitHub-Hookshot User-Agent.
HeaderList githubWebhookHeaders(const std::string& event, const std::string& delivery, const std::string& secret,
                                const std::string& body);

}  // namespace codecrew::testing
