#include "core/retry_policy.h"

#include <algorithm>
#include <cmath>

namespace codecrew::core {

std::optional<std::chrono::milliseconds> RetryPolicy::backoff(int next_try,
                                                              std::optional<std::chrono::milliseconds> retry_after,
                                                              double unit) const {
  if (retry_after) {
    if (*retry_after > max_retry_after) return std::nullopt;
    return *retry_after;
  }
  double delay = static_cast<double>(base_delay.count()) * std::pow(multiplier, std::max(0, next_try - 2));
  delay = std::min(delay, static_cast<double>(max_delay.count()));
  delay *= 1.0 - jitter * std::clamp(unit, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<std::int64_t>(delay));
}

}  // namespace codecrew::core
