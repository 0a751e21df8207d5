#include "gateway/gateway_failure.h"

#include "llm/provider_error.h"

#include <boost/json.hpp>

namespace codecrew::gateway {

namespace bj = boost::json;

namespace {

GatewayFailure make(int status, FailureCategory category, std::string code, std::string message) {
  GatewayFailure f;
  f.status = status;
  f.category = category;
  f.code = std::move(code);
  f.message = std::move(message);
  return f;
}

// A provider failure: the caller's fault only for bad requests and context
// length; a provider's auth failure is the server's problem (502), never a
// 401 that would make the client doubt its own key.
GatewayFailure fromProvider(const llm::FailureInfo& info, const std::string& message) {
  using llm::FailureKind;
  GatewayFailure f;
  switch (info.kind) {
    case FailureKind::kRateLimited:
      f = make(429, FailureCategory::kRateLimit, "upstream_rate_limited", message);
      if (info.retry_after) f.retry_after_seconds = static_cast<int>((info.retry_after->count() + 999) / 1000);
      return f;
    case FailureKind::kContextLength:
      return make(400, FailureCategory::kInvalidRequest, "context_length_exceeded", message);
    case FailureKind::kBadRequest: return make(400, FailureCategory::kInvalidRequest, "upstream_bad_request", message);
    case FailureKind::kTimeout: return make(504, FailureCategory::kTimeout, "upstream_timeout", message);
    case FailureKind::kCancelled: return make(499, FailureCategory::kCancelled, "cancelled", message);
    case FailureKind::kOverBudget: return make(429, FailureCategory::kBudget, "budget_exceeded", message);
    case FailureKind::kCircuitOpen: return make(503, FailureCategory::kOverloaded, "upstream_unavailable", message);
    case FailureKind::kServer:
    case FailureKind::kNetwork:
    case FailureKind::kAuth:
    case FailureKind::kMalformed: return make(502, FailureCategory::kUpstream, "upstream_error", message);
    case FailureKind::kOther: break;
  }
  return make(502, FailureCategory::kUpstream, "upstream_error", message);
}

FailureCategory categoryFor(core::ErrorCode code) {
  switch (code) {
    case core::ErrorCode::kInvalidArgument:
    case core::ErrorCode::kPayloadTooLarge: return FailureCategory::kInvalidRequest;
    case core::ErrorCode::kUnauthenticated: return FailureCategory::kAuthentication;
    case core::ErrorCode::kPermissionDenied: return FailureCategory::kPermission;
    case core::ErrorCode::kNotFound: return FailureCategory::kNotFound;
    case core::ErrorCode::kResourceExhausted: return FailureCategory::kRateLimit;
    case core::ErrorCode::kUnavailable: return FailureCategory::kOverloaded;
    case core::ErrorCode::kDeadlineExceeded: return FailureCategory::kTimeout;
    case core::ErrorCode::kCancelled: return FailureCategory::kCancelled;
    default: return FailureCategory::kInternal;
  }
}

int statusFor(FailureCategory category) {
  switch (category) {
    case FailureCategory::kInvalidRequest: return 400;
    case FailureCategory::kAuthentication: return 401;
    case FailureCategory::kPermission: return 403;
    case FailureCategory::kNotFound: return 404;
    case FailureCategory::kRateLimit:
    case FailureCategory::kBudget: return 429;
    case FailureCategory::kUpstream: return 502;
    case FailureCategory::kOverloaded: return 503;
    case FailureCategory::kTimeout: return 504;
    case FailureCategory::kCancelled: return 499;
    case FailureCategory::kInternal: return 500;
  }
  return 500;
}

}  // namespace

GatewayFailure failureFromError(const core::Error& error) {
  if (const auto* d = error.details.if_object()) {
    if (const auto* code = d->if_contains("gateway_code"); code && code->is_string()) {
      auto category = static_cast<FailureCategory>(d->at("gateway_category").to_number<int>());
      GatewayFailure f = make(statusFor(category), category, std::string(code->as_string()), error.message);
      if (const auto* r = d->if_contains("retry_after_seconds"); r && r->is_int64())
        f.retry_after_seconds = static_cast<int>(r->as_int64());
      if (const auto* p = d->if_contains("param"); p && p->is_string()) f.param = std::string(p->as_string());
      return f;
    }
    if (d->contains("kind")) return fromProvider(llm::classifyFailure(error), error.message);
  }
  if (error.code == core::ErrorCode::kDeadlineExceeded || error.code == core::ErrorCode::kCancelled)
    return fromProvider(llm::classifyFailure(error), error.message);
  auto category = categoryFor(error.code);
  return make(statusFor(category), category, std::string(core::errorCodeName(error.code)), error.message);
}

core::Error badRequest(std::string message, std::string param) {
  bj::object details{{"gateway_code", "invalid_request"},
                     {"gateway_category", static_cast<int>(FailureCategory::kInvalidRequest)}};
  if (!param.empty()) details["param"] = param;
  return core::Error{core::ErrorCode::kInvalidArgument, std::move(message), std::move(details)};
}

core::Error refusal(FailureCategory category, std::string code, std::string message, int retry_after_seconds) {
  bj::object details{{"gateway_code", code},
                     {"gateway_category", static_cast<int>(category)},
                     {"retry_after_seconds", retry_after_seconds}};
  return core::Error{core::ErrorCode::kResourceExhausted, std::move(message), std::move(details)};
}

core::Error modelNotFound(const std::string& model) {
  bj::object details{{"gateway_code", "model_not_found"},
                     {"gateway_category", static_cast<int>(FailureCategory::kNotFound)},
                     {"param", "model"}};
  return core::Error{core::ErrorCode::kNotFound,
                     "The model '" + model + "' does not exist or is not configured on this gateway",
                     std::move(details)};
}

}  // namespace codecrew::gateway
