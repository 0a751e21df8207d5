#include "llm/providers/stream_assembler.h"

namespace codecrew::llm {

void StreamAssembler::add(const StreamDelta& delta) {
  switch (delta.kind) {
    case StreamDelta::Kind::kText: response_.message.content += delta.text; break;
    case StreamDelta::Kind::kToolCall: {
      auto& call = tools_[delta.tool_index];
      if (!delta.tool_id.empty()) call.id = delta.tool_id;
      if (!delta.tool_name.empty()) call.name = delta.tool_name;
      call.arguments += delta.arguments_fragment;
      break;
    }
    case StreamDelta::Kind::kUsage: response_.usage = delta.usage; break;
    case StreamDelta::Kind::kFinish:
      response_.finish_reason = delta.finish_reason;
      response_.raw_finish_reason = delta.raw_finish_reason;
      finished_ = true;
      break;
  }
}

ChatResponse StreamAssembler::result() const {
  ChatResponse out = response_;
  for (const auto& [index, call] : tools_) out.message.tool_calls.push_back(call);
  return out;
}

}  // namespace codecrew::llm
