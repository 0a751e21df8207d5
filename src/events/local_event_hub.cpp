#include "events/local_event_hub.h"

#include "core/log.h"

namespace codecrew::events {

LocalEventHub::LocalEventHub() : thread_([this] { dispatchLoop(); }) {}

LocalEventHub::~LocalEventHub() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void LocalEventHub::publish(LiveEventPtr event) {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    queue_.push_back(std::move(event));
  }
  cv_.notify_one();
}

Subscription LocalEventHub::subscribe(core::Id workflow_id, std::shared_ptr<EventListener> listener) {
  std::lock_guard lock(mu_);
  std::uint64_t token = next_token_++;
  by_workflow_[workflow_id].emplace(token, std::move(listener));
  workflow_of_.emplace(token, workflow_id);
  return Subscription(this, token);
}

void LocalEventHub::unsubscribe(std::uint64_t token) {
  std::shared_ptr<EventListener> removed;  // released outside the lock
  {
    std::lock_guard lock(mu_);
    auto it = workflow_of_.find(token);
    if (it == workflow_of_.end()) return;
    auto wf = by_workflow_.find(it->second);
    if (wf != by_workflow_.end()) {
      auto l = wf->second.find(token);
      if (l != wf->second.end()) {
        removed = std::move(l->second);
        wf->second.erase(l);
      }
      if (wf->second.empty()) by_workflow_.erase(wf);
    }
    workflow_of_.erase(it);
  }
  // A listener may unsubscribe from inside its own onEvent (on the dispatch
  // thread); anywhere else, wait for a dispatch in progress to finish.
  if (std::this_thread::get_id() != thread_.get_id()) std::lock_guard wait(dispatch_mu_);
}

std::size_t LocalEventHub::subscriberCount(core::Id workflow_id) const {
  std::lock_guard lock(mu_);
  auto it = by_workflow_.find(workflow_id);
  return it == by_workflow_.end() ? 0 : it->second.size();
}

std::uint64_t LocalEventHub::deliveries() const {
  std::lock_guard lock(mu_);
  return deliveries_;
}

void LocalEventHub::dispatchLoop() {
  for (;;) {
    LiveEventPtr event;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      event = std::move(queue_.front());
      queue_.pop_front();
    }
    dispatch(event);
  }
}

void LocalEventHub::dispatch(const LiveEventPtr& event) {
  std::lock_guard dispatching(dispatch_mu_);
  std::vector<std::pair<std::uint64_t, std::shared_ptr<EventListener>>> listeners;
  {
    std::lock_guard lock(mu_);
    auto it = by_workflow_.find(event->event().workflow_id);
    if (it == by_workflow_.end()) return;
    listeners.assign(it->second.begin(), it->second.end());
    deliveries_ += listeners.size();
  }
  for (const auto& [token, listener] : listeners) {
    try {
      listener->onEvent(event);
    } catch (const std::exception& e) {
      core::log::error("event listener threw", {{"error", e.what()}, {"type", event->event().type}});
    }
  }
}

}  // namespace codecrew::events
