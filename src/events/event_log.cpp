#include "events/event_log.h"

#include "core/log.h"
#include "events/publishing_store.h"

#include <boost/json/serialize.hpp>

namespace codecrew::events {
namespace {

// Event data larger than this is left out of the structured log line.
constexpr std::size_t kMaxLoggedData = 2048;

}  // namespace

EventLog::EventLog(std::shared_ptr<store::Store> store, std::shared_ptr<EventHub> hub, EventLogOptions options)
    : raw_(std::move(store)),
      hub_(std::move(hub)),
      readers_(std::make_shared<WorkQueue>(options.reader_threads)),
      signal_(std::move(options.signal)),
      publishing_(std::make_shared<PublishingStore>(raw_, [this](const store::Event& e) { committed(e); })) {
  if (signal_) {
    relay_ = std::make_shared<StoreEventRelay>(raw_, hub_, options.relay);
    relay_->start();
  }
}

EventLog::~EventLog() {
  if (relay_) relay_->stop();
}

core::Result<store::Event> EventLog::append(const store::Event& e) { return publishing_->appendEvent(e); }

void EventLog::publishLive(store::Event e) {
  e.seq = 0;
  hub_->publish(std::make_shared<const LiveEvent>(std::move(e), false));
}

std::shared_ptr<EventFeed> EventLog::follow(const FeedTarget& target, EventFeed::Sink sink,
                                            EventFeed::FailureHandler on_failure, EventFeed::ReadyCheck ready) {
  auto feed = std::make_shared<EventFeed>(raw_, readers_, target, std::move(sink), std::move(on_failure),
                                          std::move(ready));
  feed->start(*hub_);
  if (relay_ && !feed->stopped()) relay_->follow(target.tenant_id, target.workflow_id, feed->lastSeq());
  return feed;
}

void EventLog::committed(const store::Event& e) {
  auto live = std::make_shared<const LiveEvent>(e, true);
  if (core::log::enabled(core::log::Level::kInfo)) {
    boost::json::object fields{{"workflow_id", e.workflow_id}, {"seq", e.seq}, {"type", e.type}};
    if (e.execution_id) fields["execution_id"] = *e.execution_id;
    fields["tenant_id"] = e.tenant_id;
    if (live->json().size() <= kMaxLoggedData) {
      fields["data"] = e.data;
    } else {
      fields["data_bytes"] = live->json().size();
    }
    core::log::info("event", fields);
  }
  if (!relay_) {
    hub_->publish(std::move(live));
    return;
  }
  // Published by the relay, from the store, here as in every other process.
  const EventMark mark{e.tenant_id, e.workflow_id, e.seq};
  relay_->onSignal(mark);
  signal_->notify(mark);
}

}  // namespace codecrew::events
