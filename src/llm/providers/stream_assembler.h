// StreamAssembler: builds the ChatResponse a stream amounts to from its
// deltas, so that stream() returns what chat() would have.
// Thread-safety: one instance per stream; not shared.
#pragma once

#include "llm/types.h"

#include <map>

namespace codecrew::llm {

class StreamAssembler {
 public:
  void add(const StreamDelta& delta);
  void setId(std::string id) { response_.id = std::move(id); }
  void setModel(std::string model) { response_.model = std::move(model); }
  // The response so far (tool calls in index order).
  ChatResponse result() const;
  bool finished() const { return finished_; }

 private:
  ChatResponse response_;
  std::map<int, ToolCall> tools_;
  bool finished_ = false;
};

}  // namespace codecrew::llm
