// PublishingStore: a Store decorator through which every appended event is
// also fanned out live. An event appended outside a transaction is published
// as soon as the store returns it (with its seq); one appended inside
// transact() — through the Store the transaction hands to its function, or
// through this store on that thread — is published only once the outermost
// transaction commits, and never if it rolls back. Give this store to the
// engine and the API so that nothing appends an event unseen.
// Thread-safety: as the wrapped store.
#pragma once

#include "store/store_wrapper.h"

#include <functional>
#include <memory>

namespace codecrew::events {

// Receives committed events, in the order they were appended on one thread.
using CommittedEventHandler = std::function<void(const store::Event& event)>;

class PublishingStore final : public store::StoreWrapper {
 public:
  PublishingStore(std::shared_ptr<store::Store> target, CommittedEventHandler on_committed);

  store::Result<store::Event> appendEvent(const store::Event& e) override;
  store::Status transact(const std::function<store::Status(store::Store&)>& fn) override;

 private:
  CommittedEventHandler on_committed_;
};

}  // namespace codecrew::events
