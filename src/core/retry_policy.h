// RetryPolicy: how often and how long to wait before trying a failed call
// again: exponential backoff with jitter, and the service's Retry-After
// honoured exactly when it gave one (up to a cap, past which the caller
// gives up waiting: the router falls back to the next model, the REST
// clients and the artifact stores answer the failure).
// Thread-safety: a plain value; backoff() is pure given its random draw.
#pragma once

#include <chrono>
#include <optional>

namespace codecrew::core {

struct RetryPolicy {
  int max_attempts = 3;  // tries per model, the first included
  std::chrono::milliseconds base_delay{500};
  std::chrono::milliseconds max_delay{30'000};
  double multiplier = 2.0;
  double jitter = 0.2;  // the delay is scaled by a factor in [1 - jitter, 1]
  std::chrono::milliseconds max_retry_after{60'000};

  // The wait before try number `next_try` (2 for the first retry). `unit` is
  // a random draw in [0, 1). With a Retry-After, that value exactly; nullopt
  // when Retry-After exceeds max_retry_after (do not wait: fall back).
  std::optional<std::chrono::milliseconds> backoff(int next_try, std::optional<std::chrono::milliseconds> retry_after,
                                                   double unit) const;
};

}  // namespace codecrew::core
