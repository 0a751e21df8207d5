// The signature GitHub puts on a webhook delivery: X-Hub-Signature-256 is
// "sha256=" and the lower-case hex HMAC-SHA256 of the raw body under the
// webhook's secret. It is the delivery's only authentication, so it is
// checked on the bytes as received, before any parsing, and compared in
// constant time. The older SHA-1 X-Hub-Signature is never accepted.
// Thread-safety: pure functions.
#pragma once

#include "core/result.h"

#include <optional>
#include <string>
#include <string_view>

namespace codecrew::integrations::github {

inline constexpr std::string_view kSignatureHeader = "X-Hub-Signature-256";

// "sha256=<64 lower-case hex digits>" for body under secret.
std::string webhookSignature(std::string_view secret, std::string_view body);

// Ok when `header` (X-Hub-Signature-256's value, absent: nullopt) is the
// signature of body under secret; the hex digits may be in either case.
// kUnauthenticated saying which: missing, malformed (not sha256= and 64 hex
// digits), or not matching the body. kFailedPrecondition for an empty
// secret (nothing can be verified). Messages never contain the secret nor
// the expected signature.
core::Status verifyWebhookSignature(std::string_view secret, std::string_view body,
                                    const std::optional<std::string>& header);

}  // namespace codecrew::integrations::github
