#include "events/publishing_store.h"

#include <utility>
#include <vector>

namespace codecrew::events {
namespace {

// Events appended in the innermost transaction running on this thread.
thread_local std::vector<store::Event>* t_pending = nullptr;

store::Result<store::Event> appendThrough(store::EventStore& target, const CommittedEventHandler& on_committed,
                                          const store::Event& e) {
  auto appended = target.appendEvent(e);
  if (!appended) return appended;
  if (t_pending) {
    t_pending->push_back(*appended);
  } else {
    on_committed(*appended);
  }
  return appended;
}

store::Status transactThrough(store::Store& target, const CommittedEventHandler& on_committed,
                              const std::function<store::Status(store::Store&)>& fn);

// The Store a transaction's function sees: the transaction's own store,
// with appends collected for publication at commit.
class TransactionView final : public store::StoreWrapper {
 public:
  TransactionView(store::Store& tx, const CommittedEventHandler& on_committed)
      : StoreWrapper(tx), on_committed_(on_committed) {}
  store::Result<store::Event> appendEvent(const store::Event& e) override {
    return appendThrough(target(), on_committed_, e);
  }
  store::Status transact(const std::function<store::Status(store::Store&)>& fn) override {
    return transactThrough(target(), on_committed_, fn);
  }

 private:
  const CommittedEventHandler& on_committed_;
};

// Restores the enclosing transaction's list, even when fn throws.
class PendingScope {
 public:
  explicit PendingScope(std::vector<store::Event>* list) : outer_(std::exchange(t_pending, list)) {}
  ~PendingScope() { t_pending = outer_; }
  std::vector<store::Event>* outer() const { return outer_; }

 private:
  std::vector<store::Event>* outer_;
};

store::Status transactThrough(store::Store& target, const CommittedEventHandler& on_committed,
                              const std::function<store::Status(store::Store&)>& fn) {
  std::vector<store::Event> pending;
  std::vector<store::Event>* outer = nullptr;
  store::Status status = core::okStatus();
  {
    PendingScope scope(&pending);
    outer = scope.outer();
    status = target.transact([&](store::Store& tx) {
      TransactionView view(tx, on_committed);
      return fn(view);
    });
  }
  if (!status) return status;
  if (outer) {  // a savepoint inside a transaction: publish when the outer one commits
    outer->insert(outer->end(), std::make_move_iterator(pending.begin()), std::make_move_iterator(pending.end()));
  } else {
    for (const auto& e : pending) on_committed(e);
  }
  return status;
}

}  // namespace

PublishingStore::PublishingStore(std::shared_ptr<store::Store> target, CommittedEventHandler on_committed)
    : StoreWrapper(std::move(target)), on_committed_(std::move(on_committed)) {}

store::Result<store::Event> PublishingStore::appendEvent(const store::Event& e) {
  return appendThrough(target(), on_committed_, e);
}

store::Status PublishingStore::transact(const std::function<store::Status(store::Store&)>& fn) {
  return transactThrough(target(), on_committed_, fn);
}

}  // namespace codecrew::events
