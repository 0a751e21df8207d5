#include "api/rest_rate_limiter.h"

#include "gateway/gateway_failure.h"

namespace codecrew::api {

RestRateLimiter::RestRateLimiter(std::shared_ptr<core::Clock> clock, int per_minute)
    : limiter_(std::move(clock), nullptr) {
  limits_.rpm = per_minute;
}

std::optional<int> RestRateLimiter::admit(core::Id api_key_id) {
  auto admitted = limiter_.admit(gateway::Caller{0, api_key_id, ""}, limits_);
  if (admitted.ok()) return std::nullopt;
  return gateway::failureFromError(admitted.error()).retry_after_seconds.value_or(1);
}

}  // namespace codecrew::api
