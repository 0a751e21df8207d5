#include "events/event_signal.h"

#include <charconv>

namespace codecrew::events {
namespace {

// A non-negative decimal integer spanning the whole of text.
template <typename Int>
bool parseWhole(std::string_view text, Int& out) {
  if (text.empty() || text.front() == '-' || text.front() == '+') return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::string formatEventMark(const EventMark& mark) {
  return std::to_string(mark.tenant_id) + ":" + std::to_string(mark.workflow_id) + ":" + std::to_string(mark.seq);
}

std::optional<EventMark> parseEventMark(std::string_view payload) {
  const auto first = payload.find(':');
  if (first == std::string_view::npos) return std::nullopt;
  const auto second = payload.find(':', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  EventMark mark;
  if (!parseWhole(payload.substr(0, first), mark.tenant_id) ||
      !parseWhole(payload.substr(first + 1, second - first - 1), mark.workflow_id) ||
      !parseWhole(payload.substr(second + 1), mark.seq))
    return std::nullopt;
  return mark;
}

}  // namespace codecrew::events
