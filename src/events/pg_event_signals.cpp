#include "events/pg_event_signals.h"

#include "core/log.h"
#include "events/coalescing_event_signal.h"
#include "store/postgres/pg_notifier.h"

#include <vector>

namespace codecrew::events {

std::shared_ptr<EventSignal> makePgEventSignal(const PgEventSignalOptions& options) {
  store::postgres::PgNotifierOptions no;
  no.url = options.url;
  no.channel = options.channel;
  no.application_name = options.application_name_prefix + "-notifier";
  auto notifier = std::make_shared<store::postgres::PgNotifier>(std::move(no));
  auto send = [notifier](const std::vector<EventMark>& marks) {
    std::vector<std::string> payloads;
    payloads.reserve(marks.size());
    for (const auto& mark : marks) payloads.push_back(formatEventMark(mark));
    return notifier->notify(payloads);
  };
  return std::make_shared<CoalescingEventSignal>(std::move(send), options.coalesce);
}

std::unique_ptr<store::postgres::PgListener> listenPgEventSignals(const PgEventSignalOptions& options,
                                                                  std::weak_ptr<EventSignalReceiver> receiver) {
  store::postgres::PgListenerOptions lo;
  lo.url = options.url;
  lo.channel = options.channel;
  lo.application_name = options.application_name_prefix + "-listener";
  auto on_notification = [receiver](std::string_view payload) {
    auto mark = parseEventMark(payload);
    if (!mark) {
      core::log::warn("event signal with an unknown payload", {{"payload", std::string(payload.substr(0, 64))}});
      return;
    }
    if (auto r = receiver.lock()) r->onSignal(*mark);
  };
  auto on_listening = [receiver] {
    if (auto r = receiver.lock()) r->onResync();
  };
  auto listener = std::make_unique<store::postgres::PgListener>(std::move(lo), std::move(on_notification),
                                                                std::move(on_listening));
  listener->start();
  return listener;
}

}  // namespace codecrew::events
