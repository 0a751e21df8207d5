#include "llm/providers/sse_parser.h"

namespace codecrew::llm {

bool SseParser::feed(std::string_view bytes, const std::function<bool(const SseEvent&)>& on_event) {
  pending_.append(bytes);
  std::size_t start = 0;
  for (;;) {
    auto nl = pending_.find('\n', start);
    if (nl == std::string::npos) break;
    std::string_view text(pending_.data() + start, nl - start);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    start = nl + 1;
    if (!line(text, on_event)) {
      pending_.erase(0, start);
      return false;
    }
  }
  pending_.erase(0, start);
  return true;
}

bool SseParser::hasPartial() const { return has_data_ || !pending_.empty(); }

bool SseParser::line(std::string_view text, const std::function<bool(const SseEvent&)>& on_event) {
  if (text.empty()) {
    if (!has_data_) {
      current_ = {};
      return true;
    }
    SseEvent event = std::move(current_);
    current_ = {};
    has_data_ = false;
    return on_event(event);
  }
  if (text.front() == ':') return true;  // comment / keep-alive
  auto colon = text.find(':');
  std::string_view field = text.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? std::string_view() : text.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (field == "event") {
    current_.event.assign(value);
  } else if (field == "data") {
    if (has_data_) current_.data.push_back('\n');
    current_.data.append(value);
    has_data_ = true;
  }
  return true;
}

bool LineSplitter::feed(std::string_view bytes, const std::function<bool(std::string_view)>& on_line) {
  pending_.append(bytes);
  std::size_t start = 0;
  bool go_on = true;
  for (;;) {
    auto nl = pending_.find('\n', start);
    if (nl == std::string::npos) break;
    std::string_view text(pending_.data() + start, nl - start);
    start = nl + 1;
    while (!text.empty() && (text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
    if (text.empty()) continue;
    if (!on_line(text)) {
      go_on = false;
      break;
    }
  }
  pending_.erase(0, start);
  return go_on;
}

}  // namespace codecrew::llm
