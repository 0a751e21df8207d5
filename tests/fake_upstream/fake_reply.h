// FakeReply: what the fake LLM upstream answers to one call, in normalised
// form (text, tool calls, usage, finish reason) plus the faults to inject.
// fake_wire renders it in each provider's real wire format.
// Thread-safety: plain values and pure functions.
#pragma once

#include <boost/json/value.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace codecrew::testing {

struct FakeToolCall {
  std::string id;  // "" : the server makes one up
  std::string name;
  std::string arguments;  // a JSON object as text
};

struct FakeReply {
  std::string text = "Hello from the fake upstream.";
  std::vector<FakeToolCall> tool_calls;
  std::int64_t prompt_tokens = 12;
  std::int64_t completion_tokens = 7;
  std::int64_t cached_tokens = 0;
  std::string finish = "stop";  // stop | length | tool_calls (rendered in each format's words); Bedrock
                                // also passes its own words through (stop_sequence, guardrail_intervened, ...)

  // Faults.
  int status = 200;  // non-200: an error body in the format's shape
  std::string error_message = "fake upstream error";
  std::string error_type;        // Bedrock: the x-amzn-ErrorType / exception type; "" derives it from status
  std::string retry_after;       // Retry-After header value, when not empty
  int latency_ms = -1;           // before the response head; -1: the server's default
  bool hang = false;             // never answer
  bool cut_stream = false;       // streams: close the connection in the middle of a chunk
  bool malformed = false;        // 200 with a body (or a stream frame) that is not JSON; Bedrock
                                 // streams: a frame whose message CRC is wrong
  bool error_after_200 = false;  // streams: an error event after the first deltas
  int chunk_delay_ms = 0;        // streams: pause between frames

  static FakeReply text_reply(std::string t) {
    FakeReply r;
    r.text = std::move(t);
    return r;
  }
  static FakeReply error(int status, std::string message, std::string retry_after = "") {
    FakeReply r;
    r.status = status;
    r.error_message = std::move(message);
    r.retry_after = std::move(retry_after);
    return r;
  }
};

boost::json::object toJson(const FakeReply& reply);
// Missing fields keep their defaults.
FakeReply fakeReplyFromJson(const boost::json::value& v);

enum class WireKind { kOpenAi, kAnthropic, kGemini, kOllama, kBedrock };
std::string_view wireKindName(WireKind kind);

// The body of a whole (non-streamed) 200 answer.
std::string renderWhole(WireKind kind, const FakeReply& reply, const std::string& model);
// The frames of a streamed 200 answer (complete SSE events or NDJSON lines).
std::vector<std::string> renderStream(WireKind kind, const FakeReply& reply, const std::string& model);
// The frame that reports an error in the middle of a stream.
std::string renderStreamError(WireKind kind, const std::string& message);
// The body of an error answer.
std::string renderError(WireKind kind, int status, const std::string& message);
std::string streamContentType(WireKind kind);

}  // namespace codecrew::testing
