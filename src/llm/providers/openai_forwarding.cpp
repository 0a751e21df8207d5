#include "llm/providers/openai_forwarding.h"

#include "llm/provider_error.h"
#include "llm/providers/json_members.h"
#include "llm/providers/json_util.h"
#include "llm/providers/openai_wire.h"
#include "llm/providers/stream_assembler.h"

#include <boost/json.hpp>

#include <charconv>

namespace codecrew::llm {

namespace bj = boost::json;
using core::Result;

namespace {

bool isJsonSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view trimmed(std::string_view v) {
  while (!v.empty() && isJsonSpace(v.front())) v.remove_prefix(1);
  while (!v.empty() && isJsonSpace(v.back())) v.remove_suffix(1);
  return v;
}

bool isEmptyArray(std::string_view value) {
  if (value.empty() || value.front() != '[') return false;
  return trimmed(value.substr(1)) == "]";
}

std::string quoted(const std::string& text) { return bj::serialize(bj::string_view(text)); }

std::int64_t integerOf(std::string_view value) {
  std::int64_t n = 0;
  std::from_chars(value.data(), value.data() + value.size(), n);
  return n;
}

// An OpenAI "usage" object read from its text (as decodeOpenAiUsage reads
// it from a tree); nullopt when the value is not an object (null).
std::optional<Usage> usageOf(std::string_view value) {
  if (value.empty() || value.front() != '{') return std::nullopt;
  Usage usage;
  usage.reported = true;
  json::forEachMember(value, [&](std::string_view name, std::string_view v) {
    if (name == "prompt_tokens") {
      usage.prompt_tokens = integerOf(v);
    } else if (name == "completion_tokens") {
      usage.completion_tokens = integerOf(v);
    } else if (name == "total_tokens") {
      usage.total_tokens = integerOf(v);
    } else if (name == "prompt_tokens_details" && !v.empty() && v.front() == '{') {
      json::forEachMember(v, [&](std::string_view detail, std::string_view d) {
        if (detail == "cached_tokens") usage.cached_prompt_tokens = integerOf(d);
        return true;
      });
    }
    return true;
  });
  if (usage.total_tokens == 0) usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  return usage;
}

// The first "finish_reason" key's string value inside `text` (a piece of
// valid JSON), "" when it is null or absent. A quote that ends a string is
// never preceded by a backslash inside it, so "finish_reason" followed by a
// colon is a key.
std::string finishReasonIn(std::string_view text) {
  static constexpr std::string_view kKey = "\"finish_reason\"";
  for (auto pos = text.find(kKey); pos != std::string_view::npos; pos = text.find(kKey, pos + 1)) {
    if (pos > 0 && text[pos - 1] == '\\') continue;
    auto p = pos + kKey.size();
    while (p < text.size() && isJsonSpace(text[p])) ++p;
    if (p >= text.size() || text[p] != ':') continue;
    ++p;
    while (p < text.size() && isJsonSpace(text[p])) ++p;
    if (p >= text.size() || text[p] != '"') return {};
    auto end = text.find('"', p + 1);
    if (end == std::string_view::npos) return {};
    return std::string(text.substr(p + 1, end - p - 1));
  }
  return {};
}

struct ChunkMembers {
  std::string_view usage, choices;
  bool has_error = false;
  bool has_model = false;
};

// The top-level members a forwarded chunk or answer is read for; false if
// the text is not a JSON object.
bool readMembers(std::string_view text, ChunkMembers& out) {
  return json::forEachMember(text, [&](std::string_view name, std::string_view value) {
    if (name == "usage") {
      out.usage = value;
    } else if (name == "choices") {
      out.choices = value;
    } else if (name == "error") {
      out.has_error = true;
    } else if (name == "model") {
      out.has_model = true;
    }
    return true;
  });
}

void ignoreDelta(const StreamDelta&) {}

class ForwardingStreamDecoder final : public StreamDecoder {
 public:
  ForwardingStreamDecoder(std::string caller_model, bool drop_usage_frame)
      : caller_model_(std::move(caller_model)), drop_usage_frame_(drop_usage_frame) {
    frame_.kind = StreamDelta::Kind::kForwarded;
  }

  core::Status feed(std::string_view bytes, const DeltaSink& sink) override {
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

  core::Status finish(const DeltaSink& sink) override {
    if (done_ || finish_reason_) {
      emitFinish(sink);
      return core::okStatus();
    }
    return providerError(FailureKind::kNetwork, "OpenAI stream ended before its final chunk ([DONE])");
  }

 private:
  // One SSE event (its lines and the blank line that ends it).
  core::Status onFrame(std::string_view raw, const DeltaSink& sink) {
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
    if (data_lines == 0) return forward(raw, sink);  // a comment or keep-alive
    if (data == "[DONE]") {
      done_ = true;
      forward(raw, sink);
      emitFinish(sink);
      return core::okStatus();
    }
    ChunkMembers members;
    if (!readMembers(data, members) || members.has_error) {
      // OpenAiWire's decoder words the failure (a malformed chunk, an error event).
      auto failed = OpenAiWire(Endpoint{}).streamDecoder()->feed(raw, ignoreDelta);
      if (!failed.ok()) return failed;
    }
    auto usage = usageOf(members.usage);
    if (usage) {
      StreamDelta d;
      d.kind = StreamDelta::Kind::kUsage;
      d.usage = std::move(*usage);
      sink(d);
    }
    if (auto reason = finishReasonIn(members.choices); !reason.empty()) finish_reason_ = std::move(reason);
    if (drop_usage_frame_ && usage && isEmptyArray(members.choices)) return core::okStatus();
    if (caller_model_.empty() || !members.has_model) return forward(raw, sink);
    auto renamed = json::replaceMember(data, "model", quoted(caller_model_));
    return forward("data: " + renamed.value_or(std::string(data)) + "\n\n", sink);
  }

  core::Status forward(std::string_view frame, const DeltaSink& sink) {
    frame_.text.assign(frame);
    sink(frame_);
    return core::okStatus();
  }

  void emitFinish(const DeltaSink& sink) {
    if (finish_emitted_) return;
    finish_emitted_ = true;
    sink(openAiFinishDelta(finish_reason_.value_or("")));
  }

  std::string caller_model_;
  bool drop_usage_frame_;
  std::string pending_;      // bytes of the event not yet complete
  std::size_t scanned_ = 0;  // of pending_, the complete lines already looked at
  StreamDelta frame_;
  std::optional<std::string> finish_reason_;
  bool done_ = false;
  bool finish_emitted_ = false;
};

}  // namespace

bool canForward(const OpenAiBody& body, bool stream) { return !stream || !body.has_stream_options || body.wants_usage; }

Result<std::string> forwardedRequestBody(const OpenAiBody& body, const std::string& model, bool stream) {
  std::string text;
  if (model == body.model) {
    text = body.text;
  } else {
    auto renamed = json::replaceMember(body.text, "model", quoted(model));
    if (!renamed) return core::Error::invalidArgument("the request body is not a JSON object");
    text = std::move(*renamed);
  }
  if (stream && !body.has_stream_options) {
    auto close = text.find_last_of('}');
    if (close == std::string::npos) return core::Error::invalidArgument("the request body is not a JSON object");
    text.insert(close, R"(,"stream_options":{"include_usage":true})");
  }
  return text;
}

std::string callerModelToRestore(const ChatRequest& request) {
  if (!request.openai_body || request.openai_body->model == request.model) return {};
  return request.openai_body->model;
}

Result<ChatResponse> forwardedAnswer(std::string body, const std::string& caller_model) {
  ChunkMembers members;
  if (!readMembers(body, members)) return json::parseObject(body, "OpenAI response").error();
  if (members.choices.empty() || members.choices.front() != '[' || isEmptyArray(members.choices))
    return providerError(FailureKind::kMalformed, "OpenAI response has no choices");
  ChatResponse out;
  if (auto usage = usageOf(members.usage)) out.usage = std::move(*usage);
  if (!caller_model.empty() && members.has_model) {
    if (auto renamed = json::replaceMember(body, "model", quoted(caller_model))) body = std::move(*renamed);
  }
  out.forwarded = true;
  out.forwarded_body = std::move(body);
  return out;
}

std::unique_ptr<StreamDecoder> forwardingStreamDecoder(std::string caller_model, bool drop_usage_frame) {
  return std::make_unique<ForwardingStreamDecoder>(std::move(caller_model), drop_usage_frame);
}

Result<ChatResponse> decodeForwardedAnswer(const bj::object& body) { return OpenAiWire::decodeResponseObject(body); }

Result<ChatResponse> decodeForwardedAnswer(std::string_view text, bool streamed) {
  OpenAiWire wire{Endpoint{}};
  if (!streamed) return wire.decodeResponse(text);
  auto decoder = wire.streamDecoder();
  StreamAssembler assembler;
  DeltaSink sink = [&](const StreamDelta& d) { assembler.add(d); };
  if (auto fed = decoder->feed(text, sink); !fed.ok()) return fed.error();
  if (auto finished = decoder->finish(sink); !finished.ok()) return finished.error();
  return assembler.result();
}

}  // namespace codecrew::llm
