#include "events/store_event_relay.h"

#include "core/log.h"
#include "events/live_event.h"

#include <algorithm>

namespace codecrew::events {

StoreEventRelay::StoreEventRelay(std::shared_ptr<store::EventStore> store, std::shared_ptr<EventHub> hub,
                                 StoreEventRelayOptions options)
    : store_(std::move(store)),
      hub_(std::move(hub)),
      options_(options),
      readers_(std::make_shared<WorkQueue>(options.reader_threads)) {}

StoreEventRelay::~StoreEventRelay() { stop(); }

void StoreEventRelay::start() {
  if (options_.safety_poll.count() > 0) poller_ = std::thread([this] { pollLoop(); });
}

void StoreEventRelay::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  // The poller never holds the last reference (its reads hold one each, on
  // readers_), so this is never the poller's own thread.
  if (poller_.joinable()) poller_.join();
}

void StoreEventRelay::follow(core::Id tenant_id, core::Id workflow_id, std::int64_t after_seq) {
  std::lock_guard lock(mu_);
  auto [it, inserted] = tracks_.try_emplace(workflow_id);
  if (!inserted) {
    // Relayed already: from a seq no later than this feed's, or, while the
    // first feed's seq is still being checked (nothing is published yet),
    // perhaps a made-up one; then the lower is where to start.
    auto& track = *it->second;
    if (track.check_start && after_seq < track.last) track.last = after_seq;
    return;
  }
  it->second = std::make_shared<Track>();
  it->second->tenant_id = tenant_id;
  it->second->last = after_seq;
  it->second->check_start = after_seq > 0;
  scheduleLocked(workflow_id, it->second);
}

void StoreEventRelay::onSignal(const EventMark& mark) {
  std::lock_guard lock(mu_);
  auto it = tracks_.find(mark.workflow_id);
  if (it == tracks_.end() || mark.seq <= it->second->last) return;
  scheduleLocked(it->first, it->second);
}

void StoreEventRelay::onResync() {
  std::lock_guard lock(mu_);
  for (const auto& [workflow_id, track] : tracks_) scheduleLocked(workflow_id, track);
}

void StoreEventRelay::poll() {
  std::lock_guard lock(mu_);
  ++poll_round_;
  // Under mu_, so that a feed that subscribed after its workflow was found
  // without subscribers calls follow() after it was forgotten.
  for (auto it = tracks_.begin(); it != tracks_.end();) {
    if (hub_->subscriberCount(it->first) == 0) {
      it = tracks_.erase(it);
    } else {
      scheduleLocked(it->first, it->second);
      ++it;
    }
  }
}

std::size_t StoreEventRelay::relayedWorkflows() const {
  std::lock_guard lock(mu_);
  return tracks_.size();
}

std::uint64_t StoreEventRelay::published() const {
  std::lock_guard lock(mu_);
  return published_;
}

std::uint64_t StoreEventRelay::reads() const {
  std::lock_guard lock(mu_);
  return reads_;
}

void StoreEventRelay::scheduleLocked(core::Id workflow_id, const TrackPtr& track) {
  if (stopping_) return;
  if (track->reading) {
    track->again = true;
    return;
  }
  auto self = weak_from_this().lock();
  if (!self) return;  // being destroyed
  track->reading = true;
  track->again = false;
  readers_->post([self = std::move(self), workflow_id, track] { self->drain(workflow_id, track); });
}

bool StoreEventRelay::currentLocked(core::Id workflow_id, const TrackPtr& track) const {
  auto it = tracks_.find(workflow_id);
  return !stopping_ && it != tracks_.end() && it->second == track;
}

void StoreEventRelay::drain(core::Id workflow_id, const TrackPtr& track) {
  std::unique_lock lock(mu_);
  for (;;) {
    if (!currentLocked(workflow_id, track)) break;  // forgotten meanwhile: a newer track publishes
    track->again = false;
    const std::int64_t from = track->last;
    const core::Id tenant_id = track->tenant_id;
    if (track->check_start) {
      lock.unlock();
      auto start = storedStart(tenant_id, workflow_id, from);
      lock.lock();
      if (!readDoneLocked(workflow_id, start ? nullptr : &start.error())) break;
      if (!currentLocked(workflow_id, track)) break;
      track->last = std::min(*start, track->last);  // a feed may have come with a lower one meanwhile
      track->check_start = false;
      continue;
    }
    lock.unlock();
    auto batch = store_->listEvents(tenant_id, workflow_id, from, options_.batch);
    lock.lock();
    // A failed read: the next signal or safety poll tries again.
    if (!readDoneLocked(workflow_id, batch ? nullptr : &batch.error())) break;
    if (!currentLocked(workflow_id, track)) break;
    const bool complete = publishLocked(workflow_id, *track, *batch);
    const bool full = batch->size() >= static_cast<std::size_t>(options_.batch);
    if (complete && (full || track->again)) continue;
    break;
  }
  track->reading = false;
}

bool StoreEventRelay::readDoneLocked(core::Id workflow_id, const core::Error* failure) {
  ++reads_;
  if (failure) {
    if (!read_failing_)
      core::log::warn("event relay cannot read the store", {{"workflow_id", workflow_id}, {"error", failure->message}});
    read_failing_ = true;
    return false;
  }
  if (read_failing_) core::log::info("event relay reads the store again");
  read_failing_ = false;
  return true;
}

core::Result<std::int64_t> StoreEventRelay::storedStart(core::Id tenant_id, core::Id workflow_id,
                                                        std::int64_t after_seq) {
  auto probe = store_->listEvents(tenant_id, workflow_id, after_seq - 1, 1);
  if (!probe) return probe.error();
  if (!probe->empty()) return after_seq;
  // Beyond the last stored seq m: m is the least x with no event after x.
  std::int64_t low = 0;
  std::int64_t high = after_seq - 1;
  while (low < high) {
    const std::int64_t mid = low + (high - low) / 2;
    auto after_mid = store_->listEvents(tenant_id, workflow_id, mid, 1);
    if (!after_mid) return after_mid.error();
    if (after_mid->empty()) {
      high = mid;
    } else {
      low = mid + 1;
    }
  }
  core::log::debug("event relay: a feed resumed beyond the last stored seq",
                   {{"workflow_id", workflow_id}, {"after", after_seq}, {"last", low}});
  return low;
}

bool StoreEventRelay::publishLocked(core::Id workflow_id, Track& track, const std::vector<store::Event>& batch) {
  for (const auto& e : batch) {
    if (e.seq <= track.last) continue;
    if (e.seq != track.last + 1) {
      const std::int64_t missing = track.last + 1;
      if (track.missing != missing) {
        track.missing = missing;
        track.missing_since = poll_round_;
      }
      // Missing across a whole safety-poll interval (two rounds later): it
      // will not come.
      if (poll_round_ < track.missing_since + 2) return false;
      core::log::warn("event relay: a seq is missing from the store; going on without it",
                      {{"workflow_id", workflow_id}, {"missing", missing}, {"next", e.seq}});
    }
    track.missing = 0;
    track.last = e.seq;
    ++published_;
    hub_->publish(std::make_shared<const LiveEvent>(e, true));
  }
  return true;
}

void StoreEventRelay::pollLoop() {
  std::unique_lock lock(mu_);
  for (;;) {
    cv_.wait_for(lock, options_.safety_poll, [&] { return stopping_; });
    if (stopping_) return;
    lock.unlock();
    poll();
    lock.lock();
  }
}

}  // namespace codecrew::events
