// RestRateLimiter: the REST API's per-key request rate ([server]
// rest_rate_per_minute): at most that many requests from one API key in any
// minute, counted by the gateway's KeyLimiter (a sliding minute). A refused
// request is not counted. The /v1 gateway routes have their own limits
// ([gateway] rpm and the like) and are not counted here.
// Thread-safety: admit() from any thread.
#pragma once

#include "core/clock.h"
#include "core/ids.h"
#include "gateway/key_limiter.h"

#include <memory>
#include <optional>

namespace codecrew::api {

class RestRateLimiter {
 public:
  RestRateLimiter(std::shared_ptr<core::Clock> clock, int per_minute);

  // nullopt when the key may make the request (it is counted); otherwise
  // the seconds until it may (for Retry-After, at least 1).
  std::optional<int> admit(core::Id api_key_id);
  int perMinute() const { return static_cast<int>(limits_.rpm); }

 private:
  gateway::KeyLimiter limiter_;
  gateway::KeyLimits limits_;
};

}  // namespace codecrew::api
