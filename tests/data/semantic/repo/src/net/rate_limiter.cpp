#include <algorithm>
#include <chrono>

// Token bucket: each client may spend `burst` calls at once, refilled at `rate` per second.
class TokenBucket {
 public:
  TokenBucket(double rate, double burst) : rate_(rate), burst_(burst), tokens_(burst) {}

  bool allow(double now_seconds) {
    tokens_ = std::min(burst_, tokens_ + (now_seconds - last_) * rate_);
    last_ = now_seconds;
    if (tokens_ < 1.0) return false;  // throttled
    tokens_ -= 1.0;
    return true;
  }

 private:
  double rate_, burst_, tokens_;
  double last_ = 0;
};
