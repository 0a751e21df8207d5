// The normalised vocabulary of the LLM layer: one request shape and one
// response/delta shape that every provider adapter maps to and from its own
// wire format (OpenAI, Anthropic, Gemini, Ollama).
// Thread-safety: plain values.
#pragma once

#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace codecrew::llm {

enum class Role { kSystem, kUser, kAssistant, kTool };
std::string_view roleName(Role role);

// An image attached to a user message: either a URL or inline base64 data.
struct ImagePart {
  std::string url;          // http(s) URL or data: URL
  std::string media_type;   // e.g. "image/png", for inline data
  std::string base64_data;  // inline data when url is empty
};

struct ToolCall {
  std::string id;  // provider-issued (synthesised when the provider has none)
  std::string name;
  std::string arguments;  // a JSON object, as text
};

struct Message {
  Role role = Role::kUser;
  std::string content;
  std::vector<ImagePart> images;     // user messages only
  std::vector<ToolCall> tool_calls;  // assistant messages only
  std::string tool_call_id;          // tool messages: the call this answers
  std::string name;                  // tool messages: the tool's name

  static Message system(std::string text) { return {Role::kSystem, std::move(text)}; }
  static Message user(std::string text) { return {Role::kUser, std::move(text)}; }
  static Message assistant(std::string text) { return {Role::kAssistant, std::move(text)}; }
  static Message toolResult(std::string call_id, std::string tool_name, std::string result) {
    Message m{Role::kTool, std::move(result)};
    m.tool_call_id = std::move(call_id);
    m.name = std::move(tool_name);
    return m;
  }
};

struct ToolSpec {
  std::string name;
  std::string description;
  boost::json::value parameters = boost::json::object();  // a JSON Schema object
};

struct ToolChoice {
  enum class Mode { kAuto, kNone, kRequired, kTool };
  Mode mode = Mode::kAuto;
  std::string name;  // for kTool
};

struct ResponseFormat {
  enum class Kind { kText, kJsonObject, kJsonSchema };
  Kind kind = Kind::kText;
  std::string name = "response";
  boost::json::value schema;  // for kJsonSchema
  bool strict = true;
};

struct ChatRequest {
  std::string model;  // the provider's model id
  std::vector<Message> messages;
  std::vector<ToolSpec> tools;
  std::optional<ToolChoice> tool_choice;
  std::optional<double> temperature;
  std::optional<std::int64_t> max_tokens;
  std::vector<std::string> stop;
  std::optional<ResponseFormat> response_format;
};

struct Usage {
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t total_tokens = 0;
  std::int64_t cached_prompt_tokens = 0;  // part of prompt_tokens served from a cache
  boost::json::object extra;              // provider counters, e.g. Ollama's durations
  bool reported = false;                  // the provider reported usage
};

enum class FinishReason { kStop, kLength, kToolCalls, kContentFilter, kError, kUnknown };
std::string_view finishReasonName(FinishReason reason);

struct ChatResponse {
  std::string id;
  std::string model;
  Message message{Role::kAssistant};
  Usage usage;
  FinishReason finish_reason = FinishReason::kUnknown;
  std::string raw_finish_reason;  // the provider's own word
};

// One piece of a streamed response, in arrival order.
struct StreamDelta {
  enum class Kind { kText, kToolCall, kUsage, kFinish };
  Kind kind = Kind::kText;
  std::string text;                                     // kText
  int tool_index = 0;                                   // kToolCall: which call this fragment belongs to
  std::string tool_id;                                  // kToolCall: set on the first fragment of a call
  std::string tool_name;                                // kToolCall: set on the first fragment of a call
  std::string arguments_fragment;                       // kToolCall
  Usage usage;                                          // kUsage: cumulative so far
  FinishReason finish_reason = FinishReason::kUnknown;  // kFinish
  std::string raw_finish_reason;

  static StreamDelta textDelta(std::string t) {
    StreamDelta d;
    d.text = std::move(t);
    return d;
  }
};

}  // namespace codecrew::llm
