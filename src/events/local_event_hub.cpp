#include "events/local_event_hub.h"

#include "core/log.h"

#include <algorithm>

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
  // thread): it then gets no more of the events being dispatched. Anywhere
  // else, wait for a dispatch in progress to finish.
  if (std::this_thread::get_id() == thread_.get_id()) {
    removed_in_dispatch_.push_back(token);
  } else {
    std::lock_guard wait(dispatch_mu_);
  }
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
    std::deque<LiveEventPtr> events;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      events.swap(queue_);
    }
    // Everything queued meanwhile goes out in one pass per workflow: each
    // listener gets its workflow's events in a row, so a stream that is
    // behind takes them in one write rather than one write each.
    while (!events.empty()) {
      const core::Id workflow = events.front()->event().workflow_id;
      std::vector<LiveEventPtr> batch;
      std::deque<LiveEventPtr> others;
      for (auto& event : events) {
        if (event->event().workflow_id == workflow) {
          batch.push_back(std::move(event));
        } else {
          others.push_back(std::move(event));
        }
      }
      events.swap(others);
      dispatch(workflow, batch);
    }
  }
}

void LocalEventHub::dispatch(core::Id workflow_id, const std::vector<LiveEventPtr>& events) {
  std::lock_guard dispatching(dispatch_mu_);
  std::vector<std::pair<std::uint64_t, std::shared_ptr<EventListener>>> listeners;
  {
    std::lock_guard lock(mu_);
    auto it = by_workflow_.find(workflow_id);
    if (it == by_workflow_.end()) return;
    listeners.assign(it->second.begin(), it->second.end());
    deliveries_ += listeners.size() * events.size();
  }
  removed_in_dispatch_.clear();
  for (const auto& [token, listener] : listeners) {
    for (const auto& event : events) {
      try {
        listener->onEvent(event);
      } catch (const std::exception& e) {
        core::log::error("event listener threw", {{"error", e.what()}, {"type", event->event().type}});
      }
      if (!removed_in_dispatch_.empty() &&
          std::find(removed_in_dispatch_.begin(), removed_in_dispatch_.end(), token) != removed_in_dispatch_.end())
        break;
    }
  }
}

}  // namespace codecrew::events
