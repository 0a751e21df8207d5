// LiveEvent: an event as it is fanned out to live subscribers: either a
// stored event (it has its seq in the workflow's log) or a live-only one
// (streamed tokens: never stored, seq 0), with its JSON rendering made once
// and shared by every subscriber.
// Thread-safety: immutable after construction; share it as LiveEventPtr.
#pragma once

#include "store/models.h"

#include <chrono>
#include <memory>
#include <string>

namespace codecrew::events {

// Which live stream an event belongs to: the status stream
// (GET /events/workflows/{id}) or the conversation stream (.../stream).
enum class EventChannel { kStatus, kConversation };

// Conversation and LLM-call events (messages, agent steps, tool calls, LLM
// calls, streamed tokens, log lines) go to the conversation stream; state
// changes, stages, tasks, approvals, escalations and errors to the status
// stream.
EventChannel channelOf(std::string_view type);

class LiveEvent {
 public:
  LiveEvent(store::Event event, bool stored);

  const store::Event& event() const { return event_; }
  bool stored() const { return stored_; }
  EventChannel channel() const { return channel_; }
  // {"seq", "type", "workflow_id", "execution_id", "data", "created_at", "live"}
  // serialized once.
  const std::string& json() const { return json_; }
  // When the hub received it (steady clock), for delay measurements.
  std::chrono::steady_clock::time_point receivedAt() const { return received_at_; }

 private:
  store::Event event_;
  bool stored_;
  EventChannel channel_;
  std::string json_;
  std::chrono::steady_clock::time_point received_at_;
};

using LiveEventPtr = std::shared_ptr<const LiveEvent>;

}  // namespace codecrew::events
