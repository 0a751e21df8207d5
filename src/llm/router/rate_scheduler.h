// RateScheduler: one shared gate that holds requests-per-minute and
// tokens-per-minute limits for any number of keys (a provider, a model, an
// API key: the router names them "provider:<p>", "model:<p>/<m>",
// "key:<id>") across every concurrent caller. A call names all its keys and
// its estimated tokens; it goes ahead only when every key has room in its
// sliding 60-second window, and otherwise waits on the Sleeper (holding no
// thread) until the earliest moment it could fit. After the call, settle()
// replaces the estimate with the tokens the provider reported.
// Thread-safety: every method may be called from any thread or coroutine.
#pragma once

#include "core/clock.h"
#include "core/result.h"
#include "llm/router/sleeper.h"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace codecrew::llm {

struct RateLimit {
  std::int64_t rpm = 0;  // 0: no request limit
  std::int64_t tpm = 0;  // 0: no token limit
};

// An admitted call's place in the windows, settled after the call.
struct RateReservation {
  std::uint64_t id = 0;
  std::vector<std::string> keys;
  std::int64_t tokens = 0;
  core::Millis waited_ms = 0;  // how long acquire() waited for room (0: none)
};

class RateScheduler {
 public:
  static constexpr std::int64_t kWindowMs = 60'000;

  RateScheduler(std::shared_ptr<core::Clock> clock, std::shared_ptr<Sleeper> sleeper);

  void setLimit(const std::string& key, RateLimit limit);
  std::optional<RateLimit> limit(const std::string& key) const;

  // Waits until every limited key has room for one more request and `tokens`
  // more tokens, then records the call. kResourceExhausted at once if
  // `tokens` alone exceeds a key's TPM (it could never fit); kCancelled if
  // `cancelled` turns true while waiting.
  boost::asio::awaitable<core::Result<RateReservation>> acquire(std::vector<std::string> keys, std::int64_t tokens,
                                                                std::function<bool()> cancelled = {});

  // Replaces the reservation's estimate with the actual token count.
  void settle(const RateReservation& reservation, std::int64_t actual_tokens);

  // Requests and tokens counted in key's current window (for tests/metrics).
  std::pair<std::int64_t, std::int64_t> usage(const std::string& key);

 private:
  struct Entry {
    core::Millis at;
    std::int64_t tokens;
    std::uint64_t id;
  };
  struct Window {
    RateLimit limit;
    std::deque<Entry> entries;
    std::int64_t tokens = 0;
  };

  void prune(Window& w, core::Millis now);
  // 0 if the call fits now; else how long to wait. Requires mu_.
  core::Millis waitFor(Window& w, std::int64_t tokens, core::Millis now);

  std::shared_ptr<core::Clock> clock_;
  std::shared_ptr<Sleeper> sleeper_;
  mutable std::mutex mu_;
  std::map<std::string, Window> windows_;  // guarded by mu_
  std::uint64_t next_id_ = 1;              // guarded by mu_
};

}  // namespace codecrew::llm
