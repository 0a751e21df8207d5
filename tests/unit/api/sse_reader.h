// SseReader: reads Server-Sent Events from an HttpStreamReader, frame by
// frame (id, event, data), counting comment lines (heartbeats) on the way.
#pragma once

#include "support/http_client.h"

#include <boost/json/parse.hpp>

#include <chrono>
#include <optional>
#include <string>

namespace codecrew::api::test {

struct SseEvent {
  std::int64_t id = -1;
  std::string event;
  std::string data;
  boost::json::value json() const { return boost::json::parse(data); }
};

class SseReader {
 public:
  explicit SseReader(testing::HttpStreamReader stream) : stream_(std::move(stream)) {}

  // The next event; nullopt on timeout, end or close.
  std::optional<SseEvent> next(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    SseEvent e;
    bool any = false;
    for (;;) {
      auto line = stream_.readLine(timeout);
      if (!line) return std::nullopt;
      if (line->empty()) {
        if (any) return e;
        continue;
      }
      if ((*line)[0] == ':') {
        ++comments_;
        last_comment_ = *line;
        continue;
      }
      auto colon = line->find(':');
      std::string field = line->substr(0, colon);
      std::string value = colon == std::string::npos ? "" : line->substr(colon + 1);
      if (!value.empty() && value[0] == ' ') value.erase(0, 1);
      if (field == "id") e.id = std::stoll(value), any = true;
      if (field == "event") e.event = value, any = true;
      if (field == "data") e.data += value, any = true;
    }
  }
  // Waits for the next comment line (": heartbeat"); false on timeout.
  bool nextComment(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    int before = comments_;
    while (comments_ == before) {
      auto line = stream_.readLine(timeout);
      if (!line) return false;
      if (!line->empty() && (*line)[0] == ':') {
        ++comments_;
        last_comment_ = *line;
      }
    }
    return true;
  }
  const std::string& lastComment() const { return last_comment_; }
  testing::HttpStreamReader& stream() { return stream_; }

 private:
  testing::HttpStreamReader stream_;
  int comments_ = 0;
  std::string last_comment_;
};

}  // namespace codecrew::api::test
