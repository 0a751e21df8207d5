#include "engine/progress_relay.h"

namespace codecrew::engine {

ProgressSink ProgressRelay::sink() {
  return [this](core::Id execution_id, const std::string& kind, const boost::json::object& data) {
    publish(execution_id, kind, data);
  };
}

void ProgressRelay::listen(core::Id execution_id, Listener fn) {
  std::lock_guard lock(mu_);
  listeners_[execution_id] = std::make_shared<Listener>(std::move(fn));
}

void ProgressRelay::stop(core::Id execution_id) {
  std::lock_guard lock(mu_);
  listeners_.erase(execution_id);
}

void ProgressRelay::tapAll(ProgressSink fn) {
  std::lock_guard lock(mu_);
  tap_ = std::make_shared<ProgressSink>(std::move(fn));
}

void ProgressRelay::publish(core::Id execution_id, const std::string& kind, const boost::json::object& data) {
  std::shared_ptr<Listener> fn;
  std::shared_ptr<ProgressSink> tap;
  {
    std::lock_guard lock(mu_);
    tap = tap_;
    auto it = listeners_.find(execution_id);
    if (it != listeners_.end()) fn = it->second;
  }
  if (tap) (*tap)(execution_id, kind, data);
  if (fn) (*fn)(kind, data);
}

}  // namespace codecrew::engine
