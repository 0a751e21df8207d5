#include "llm/router/rate_scheduler.h"

#include "llm/provider_error.h"

#include <algorithm>

namespace codecrew::llm {

RateScheduler::RateScheduler(std::shared_ptr<core::Clock> clock, std::shared_ptr<Sleeper> sleeper)
    : clock_(std::move(clock)), sleeper_(std::move(sleeper)) {}

void RateScheduler::setLimit(const std::string& key, RateLimit limit) {
  std::lock_guard lock(mu_);
  windows_[key].limit = limit;
}

std::optional<RateLimit> RateScheduler::limit(const std::string& key) const {
  std::lock_guard lock(mu_);
  auto it = windows_.find(key);
  if (it == windows_.end()) return std::nullopt;
  return it->second.limit;
}

void RateScheduler::prune(Window& w, core::Millis now) {
  while (!w.entries.empty() && w.entries.front().at <= now - kWindowMs) {
    w.tokens -= w.entries.front().tokens;
    w.entries.pop_front();
  }
}

core::Millis RateScheduler::waitFor(Window& w, std::int64_t tokens, core::Millis now) {
  prune(w, now);
  core::Millis wait = 0;
  const auto& entries = w.entries;
  if (w.limit.rpm > 0 && static_cast<std::int64_t>(entries.size()) >= w.limit.rpm) {
    const auto& oldest_blocking = entries[entries.size() - static_cast<std::size_t>(w.limit.rpm)];
    wait = std::max(wait, oldest_blocking.at + kWindowMs - now);
  }
  if (w.limit.tpm > 0 && w.tokens + tokens > w.limit.tpm) {
    std::int64_t in_window = w.tokens;
    for (const auto& e : entries) {
      in_window -= e.tokens;
      if (in_window + tokens <= w.limit.tpm) {
        wait = std::max(wait, e.at + kWindowMs - now);
        break;
      }
    }
  }
  return wait;
}

boost::asio::awaitable<core::Result<RateReservation>> RateScheduler::acquire(std::vector<std::string> keys,
                                                                             std::int64_t tokens,
                                                                             std::function<bool()> cancelled) {
  tokens = std::max<std::int64_t>(tokens, 0);
  core::Millis waited = 0;
  for (;;) {
    core::Millis wait = 0;
    {
      std::lock_guard lock(mu_);
      core::Millis now = clock_->nowMillis();
      for (const auto& key : keys) {
        auto it = windows_.find(key);
        if (it == windows_.end()) continue;
        if (it->second.limit.tpm > 0 && tokens > it->second.limit.tpm) {
          co_return providerError(FailureKind::kOverBudget,
                                  "a call of " + std::to_string(tokens) + " tokens can never fit " + key +
                                      "'s limit of " + std::to_string(it->second.limit.tpm) + " tokens per minute");
        }
        wait = std::max(wait, waitFor(it->second, tokens, now));
      }
      if (wait == 0) {
        RateReservation r{next_id_++, {}, tokens, waited};
        for (const auto& key : keys) {
          auto it = windows_.find(key);
          if (it == windows_.end()) continue;
          it->second.entries.push_back(Entry{now, tokens, r.id});
          it->second.tokens += tokens;
          r.keys.push_back(key);
        }
        co_return r;
      }
    }
    if (cancelled && cancelled())
      co_return providerError(FailureKind::kCancelled, "cancelled while waiting for a rate limit");
    co_await sleeper_->sleep(std::chrono::milliseconds(wait));
    waited += wait;
  }
}

void RateScheduler::settle(const RateReservation& reservation, std::int64_t actual_tokens) {
  std::lock_guard lock(mu_);
  for (const auto& key : reservation.keys) {
    auto it = windows_.find(key);
    if (it == windows_.end()) continue;
    for (auto& e : it->second.entries) {
      if (e.id != reservation.id) continue;
      it->second.tokens += actual_tokens - e.tokens;
      e.tokens = actual_tokens;
    }
  }
}

std::pair<std::int64_t, std::int64_t> RateScheduler::usage(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = windows_.find(key);
  if (it == windows_.end()) return {0, 0};
  prune(it->second, clock_->nowMillis());
  return {static_cast<std::int64_t>(it->second.entries.size()), it->second.tokens};
}

}  // namespace codecrew::llm
