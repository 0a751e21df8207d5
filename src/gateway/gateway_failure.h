// GatewayFailure: why the gateway refused or could not serve a call, in a
// form both dialects render (OpenAI's and Anthropic's error objects): the
// HTTP status to answer with, a category each dialect names in its own
// words, a machine code, a message, and a Retry-After for refusals.
// Provider failures from the router (llm/provider_error.h) and the gateway's
// own refusals (bad input, unknown model, budgets, rate limits) map here.
// Thread-safety: plain values and pure functions.
#pragma once

#include "core/error.h"

#include <optional>
#include <string>

namespace codecrew::gateway {

enum class FailureCategory {
  kInvalidRequest,  // 400: the caller's request is wrong
  kAuthentication,  // 401: no or bad codecrew key
  kPermission,      // 403
  kNotFound,        // 404: unknown model or path
  kRateLimit,       // 429: the key's rate limit, or the provider's
  kBudget,          // 429: the key's token or cost budget is spent
  kUpstream,        // 502: the provider failed or answered nonsense
  kOverloaded,      // 503: circuit open, every model unavailable
  kTimeout,         // 504
  kCancelled,       // 499: the client went away
  kInternal,        // 500
};

struct GatewayFailure {
  int status = 500;
  FailureCategory category = FailureCategory::kInternal;
  std::string code;     // e.g. "model_not_found", "rate_limit_exceeded", "budget_exceeded"
  std::string message;  // safe to show the caller (no provider keys)
  std::optional<int> retry_after_seconds;
  std::string param;  // the request field at fault, when known
};

// Maps an error from the router, a provider or the gateway itself. Errors
// carrying details {"gateway_code", "retry_after_seconds", "param"} (made by
// refusal() / badRequest()) keep them.
GatewayFailure failureFromError(const core::Error& error);

// The gateway's own errors, as core::Errors that failureFromError reads back.
core::Error badRequest(std::string message, std::string param = "");
core::Error refusal(FailureCategory category, std::string code, std::string message, int retry_after_seconds);
core::Error modelNotFound(const std::string& model);

}  // namespace codecrew::gateway
