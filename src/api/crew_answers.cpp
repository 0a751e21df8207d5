#include "api/crew_answers.h"

namespace codecrew::api {

void CrewAnswer::subscribe(Listener fn) {
  std::optional<core::Result<engine::CrewRun>> now;
  {
    std::lock_guard lock(mu_);
    if (!result_) {
      listeners_.push_back(std::move(fn));
      return;
    }
    now = result_;
  }
  fn(*now);
}

void CrewAnswer::complete(core::Result<engine::CrewRun> result) {
  std::vector<Listener> listeners;
  {
    std::lock_guard lock(mu_);
    if (result_) return;
    result_ = std::move(result);
    listeners.swap(listeners_);
  }
  for (auto& fn : listeners) fn(*result_);
}

bool CrewAnswer::ended() const {
  std::lock_guard lock(mu_);
  return result_.has_value();
}

std::optional<core::Id> CrewAnswer::execution_id() const {
  std::lock_guard lock(mu_);
  return execution_id_;
}

void CrewAnswer::setExecution(core::Id id) {
  std::lock_guard lock(mu_);
  execution_id_ = id;
}

void CrewAnswer::join() {
  std::lock_guard lock(mu_);
  ++callers_;
}

bool CrewAnswer::leave() {
  std::lock_guard lock(mu_);
  if (--callers_ > 0 || result_) return false;
  abandoned_ = true;
  return true;
}

bool CrewAnswer::abandoned() const {
  std::lock_guard lock(mu_);
  return abandoned_;
}

CrewAnswers::CrewAnswers(std::shared_ptr<core::Clock> clock, std::chrono::seconds window, std::size_t capacity)
    : clock_(std::move(clock)), window_ms_(window.count() * 1000), capacity_(capacity) {}

namespace {

std::string callerPrefix(core::Id tenant_id, const CrewAnswers::Keys& keys) {
  return std::to_string(tenant_id) + ":" + (keys.api_key_id ? std::to_string(*keys.api_key_id) : "dev") + ":";
}

}  // namespace

std::shared_ptr<CrewAnswer> CrewAnswers::find(core::Id tenant_id, const Keys& keys) {
  std::string prefix = callerPrefix(tenant_id, keys);
  std::string key;
  if (keys.idempotency_key) key = prefix + "key:" + *keys.idempotency_key;
  else if (keys.sdk_retry) key = prefix + "body:" + keys.body_hash;
  else return nullptr;
  std::lock_guard lock(mu_);
  prune(clock_->nowMillis());
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.answer->abandoned()) return nullptr;
  return it->second.answer;
}

void CrewAnswers::remember(core::Id tenant_id, const Keys& keys, std::shared_ptr<CrewAnswer> answer) {
  std::string prefix = callerPrefix(tenant_id, keys);
  auto now = clock_->nowMillis();
  std::lock_guard lock(mu_);
  prune(now);
  if (entries_.size() + 2 > capacity_) entries_.clear();  // bounded: a retry past this is a new run
  if (keys.idempotency_key) entries_[prefix + "key:" + *keys.idempotency_key] = Entry{now, answer};
  entries_[prefix + "body:" + keys.body_hash] = Entry{now, std::move(answer)};
}

void CrewAnswers::prune(core::Millis now) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (now - it->second.at > window_ms_) it = entries_.erase(it);
    else ++it;
  }
}

}  // namespace codecrew::api
