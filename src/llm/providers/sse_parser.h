// SseParser: splits a text/event-stream body (fed in arbitrary pieces) into
// events; LineSplitter does the same for newline-delimited JSON (Ollama).
// Thread-safety: one instance per stream; not shared.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace codecrew::llm {

struct SseEvent {
  std::string event;  // "" when the event had no "event:" field
  std::string data;   // "data:" lines joined by '\n'
};

class SseParser {
 public:
  // Calls on_event for each complete event; stops early and returns false if
  // on_event returns false.
  bool feed(std::string_view bytes, const std::function<bool(const SseEvent&)>& on_event);
  // True if a partial event is pending (the stream was cut inside an event).
  bool hasPartial() const;

 private:
  bool line(std::string_view text, const std::function<bool(const SseEvent&)>& on_event);
  std::string pending_;
  SseEvent current_;
  bool has_data_ = false;
};

class LineSplitter {
 public:
  // Calls on_line for each complete non-blank line; false stops early.
  bool feed(std::string_view bytes, const std::function<bool(std::string_view)>& on_line);
  // Unterminated text left at the end of the stream.
  const std::string& rest() const { return pending_; }

 private:
  std::string pending_;
};

}  // namespace codecrew::llm
