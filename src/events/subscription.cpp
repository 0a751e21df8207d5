#include "events/event_hub.h"

#include <utility>

namespace codecrew::events {

Subscription::Subscription(Subscription&& other) noexcept
    : hub_(std::exchange(other.hub_, nullptr)), token_(std::exchange(other.token_, 0)) {}

Subscription& Subscription::operator=(Subscription&& other) noexcept {
  if (this != &other) {
    reset();
    hub_ = std::exchange(other.hub_, nullptr);
    token_ = std::exchange(other.token_, 0);
  }
  return *this;
}

void Subscription::reset() {
  if (auto* hub = std::exchange(hub_, nullptr)) hub->unsubscribe(token_);
}

}  // namespace codecrew::events
