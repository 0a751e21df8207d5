// KeyLimiter: per-key rate limits and budgets for gateway callers. admit()
// decides, before a call, whether the key may make it: requests in the last
// minute under rpm, tokens settled in the last minute under tpm, and tokens
// and cost so far this UTC day and calendar month under the key's budgets.
// settle() adds a finished call's usage. The first time a key is seen (and
// at each new day or month) its usage so far is loaded from the call records
// through the UsageLoader, so budgets survive restarts.
// Refusals are GatewayFailure-carrying errors (429, rate_limit_exceeded or
// budget_exceeded, with the seconds until the limit frees up). Budgets are
// checked against settled usage: calls in flight together may overshoot by
// what they use.
// Thread-safety: admit() and settle() from any thread. admit() may call the
// loader (which may block on the store) the first time a key is seen.
#pragma once

#include "core/clock.h"
#include "core/ids.h"
#include "core/result.h"
#include "gateway/gateway_config.h"
#include "telemetry/trace_context.h"

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

namespace codecrew::gateway {

// Who is calling the gateway.
struct Caller {
  core::Id tenant_id = 0;
  std::optional<core::Id> api_key_id;  // absent in dev mode
  std::string key_prefix;              // selects per-key overrides ("" in dev mode)
  // The request's server span and X-Request-Id: the parent of the model
  // calls' spans, kept on their records and sent on to the provider.
  telemetry::TraceContext trace;
  std::string request_id;
};

struct KeyUsage {
  std::int64_t tokens = 0;
  double cost = 0;
};

// Usage of the caller's key since `since` (epoch ms), from the call records.
using UsageLoader = std::function<core::Result<KeyUsage>(const Caller& caller, core::Millis since)>;

class KeyLimiter {
 public:
  KeyLimiter(std::shared_ptr<core::Clock> clock, UsageLoader loader);

  // Counts the request and returns ok, or refuses it without counting it.
  core::Status admit(const Caller& caller, const KeyLimits& limits);
  // Adds a finished call's tokens and cost.
  void settle(const Caller& caller, std::int64_t tokens, double cost);

 private:
  struct KeyState {
    core::Millis day_start = -1;
    core::Millis month_start = -1;
    KeyUsage day;
    KeyUsage month;
    std::deque<core::Millis> requests;                         // in the last minute
    std::deque<std::pair<core::Millis, std::int64_t>> tokens;  // settled in the last minute
    std::int64_t minute_tokens = 0;
  };
  static std::string stateKey(const Caller& caller);
  // Loads or resets day/month usage if the period changed. Called unlocked.
  void refreshPeriods(const Caller& caller, core::Millis now);
  void expireMinute(KeyState& state, core::Millis now);
  core::Status checkBudgets(const KeyState& state, const KeyLimits& limits, core::Millis now) const;

  std::shared_ptr<core::Clock> clock_;
  UsageLoader loader_;
  std::mutex mu_;
  std::map<std::string, KeyState> keys_;  // guarded by mu_
};

// Start of the UTC day and calendar month containing `ms`, in epoch ms.
core::Millis utcDayStart(core::Millis ms);
core::Millis utcMonthStart(core::Millis ms);
core::Millis utcNextMonthStart(core::Millis ms);

}  // namespace codecrew::gateway
