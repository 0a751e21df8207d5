#include "llm/providers/forwarded_stream_decoder.h"

#include "llm/provider_error.h"
#include "llm/providers/json_members.h"
#include "llm/providers/openai_answer_text.h"
#include "llm/providers/openai_wire.h"

namespace codecrew::llm {

ForwardedStreamDecoder::ForwardedStreamDecoder(std::string caller_model, bool drop_usage_frame)
    : caller_model_(std::move(caller_model)), drop_usage_frame_(drop_usage_frame) {}

core::Status ForwardedStreamDecoder::feed(std::string_view bytes, const FrameSink& sink) {
  pending_.append(bytes);
  std::size_t event_start = 0;
  std::size_t line_start = scanned_;
  core::Status status;
  for (;;) {
    auto nl = pending_.find('\n', line_start);
    if (nl == std::string::npos) break;
    const bool blank = nl == line_start || (nl == line_start + 1 && pending_[line_start] == '\r');
    line_start = nl + 1;
    if (!blank) continue;
    status = onFrame(std::string_view(pending_).substr(event_start, line_start - event_start), sink);
    event_start = line_start;
    if (!status.ok()) break;
  }
  pending_.erase(0, event_start);
  scanned_ = status.ok() ? line_start - event_start : 0;
  return status;
}

core::Status ForwardedStreamDecoder::finish() const {
  if (done_ || finish_reason_) return core::okStatus();
  return providerError(FailureKind::kNetwork, "OpenAI stream ended before its final chunk ([DONE])");
}

void ForwardedStreamDecoder::readInto(ForwardedAnswer& answer) {
  answer.streamed = true;
  if (usage_) answer.usage = std::move(*usage_);
  answer.raw_finish_reason = finish_reason_.value_or("");
  answer.finish_reason = openAiFinishReason(answer.raw_finish_reason);
}

core::Status ForwardedStreamDecoder::onFrame(std::string_view raw, const FrameSink& sink) {
  std::string_view data;
  std::string joined;
  int data_lines = 0;
  for (std::size_t start = 0; start < raw.size();) {
    auto nl = raw.find('\n', start);
    if (nl == std::string_view::npos) nl = raw.size();
    std::string_view line = raw.substr(start, nl - start);
    start = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.substr(0, 5) != "data:") continue;
    line.remove_prefix(5);
    if (!line.empty() && line.front() == ' ') line.remove_prefix(1);
    if (++data_lines == 1) {
      data = line;
    } else {
      if (data_lines == 2) joined.assign(data);
      joined += '\n';
      joined.append(line);
      data = joined;
    }
  }
  if (data_lines == 0) {  // a comment or keep-alive
    sink(raw);
    return core::okStatus();
  }
  if (data == "[DONE]") {
    done_ = true;
    sink(raw);
    return core::okStatus();
  }
  OpenAiAnswerMembers members;
  if (!readOpenAiAnswerMembers(data, members) || members.has_error) {
    // OpenAiWire's decoder words the failure (a malformed chunk, an error event).
    auto failed = OpenAiWire(Endpoint{}).streamDecoder()->feed(raw, [](const StreamDelta&) {});
    if (!failed.ok()) return failed;
  }
  auto usage = openAiUsageFromText(members.usage);
  const bool usage_only = usage && isEmptyJsonArray(members.choices);
  if (usage) usage_ = std::move(usage);
  if (auto reason = openAiFinishReasonFromText(members.choices); !reason.empty()) finish_reason_ = std::move(reason);
  if (drop_usage_frame_ && usage_only) return core::okStatus();
  if (caller_model_.empty() || !members.has_model) {
    sink(raw);
    return core::okStatus();
  }
  auto renamed = json::replaceMember(data, "model", quotedJsonString(caller_model_));
  sink("data: " + renamed.value_or(std::string(data)) + "\n\n");
  return core::okStatus();
}

}  // namespace codecrew::llm
