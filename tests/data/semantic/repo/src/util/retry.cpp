#include <algorithm>
#include <chrono>
#include <random>

// The pause before attempt n: doubling from `base`, capped, with random jitter
// so that many clients that failed together do not come back together.
std::chrono::milliseconds backoffDelay(int attempt, std::chrono::milliseconds base, std::chrono::milliseconds cap,
                                       std::mt19937& rng) {
  auto exp = base * (1 << std::min(attempt, 16));
  auto bounded = std::min(exp, cap);
  std::uniform_int_distribution<long> jitter(0, bounded.count());
  return std::chrono::milliseconds(jitter(rng));
}
