#include "gateway/key_limiter.h"

#include "core/log.h"
#include "gateway/gateway_failure.h"

#include <chrono>

namespace codecrew::gateway {

namespace {

constexpr core::Millis kMinute = 60'000;
constexpr core::Millis kDay = 86'400'000;

int secondsUntil(core::Millis now, core::Millis when) {
  return static_cast<int>(std::max<core::Millis>(1, (when - now + 999) / 1000));
}

std::string money(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "$%.4f", v);
  return buf;
}

}  // namespace

core::Millis utcDayStart(core::Millis ms) { return ms - ((ms % kDay) + kDay) % kDay; }

core::Millis utcMonthStart(core::Millis ms) {
  using namespace std::chrono;
  year_month_day ymd{floor<days>(sys_time<milliseconds>(milliseconds(ms)))};
  return duration_cast<milliseconds>(sys_days(ymd.year() / ymd.month() / 1).time_since_epoch()).count();
}

core::Millis utcNextMonthStart(core::Millis ms) {
  using namespace std::chrono;
  year_month_day ymd{floor<days>(sys_time<milliseconds>(milliseconds(ms)))};
  auto next = ymd.year() / ymd.month() / 1 + months(1);
  return duration_cast<milliseconds>(sys_days(next).time_since_epoch()).count();
}

KeyLimiter::KeyLimiter(std::shared_ptr<core::Clock> clock, UsageLoader loader)
    : clock_(std::move(clock)), loader_(std::move(loader)) {}

std::string KeyLimiter::stateKey(const Caller& caller) {
  return caller.api_key_id ? "key:" + std::to_string(*caller.api_key_id) : "tenant:" + std::to_string(caller.tenant_id);
}

void KeyLimiter::refreshPeriods(const Caller& caller, core::Millis now) {
  const core::Millis day = utcDayStart(now), month = utcMonthStart(now);
  const std::string key = stateKey(caller);
  bool known = false;
  {
    std::lock_guard lock(mu_);
    auto it = keys_.find(key);
    if (it != keys_.end()) {
      known = true;
      auto& s = it->second;
      if (s.day_start == day && s.month_start == month) return;
      if (s.day_start != day) s.day = {};
      if (s.month_start != month) s.month = {};
      s.day_start = day;
      s.month_start = month;
      return;
    }
  }
  KeyState fresh;
  fresh.day_start = day;
  fresh.month_start = month;
  if (loader_ && !known) {
    auto d = loader_(caller, day);
    auto m = loader_(caller, month);
    if (d.ok() && m.ok()) {
      fresh.day = d.value();
      fresh.month = m.value();
    } else {
      core::log::warn("could not load a gateway key's usage; its budgets start from zero",
                      {{"error", (d.ok() ? m.error() : d.error()).message}});
    }
  }
  std::lock_guard lock(mu_);
  keys_.emplace(key, std::move(fresh));
}

void KeyLimiter::expireMinute(KeyState& s, core::Millis now) {
  while (!s.requests.empty() && s.requests.front() <= now - kMinute) s.requests.pop_front();
  while (!s.tokens.empty() && s.tokens.front().first <= now - kMinute) {
    s.minute_tokens -= s.tokens.front().second;
    s.tokens.pop_front();
  }
}

core::Status KeyLimiter::checkBudgets(const KeyState& s, const KeyLimits& limits, core::Millis now) const {
  const core::Millis next_day = s.day_start + kDay, next_month = utcNextMonthStart(now);
  if (limits.daily_tokens > 0 && s.day.tokens >= limits.daily_tokens)
    return refusal(FailureCategory::kBudget, "budget_exceeded",
                   "this key's daily token budget of " + std::to_string(limits.daily_tokens) + " is spent (" +
                       std::to_string(s.day.tokens) + " used); it resets at 00:00 UTC",
                   secondsUntil(now, next_day));
  if (limits.daily_cost > 0 && s.day.cost >= limits.daily_cost)
    return refusal(FailureCategory::kBudget, "budget_exceeded",
                   "this key's daily cost budget of " + money(limits.daily_cost) + " is spent (" + money(s.day.cost) +
                       " used); it resets at 00:00 UTC",
                   secondsUntil(now, next_day));
  if (limits.monthly_tokens > 0 && s.month.tokens >= limits.monthly_tokens)
    return refusal(FailureCategory::kBudget, "budget_exceeded",
                   "this key's monthly token budget of " + std::to_string(limits.monthly_tokens) + " is spent (" +
                       std::to_string(s.month.tokens) + " used); it resets on the 1st (UTC)",
                   secondsUntil(now, next_month));
  if (limits.monthly_cost > 0 && s.month.cost >= limits.monthly_cost)
    return refusal(FailureCategory::kBudget, "budget_exceeded",
                   "this key's monthly cost budget of " + money(limits.monthly_cost) + " is spent (" +
                       money(s.month.cost) + " used); it resets on the 1st (UTC)",
                   secondsUntil(now, next_month));
  return core::okStatus();
}

core::Status KeyLimiter::admit(const Caller& caller, const KeyLimits& limits) {
  const core::Millis now = clock_->nowMillis();
  refreshPeriods(caller, now);
  std::lock_guard lock(mu_);
  auto& s = keys_[stateKey(caller)];
  expireMinute(s, now);
  if (auto st = checkBudgets(s, limits, now); !st.ok()) return st;
  if (limits.rpm > 0 && static_cast<std::int64_t>(s.requests.size()) >= limits.rpm)
    return refusal(FailureCategory::kRateLimit, "rate_limit_exceeded",
                   "this key's rate limit of " + std::to_string(limits.rpm) + " requests per minute is reached",
                   secondsUntil(now, s.requests.front() + kMinute));
  if (limits.tpm > 0 && s.minute_tokens >= limits.tpm)
    return refusal(FailureCategory::kRateLimit, "rate_limit_exceeded",
                   "this key's rate limit of " + std::to_string(limits.tpm) + " tokens per minute is reached",
                   secondsUntil(now, s.tokens.front().first + kMinute));
  s.requests.push_back(now);
  return core::okStatus();
}

void KeyLimiter::settle(const Caller& caller, std::int64_t tokens, double cost) {
  const core::Millis now = clock_->nowMillis();
  std::lock_guard lock(mu_);
  auto& s = keys_[stateKey(caller)];
  s.day.tokens += tokens;
  s.day.cost += cost;
  s.month.tokens += tokens;
  s.month.cost += cost;
  if (tokens > 0) {
    s.tokens.emplace_back(now, tokens);
    s.minute_tokens += tokens;
  }
}

}  // namespace codecrew::gateway
