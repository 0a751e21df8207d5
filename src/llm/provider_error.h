// Provider failures as core::Errors that the router can reason about: each
// carries, in its details, the failure kind, the HTTP status (if any) and the
// Retry-After delay the provider asked for. Adapters build them with
// providerError(); the router reads them back with classifyFailure().
// Thread-safety: pure functions.
#pragma once

#include "core/clock.h"
#include "core/error.h"
#include "http/client/http_client.h"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace codecrew::llm {

enum class FailureKind {
  kRateLimited,    // 429 or a provider's rate-limit error
  kServer,         // 5xx, overloaded
  kTimeout,        // a client-side timeout
  kNetwork,        // connect/reset/TLS failures, a stream cut short
  kContextLength,  // the prompt does not fit the model's context window
  kAuth,           // 401/403
  kBadRequest,     // any other 4xx: retrying will not help
  kMalformed,      // the provider answered something we cannot parse
  kCancelled,      // the caller went away
  kOverBudget,     // refused before the call: over the cost or token limits
  kCircuitOpen,    // refused before the call: the provider's breaker is open
  kOther,
};

// Stable name used as LlmCall::error_code ("rate_limited", "context_length", ...).
std::string_view failureKindName(FailureKind kind);

struct FailureInfo {
  FailureKind kind = FailureKind::kOther;
  int http_status = 0;
  std::optional<std::chrono::milliseconds> retry_after;
  bool retryable = false;  // the same call may succeed if tried again
};

// An error of that kind with a message naming the provider and the problem.
core::Error providerError(FailureKind kind, std::string message, int http_status = 0,
                          std::optional<std::chrono::milliseconds> retry_after = std::nullopt);

// Reads back what providerError() stored; errors from elsewhere are
// classified by their ErrorCode (kDeadlineExceeded -> timeout, ...).
FailureInfo classifyFailure(const core::Error& error);

// True when an error message/body says the context window was exceeded.
bool mentionsContextLength(std::string_view text);

// The error for a non-2xx HTTP answer: kind from the status (and the body for
// context-length errors), message from the body, Retry-After honoured (also
// the retry-after-ms header some providers send).
core::Error httpFailure(std::string_view provider, int status, const http::Headers& headers, std::string_view body,
                        core::Millis now);

// What a Bedrock error is about: the model, the region and whether the call
// streamed (the IAM action is bedrock:InvokeModelWithResponseStream then).
struct BedrockCallContext {
  std::string model;
  std::string region;
  bool stream = false;
};

// The error of a non-2xx Bedrock answer, from its error type (the
// x-amzn-ErrorType header, else the body's __type) and message, with what to
// do about it: ThrottlingException, ServiceQuotaExceededException and
// ModelNotReadyException are rate limits (retried with backoff);
// AccessDeniedException names the IAM action and the model;
// ExpiredTokenException, UnrecognizedClientException and
// InvalidSignatureException are authentication failures (expired, not
// valid, signed for another region, a clock off, a wrong secret); ResourceNotFoundException and a
// ValidationException about the model id say the model is not available in
// the region; InternalServerException, ServiceUnavailableException,
// ModelErrorException and ModelTimeoutException are server errors.
core::Error bedrockFailure(std::string_view provider, int status, const http::Headers& headers, std::string_view body,
                           core::Millis now, const BedrockCallContext& context);

// The error of an exception frame inside a Bedrock stream (:exception-type
// such as throttlingException, validationException,
// modelStreamErrorException), classified like bedrockFailure.
core::Error bedrockStreamException(std::string_view exception_type, std::string_view message,
                                   const BedrockCallContext& context);

// The error for a failed HTTP call (timeout, network, cancelled).
core::Error transportFailure(std::string_view provider, const core::Error& error);

}  // namespace codecrew::llm
