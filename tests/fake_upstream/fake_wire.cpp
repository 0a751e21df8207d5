#include "fake_reply.h"

#include "fake_bedrock.h"

#include <boost/json.hpp>

namespace codecrew::testing {

namespace bj = boost::json;

namespace {

std::string sse(const bj::value& data, std::string_view event = "") {
  std::string out;
  if (!event.empty()) out += "event: " + std::string(event) + "\n";
  return out + "data: " + bj::serialize(data) + "\n\n";
}

// Splits text into pieces of at most n bytes (never inside a UTF-8 sequence).
std::vector<std::string> pieces(const std::string& text, std::size_t n = 8) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t end = std::min(text.size(), i + n);
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
    out.push_back(text.substr(i, end - i));
    i = end;
  }
  return out;
}

std::string callId(const FakeToolCall& c, std::size_t i, std::string_view prefix) {
  return c.id.empty() ? std::string(prefix) + std::to_string(i) : c.id;
}

bj::value argsObject(const std::string& text) {
  boost::system::error_code ec;
  auto v = bj::parse(text, ec);
  return ec ? bj::value(bj::object()) : v;
}

std::string finishWord(WireKind kind, const FakeReply& r) {
  bool tools = !r.tool_calls.empty() || r.finish == "tool_calls";
  switch (kind) {
    case WireKind::kOpenAi: return tools ? "tool_calls" : r.finish;
    case WireKind::kAnthropic: return tools ? "tool_use" : r.finish == "length" ? "max_tokens" : "end_turn";
    case WireKind::kGemini: return r.finish == "length" ? "MAX_TOKENS" : "STOP";
    case WireKind::kOllama: return r.finish == "length" ? "length" : "stop";
    case WireKind::kBedrock: return tools ? "tool_use" : r.finish == "length" ? "max_tokens" : "end_turn";
  }
  return "stop";
}

bj::object openAiUsage(const FakeReply& r) {
  return {{"prompt_tokens", r.prompt_tokens},
          {"completion_tokens", r.completion_tokens},
          {"total_tokens", r.prompt_tokens + r.completion_tokens},
          {"prompt_tokens_details", bj::object{{"cached_tokens", r.cached_tokens}}}};
}

bj::object geminiUsage(const FakeReply& r) {
  return {{"promptTokenCount", r.prompt_tokens},
          {"candidatesTokenCount", r.completion_tokens},
          {"totalTokenCount", r.prompt_tokens + r.completion_tokens},
          {"cachedContentTokenCount", r.cached_tokens}};
}

bj::object ollamaDone(const FakeReply& r, const std::string& model) {
  return {{"model", model},
          {"created_at", "2026-01-01T00:00:00Z"},
          {"message", bj::object{{"role", "assistant"}, {"content", ""}}},
          {"done", true},
          {"done_reason", finishWord(WireKind::kOllama, r)},
          {"total_duration", 5'000'000},
          {"load_duration", 1'000'000},
          {"prompt_eval_count", r.prompt_tokens},
          {"prompt_eval_duration", 1'500'000},
          {"eval_count", r.completion_tokens},
          {"eval_duration", 2'500'000}};
}

std::vector<std::string> openAiStream(const FakeReply& r, const std::string& model) {
  std::vector<std::string> frames;
  auto chunk = [&](bj::object delta, bj::value finish) {
    return sse(bj::object{{"id", "chatcmpl-fake"},
                          {"object", "chat.completion.chunk"},
                          {"model", model},
                          {"choices", bj::array{bj::object{{"index", 0},
                                                           {"delta", std::move(delta)},
                                                           {"finish_reason", std::move(finish)}}}}});
  };
  frames.push_back(chunk({{"role", "assistant"}, {"content", ""}}, nullptr));
  for (const auto& p : pieces(r.text)) frames.push_back(chunk({{"content", p}}, nullptr));
  for (std::size_t i = 0; i < r.tool_calls.size(); ++i) {
    const auto& c = r.tool_calls[i];
    frames.push_back(
        chunk({{"tool_calls", bj::array{bj::object{{"index", i},
                                                   {"id", callId(c, i, "call_")},
                                                   {"type", "function"},
                                                   {"function", bj::object{{"name", c.name}, {"arguments", ""}}}}}}},
              nullptr));
    for (const auto& p : pieces(c.arguments, 5))
      frames.push_back(
          chunk({{"tool_calls", bj::array{bj::object{{"index", i}, {"function", bj::object{{"arguments", p}}}}}}},
                nullptr));
  }
  frames.push_back(chunk({}, bj::value(finishWord(WireKind::kOpenAi, r))));
  frames.push_back(sse(bj::object{{"id", "chatcmpl-fake"},
                                  {"object", "chat.completion.chunk"},
                                  {"model", model},
                                  {"choices", bj::array()},
                                  {"usage", openAiUsage(r)}}));
  frames.push_back("data: [DONE]\n\n");
  return frames;
}

std::vector<std::string> anthropicStream(const FakeReply& r, const std::string& model) {
  std::vector<std::string> frames;
  frames.push_back(sse(bj::object{{"type", "message_start"},
                                  {"message", bj::object{{"id", "msg_fake"},
                                                         {"type", "message"},
                                                         {"role", "assistant"},
                                                         {"model", model},
                                                         {"content", bj::array()},
                                                         {"usage", bj::object{{"input_tokens", r.prompt_tokens},
                                                                              {"output_tokens", 1}}}}}},
                       "message_start"));
  frames.push_back(sse(bj::object{{"type", "ping"}}, "ping"));
  int index = 0;
  if (!r.text.empty()) {
    frames.push_back(sse(bj::object{{"type", "content_block_start"},
                                    {"index", index},
                                    {"content_block", bj::object{{"type", "text"}, {"text", ""}}}},
                         "content_block_start"));
    for (const auto& p : pieces(r.text))
      frames.push_back(sse(bj::object{{"type", "content_block_delta"},
                                      {"index", index},
                                      {"delta", bj::object{{"type", "text_delta"}, {"text", p}}}},
                           "content_block_delta"));
    frames.push_back(sse(bj::object{{"type", "content_block_stop"}, {"index", index}}, "content_block_stop"));
    ++index;
  }
  for (std::size_t i = 0; i < r.tool_calls.size(); ++i, ++index) {
    const auto& c = r.tool_calls[i];
    frames.push_back(sse(bj::object{{"type", "content_block_start"},
                                    {"index", index},
                                    {"content_block", bj::object{{"type", "tool_use"},
                                                                 {"id", callId(c, i, "toolu_")},
                                                                 {"name", c.name},
                                                                 {"input", bj::object()}}}},
                         "content_block_start"));
    for (const auto& p : pieces(c.arguments, 5))
      frames.push_back(sse(bj::object{{"type", "content_block_delta"},
                                      {"index", index},
                                      {"delta", bj::object{{"type", "input_json_delta"}, {"partial_json", p}}}},
                           "content_block_delta"));
    frames.push_back(sse(bj::object{{"type", "content_block_stop"}, {"index", index}}, "content_block_stop"));
  }
  frames.push_back(sse(bj::object{{"type", "message_delta"},
                                  {"delta", bj::object{{"stop_reason", finishWord(WireKind::kAnthropic, r)}}},
                                  {"usage", bj::object{{"output_tokens", r.completion_tokens}}}},
                       "message_delta"));
  frames.push_back(sse(bj::object{{"type", "message_stop"}}, "message_stop"));
  return frames;
}

std::vector<std::string> geminiStream(const FakeReply& r, const std::string& model) {
  std::vector<std::string> frames;
  auto chunk = [&](bj::array parts, bool last) {
    bj::object cand{{"content", bj::object{{"role", "model"}, {"parts", std::move(parts)}}}, {"index", 0}};
    if (last) cand["finishReason"] = finishWord(WireKind::kGemini, r);
    bj::object o{{"candidates", bj::array{std::move(cand)}}, {"modelVersion", model}};
    if (last) o["usageMetadata"] = geminiUsage(r);
    return sse(o);
  };
  for (const auto& p : pieces(r.text)) frames.push_back(chunk(bj::array{bj::object{{"text", p}}}, false));
  bj::array calls;
  for (const auto& c : r.tool_calls)
    calls.push_back(bj::object{{"functionCall", bj::object{{"name", c.name}, {"args", argsObject(c.arguments)}}}});
  frames.push_back(chunk(std::move(calls), true));
  return frames;
}

std::vector<std::string> ollamaStream(const FakeReply& r, const std::string& model) {
  std::vector<std::string> frames;
  for (const auto& p : pieces(r.text)) {
    frames.push_back(bj::serialize(bj::object{{"model", model},
                                              {"created_at", "2026-01-01T00:00:00Z"},
                                              {"message", bj::object{{"role", "assistant"}, {"content", p}}},
                                              {"done", false}}) +
                     "\n");
  }
  if (!r.tool_calls.empty()) {
    bj::array calls;
    for (const auto& c : r.tool_calls)
      calls.push_back(bj::object{{"function", bj::object{{"name", c.name}, {"arguments", argsObject(c.arguments)}}}});
    frames.push_back(
        bj::serialize(bj::object{{"model", model},
                                 {"created_at", "2026-01-01T00:00:00Z"},
                                 {"message",
                                  bj::object{{"role", "assistant"}, {"content", ""}, {"tool_calls", std::move(calls)}}},
                                 {"done", false}}) +
        "\n");
  }
  frames.push_back(bj::serialize(ollamaDone(r, model)) + "\n");
  return frames;
}

}  // namespace

std::string_view wireKindName(WireKind kind) {
  switch (kind) {
    case WireKind::kOpenAi: return "openai";
    case WireKind::kAnthropic: return "anthropic";
    case WireKind::kGemini: return "gemini";
    case WireKind::kOllama: return "ollama";
    case WireKind::kBedrock: return "bedrock";
  }
  return "openai";
}

std::string renderWhole(WireKind kind, const FakeReply& r, const std::string& model) {
  switch (kind) {
    case WireKind::kOpenAi: {
      bj::object message{{"role", "assistant"}, {"content", r.text.empty() ? bj::value(nullptr) : bj::value(r.text)}};
      if (!r.tool_calls.empty()) {
        bj::array calls;
        for (std::size_t i = 0; i < r.tool_calls.size(); ++i) {
          const auto& c = r.tool_calls[i];
          calls.push_back(bj::object{{"id", callId(c, i, "call_")},
                                     {"type", "function"},
                                     {"function", bj::object{{"name", c.name}, {"arguments", c.arguments}}}});
        }
        message["tool_calls"] = std::move(calls);
      }
      return bj::serialize(bj::object{{"id", "chatcmpl-fake"},
                                      {"object", "chat.completion"},
                                      {"created", 1'700'000'000},
                                      {"model", model},
                                      {"choices", bj::array{bj::object{{"index", 0},
                                                                       {"message", std::move(message)},
                                                                       {"finish_reason", finishWord(kind, r)}}}},
                                      {"usage", openAiUsage(r)}});
    }
    case WireKind::kAnthropic: {
      bj::array content;
      if (!r.text.empty()) content.push_back(bj::object{{"type", "text"}, {"text", r.text}});
      for (std::size_t i = 0; i < r.tool_calls.size(); ++i) {
        const auto& c = r.tool_calls[i];
        content.push_back(bj::object{{"type", "tool_use"},
                                     {"id", callId(c, i, "toolu_")},
                                     {"name", c.name},
                                     {"input", argsObject(c.arguments)}});
      }
      return bj::serialize(bj::object{{"id", "msg_fake"},
                                      {"type", "message"},
                                      {"role", "assistant"},
                                      {"model", model},
                                      {"content", std::move(content)},
                                      {"stop_reason", finishWord(kind, r)},
                                      {"stop_sequence", nullptr},
                                      {"usage", bj::object{{"input_tokens", r.prompt_tokens - r.cached_tokens},
                                                           {"cache_read_input_tokens", r.cached_tokens},
                                                           {"output_tokens", r.completion_tokens}}}});
    }
    case WireKind::kGemini: {
      bj::array parts;
      if (!r.text.empty()) parts.push_back(bj::object{{"text", r.text}});
      for (const auto& c : r.tool_calls)
        parts.push_back(bj::object{{"functionCall", bj::object{{"name", c.name}, {"args", argsObject(c.arguments)}}}});
      return bj::serialize(
          bj::object{{"candidates",
                      bj::array{bj::object{{"content", bj::object{{"role", "model"}, {"parts", std::move(parts)}}},
                                           {"finishReason", finishWord(kind, r)},
                                           {"index", 0}}}},
                     {"usageMetadata", geminiUsage(r)},
                     {"modelVersion", model},
                     {"responseId", "fake-response"}});
    }
    case WireKind::kOllama: {
      auto done = ollamaDone(r, model);
      bj::object message{{"role", "assistant"}, {"content", r.text}};
      if (!r.tool_calls.empty()) {
        bj::array calls;
        for (const auto& c : r.tool_calls)
          calls.push_back(
              bj::object{{"function", bj::object{{"name", c.name}, {"arguments", argsObject(c.arguments)}}}});
        message["tool_calls"] = std::move(calls);
      }
      done["message"] = std::move(message);
      return bj::serialize(done);
    }
    case WireKind::kBedrock: return bedrockWhole(r);
  }
  return "{}";
}

std::vector<std::string> renderStream(WireKind kind, const FakeReply& reply, const std::string& model) {
  switch (kind) {
    case WireKind::kOpenAi: return openAiStream(reply, model);
    case WireKind::kAnthropic: return anthropicStream(reply, model);
    case WireKind::kGemini: return geminiStream(reply, model);
    case WireKind::kOllama: return ollamaStream(reply, model);
    case WireKind::kBedrock: return bedrockStream(reply);
  }
  return {};
}

std::string renderStreamError(WireKind kind, const std::string& message) {
  switch (kind) {
    case WireKind::kOpenAi:
      return sse(bj::object{{"error", bj::object{{"message", message}, {"type", "server_error"}}}});
    case WireKind::kAnthropic:
      return sse(bj::object{{"type", "error"},
                            {"error", bj::object{{"type", "overloaded_error"}, {"message", message}}}},
                 "error");
    case WireKind::kGemini:
      return sse(bj::object{{"error", bj::object{{"code", 500}, {"message", message}, {"status", "INTERNAL"}}}});
    case WireKind::kOllama: return bj::serialize(bj::object{{"error", message}}) + "\n";
    case WireKind::kBedrock: return bedrockStreamException("modelStreamErrorException", message);
  }
  return "";
}

std::string renderError(WireKind kind, int status, const std::string& message) {
  switch (kind) {
    case WireKind::kOpenAi: {
      std::string type = status == 429   ? "rate_limit_exceeded"
                         : status >= 500 ? "server_error"
                                         : "invalid_request_error";
      return bj::serialize(bj::object{{"error", bj::object{{"message", message}, {"type", type}, {"code", type}}}});
    }
    case WireKind::kAnthropic: {
      std::string type = status == 429   ? "rate_limit_error"
                         : status == 529 ? "overloaded_error"
                         : status >= 500 ? "api_error"
                                         : "invalid_request_error";
      return bj::serialize(bj::object{{"type", "error"}, {"error", bj::object{{"type", type}, {"message", message}}}});
    }
    case WireKind::kGemini: {
      std::string s = status == 429 ? "RESOURCE_EXHAUSTED" : status >= 500 ? "INTERNAL" : "INVALID_ARGUMENT";
      return bj::serialize(bj::object{{"error", bj::object{{"code", status}, {"message", message}, {"status", s}}}});
    }
    case WireKind::kOllama: return bj::serialize(bj::object{{"error", message}});
    case WireKind::kBedrock: return bedrockErrorBody(message);
  }
  return "{}";
}

std::string streamContentType(WireKind kind) {
  if (kind == WireKind::kBedrock) return "application/vnd.amazon.eventstream";
  return kind == WireKind::kOllama ? "application/x-ndjson" : "text/event-stream";
}

bj::object toJson(const FakeReply& r) {
  bj::array calls;
  for (const auto& c : r.tool_calls)
    calls.push_back(bj::object{{"id", c.id}, {"name", c.name}, {"arguments", c.arguments}});
  return {{"text", r.text},
          {"tool_calls", std::move(calls)},
          {"prompt_tokens", r.prompt_tokens},
          {"completion_tokens", r.completion_tokens},
          {"cached_tokens", r.cached_tokens},
          {"finish", r.finish},
          {"status", r.status},
          {"error_message", r.error_message},
          {"error_type", r.error_type},
          {"retry_after", r.retry_after},
          {"latency_ms", r.latency_ms},
          {"hang", r.hang},
          {"cut_stream", r.cut_stream},
          {"malformed", r.malformed},
          {"error_after_200", r.error_after_200},
          {"chunk_delay_ms", r.chunk_delay_ms}};
}

FakeReply fakeReplyFromJson(const bj::value& v) {
  FakeReply r;
  const auto* o = v.if_object();
  if (!o) return r;
  auto str = [&](const char* k, std::string& out) {
    if (const auto* x = o->if_contains(k); x && x->is_string()) out = std::string(x->as_string());
  };
  auto num = [&](const char* k, auto& out) {
    if (const auto* x = o->if_contains(k); x && x->is_number()) out = x->to_number<std::int64_t>();
  };
  auto flag = [&](const char* k, bool& out) {
    if (const auto* x = o->if_contains(k); x && x->is_bool()) out = x->as_bool();
  };
  str("text", r.text);
  str("finish", r.finish);
  str("error_message", r.error_message);
  str("error_type", r.error_type);
  str("retry_after", r.retry_after);
  num("prompt_tokens", r.prompt_tokens);
  num("completion_tokens", r.completion_tokens);
  num("cached_tokens", r.cached_tokens);
  num("status", r.status);
  num("latency_ms", r.latency_ms);
  num("chunk_delay_ms", r.chunk_delay_ms);
  flag("hang", r.hang);
  flag("cut_stream", r.cut_stream);
  flag("malformed", r.malformed);
  flag("error_after_200", r.error_after_200);
  if (const auto* calls = o->if_contains("tool_calls"); calls && calls->is_array()) {
    for (const auto& cv : calls->as_array()) {
      const auto* c = cv.if_object();
      if (!c) continue;
      FakeToolCall call;
      if (const auto* x = c->if_contains("id"); x && x->is_string()) call.id = std::string(x->as_string());
      if (const auto* x = c->if_contains("name"); x && x->is_string()) call.name = std::string(x->as_string());
      if (const auto* x = c->if_contains("arguments"))
        call.arguments = x->is_string() ? std::string(x->as_string()) : bj::serialize(*x);
      r.tool_calls.push_back(std::move(call));
    }
  }
  return r;
}

}  // namespace codecrew::testing
