#include "events/coalescing_event_signal.h"

#include "core/log.h"

namespace codecrew::events {

CoalescingEventSignal::CoalescingEventSignal(Sender sender, std::chrono::milliseconds interval)
    : sender_(std::move(sender)), interval_(interval), thread_([this] { run(); }) {}

CoalescingEventSignal::~CoalescingEventSignal() { stop(); }

void CoalescingEventSignal::notify(const EventMark& mark) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    mergeLocked({mark});
  }
  cv_.notify_all();
}

void CoalescingEventSignal::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::uint64_t CoalescingEventSignal::sends() const {
  std::lock_guard lock(mu_);
  return sends_;
}

void CoalescingEventSignal::mergeLocked(const std::vector<EventMark>& marks) {
  for (const auto& mark : marks) {
    auto [it, inserted] = pending_.try_emplace(mark.workflow_id, mark);
    if (!inserted && mark.seq > it->second.seq) it->second = mark;
  }
}

void CoalescingEventSignal::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait(lock, [&] { return stopping_ || !pending_.empty(); });
    if (stopping_) break;
    send(lock);
    // Whatever comes now waits for the next send, an interval on.
    cv_.wait_for(lock, interval_, [&] { return stopping_; });
    if (stopping_) break;
  }
  if (!pending_.empty()) send(lock);  // once more, best effort
}

bool CoalescingEventSignal::send(std::unique_lock<std::mutex>& lock) {
  std::vector<EventMark> marks;
  marks.reserve(pending_.size());
  for (const auto& [workflow, mark] : pending_) marks.push_back(mark);
  pending_.clear();
  ++sends_;
  lock.unlock();
  core::Status sent = core::okStatus();
  try {
    sent = sender_(marks);
  } catch (const std::exception& e) {
    sent = core::Error::internal(e.what());
  }
  lock.lock();
  if (sent) {
    if (failing_) core::log::info("event signals are sent again");
    failing_ = false;
    return true;
  }
  if (sent.error().code != core::ErrorCode::kUnavailable) {
    core::log::warn("event signals refused; dropped", {{"error", sent.error().message}, {"marks", marks.size()}});
    return false;
  }
  if (!failing_) core::log::warn("event signals cannot be sent", {{"error", sent.error().message}});
  failing_ = true;
  mergeLocked(marks);
  return false;
}

}  // namespace codecrew::events
