#include "events/live_event.h"

#include "core/json_text.h"

#include <array>

namespace codecrew::events {
namespace json = boost::json;

EventChannel channelOf(std::string_view type) {
  static constexpr std::array<std::string_view, 8> kConversationPrefixes = {"conversation.", "message.",   "llm_call.",
                                                                            "llm.",          "tool_call.", "token",
                                                                            "agent.",        "log."};
  for (auto prefix : kConversationPrefixes)
    if (type.starts_with(prefix)) return EventChannel::kConversation;
  return EventChannel::kStatus;
}

LiveEvent::LiveEvent(store::Event event, bool stored)
    : event_(std::move(event)),
      stored_(stored),
      channel_(channelOf(event_.type)),
      received_at_(std::chrono::steady_clock::now()) {
  json::object o{{"seq", stored_ ? json::value(event_.seq) : json::value(nullptr)},
                 {"type", event_.type},
                 {"workflow_id", event_.workflow_id},
                 {"execution_id", event_.execution_id ? json::value(*event_.execution_id) : json::value(nullptr)},
                 {"data", event_.data},
                 {"created_at", event_.created_at},
                 {"live", !stored_}};
  json_ = core::jsonText(o);
}

}  // namespace codecrew::events
