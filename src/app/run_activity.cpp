#include "app/run_activity.h"

#include <fmt/format.h>

#include <array>

namespace codecrew::app {
namespace {

std::string text(const boost::json::object& d, const char* key) {
  const auto* v = d.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

long long secondsBetween(RunActivity::Clock::time_point from, RunActivity::Clock::time_point to) {
  return std::chrono::duration_cast<std::chrono::seconds>(to - from).count();
}

}  // namespace

RunActivity::RunActivity(std::ostream& out, std::mutex& mu, bool terminal, std::chrono::seconds every)
    : out_(out), mu_(mu), terminal_(terminal), every_(every) {}

RunActivity::~RunActivity() { stop(); }

void RunActivity::onProgress(const std::string& kind, const boost::json::object& data, Clock::time_point now) {
  std::lock_guard lock(mu_);
  if (kind == "llm_call.start") {
    call_ = Call{text(data, "agent"), text(data, "step"), now, now};
    return;
  }
  call_.reset();
  clearLineLocked();
}

void RunActivity::clearLineLocked() {
  if (!drawn_) return;
  out_ << "\r\033[K" << std::flush;
  drawn_ = false;
}

void RunActivity::tick(Clock::time_point now) {
  static constexpr std::array<const char*, 4> kFrames = {"|", "/", "-", "\\"};
  std::lock_guard lock(mu_);
  if (!call_) return;
  const long long waited = secondsBetween(call_->started, now);
  if (terminal_) {
    if (waited < 1) return;
    out_ << "\r\033[K   " << kFrames[static_cast<std::size_t>(frame_++) % kFrames.size()] << " "
         << fmt::format("{:<10} {:<32} waiting for the model ({} s)", call_->agent, call_->step, waited) << std::flush;
    drawn_ = true;
    return;
  }
  if (now - call_->last_line < every_) return;
  call_->last_line = now;
  out_ << fmt::format("   {:<10} {:<32} still waiting for the model ({} s)\n", call_->agent, call_->step, waited)
       << std::flush;
}

void RunActivity::start() {
  thread_ = std::thread([this] {
    std::unique_lock lock(thread_mu_);
    while (!wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; })) {
      lock.unlock();
      tick(Clock::now());
      lock.lock();
    }
  });
}

void RunActivity::stop() {
  {
    std::lock_guard lock(thread_mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mu_);
  clearLineLocked();
}

}  // namespace codecrew::app
