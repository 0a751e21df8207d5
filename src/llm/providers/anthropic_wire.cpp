#include "llm/providers/anthropic_wire.h"

#include "llm/provider_error.h"
#include "llm/providers/json_util.h"
#include "llm/providers/sse_parser.h"

#include <map>

namespace codecrew::llm {

namespace bj = boost::json;
using core::Result;

namespace {

bj::array userBlocks(const Message& m) {
  bj::array blocks;
  for (const auto& image : m.images) {
    bj::object source = image.url.empty() ? bj::object{{"type", "base64"},
                                                       {"media_type", image.media_type},
                                                       {"data", image.base64_data}}
                                          : bj::object{{"type", "url"}, {"url", image.url}};
    blocks.push_back(bj::object{{"type", "image"}, {"source", std::move(source)}});
  }
  if (!m.content.empty()) blocks.push_back(bj::object{{"type", "text"}, {"text", m.content}});
  return blocks;
}

bj::array assistantBlocks(const Message& m) {
  bj::array blocks;
  if (!m.content.empty()) blocks.push_back(bj::object{{"type", "text"}, {"text", m.content}});
  for (const auto& c : m.tool_calls) {
    blocks.push_back(bj::object{
        {"type", "tool_use"}, {"id", c.id}, {"name", c.name}, {"input", json::argumentsObject(c.arguments)}});
  }
  return blocks;
}

// Appends blocks to the last message when it has the same role (the API
// wants alternating roles; consecutive tool results share one user turn).
void appendTurn(bj::array& messages, std::string_view role, bj::array blocks) {
  if (!messages.empty()) {
    auto& last = messages.back().as_object();
    if (last["role"].as_string() == role) {
      auto& content = last["content"].as_array();
      for (auto& b : blocks) content.push_back(std::move(b));
      return;
    }
  }
  messages.push_back(bj::object{{"role", role}, {"content", std::move(blocks)}});
}

bj::object encodeToolChoice(const ToolChoice& choice) {
  switch (choice.mode) {
    case ToolChoice::Mode::kAuto: return {{"type", "auto"}};
    case ToolChoice::Mode::kNone: return {{"type", "none"}};
    case ToolChoice::Mode::kRequired: return {{"type", "any"}};
    case ToolChoice::Mode::kTool: return {{"type", "tool"}, {"name", choice.name}};
  }
  return {{"type", "auto"}};
}

// Anthropic counts cached input apart; prompt_tokens here is all input.
void readUsage(const bj::object& u, Usage& usage) {
  usage.reported = true;
  if (u.contains("input_tokens")) {
    std::int64_t cache_read = json::i64(u, "cache_read_input_tokens");
    usage.prompt_tokens = json::i64(u, "input_tokens") + cache_read + json::i64(u, "cache_creation_input_tokens");
    usage.cached_prompt_tokens = cache_read;
  }
  if (u.contains("output_tokens")) usage.completion_tokens = json::i64(u, "output_tokens");
  usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
}

FailureKind errorKind(std::string_view type, std::string_view message) {
  if (type == "rate_limit_error") return FailureKind::kRateLimited;
  if (type == "overloaded_error" || type == "api_error") return FailureKind::kServer;
  if (mentionsContextLength(message)) return FailureKind::kContextLength;
  if (type == "authentication_error" || type == "permission_error") return FailureKind::kAuth;
  return FailureKind::kBadRequest;
}

class AnthropicStreamDecoder final : public StreamDecoder {
 public:
  core::Status feed(std::string_view bytes, const DeltaSink& sink) override {
    core::Status status;
    sse_.feed(bytes, [&](const SseEvent& event) {
      status = onEvent(event, sink);
      return status.ok();
    });
    return status;
  }

  core::Status finish(const DeltaSink&) override {
    if (stopped_) return core::okStatus();
    return providerError(FailureKind::kNetwork, "Anthropic stream ended before message_stop");
  }

 private:
  core::Status onEvent(const SseEvent& event, const DeltaSink& sink) {
    auto parsed = json::parseObject(event.data, "Anthropic stream event");
    if (!parsed.ok()) return parsed.error();
    const auto& o = parsed.value();
    std::string type = event.event.empty() ? json::str(o, "type") : event.event;
    if (type == "ping" || type == "content_block_stop") return core::okStatus();
    if (type == "error") {
      const auto* err = json::obj(o, "error");
      std::string etype = err ? json::str(*err, "type") : "";
      std::string message = err ? json::str(*err, "message") : "";
      return providerError(errorKind(etype, message), "Anthropic stream error after 200 (" + etype + "): " + message);
    }
    if (type == "message_start") {
      if (const auto* msg = json::obj(o, "message")) {
        if (const auto* u = json::obj(*msg, "usage")) emitUsage(*u, sink);
      }
    } else if (type == "content_block_start") {
      onBlockStart(o, sink);
    } else if (type == "content_block_delta") {
      onBlockDelta(o, sink);
    } else if (type == "message_delta") {
      if (const auto* d = json::obj(o, "delta")) stop_reason_ = json::str(*d, "stop_reason");
      if (const auto* u = json::obj(o, "usage")) emitUsage(*u, sink);
    } else if (type == "message_stop") {
      stopped_ = true;
      StreamDelta d;
      d.kind = StreamDelta::Kind::kFinish;
      d.raw_finish_reason = stop_reason_;
      d.finish_reason = anthropicFinishReason(stop_reason_);
      sink(d);
    }
    return core::okStatus();
  }

  void emitUsage(const bj::object& u, const DeltaSink& sink) {
    readUsage(u, usage_);
    StreamDelta d;
    d.kind = StreamDelta::Kind::kUsage;
    d.usage = usage_;
    sink(d);
  }

  void onBlockStart(const bj::object& o, const DeltaSink& sink) {
    const auto* block = json::obj(o, "content_block");
    if (!block) return;
    int index = static_cast<int>(json::i64(o, "index"));
    std::string type = json::str(*block, "type");
    if (type == "text") {
      if (auto text = json::str(*block, "text"); !text.empty()) sink(StreamDelta::textDelta(text));
    } else if (type == "tool_use") {
      int tool_index = static_cast<int>(tool_of_block_.size());
      tool_of_block_[index] = tool_index;
      StreamDelta d;
      d.kind = StreamDelta::Kind::kToolCall;
      d.tool_index = tool_index;
      d.tool_id = json::str(*block, "id");
      d.tool_name = json::str(*block, "name");
      sink(d);
    }
  }

  void onBlockDelta(const bj::object& o, const DeltaSink& sink) {
    const auto* delta = json::obj(o, "delta");
    if (!delta) return;
    std::string type = json::str(*delta, "type");
    if (type == "text_delta") {
      sink(StreamDelta::textDelta(json::str(*delta, "text")));
    } else if (type == "input_json_delta") {
      auto it = tool_of_block_.find(static_cast<int>(json::i64(o, "index")));
      if (it == tool_of_block_.end()) return;
      StreamDelta d;
      d.kind = StreamDelta::Kind::kToolCall;
      d.tool_index = it->second;
      d.arguments_fragment = json::str(*delta, "partial_json");
      sink(d);
    }
  }

  SseParser sse_;
  Usage usage_;
  std::map<int, int> tool_of_block_;  // content block index -> tool call index
  std::string stop_reason_;
  bool stopped_ = false;
};

}  // namespace

FinishReason anthropicFinishReason(std::string_view raw) {
  if (raw == "end_turn" || raw == "stop_sequence") return FinishReason::kStop;
  if (raw == "max_tokens") return FinishReason::kLength;
  if (raw == "tool_use") return FinishReason::kToolCalls;
  if (raw == "refusal") return FinishReason::kContentFilter;
  return FinishReason::kUnknown;
}

AnthropicWire::AnthropicWire(Endpoint endpoint) : endpoint_(std::move(endpoint)) {}

bj::object AnthropicWire::encodeBody(const ChatRequest& request, bool stream) const {
  bj::object body{{"model", request.model}, {"max_tokens", request.max_tokens.value_or(kDefaultMaxTokens)}};
  std::string system;
  bj::array messages;
  for (const auto& m : request.messages) {
    switch (m.role) {
      case Role::kSystem: system += (system.empty() ? "" : "\n\n") + m.content; break;
      case Role::kUser: appendTurn(messages, "user", userBlocks(m)); break;
      case Role::kAssistant: appendTurn(messages, "assistant", assistantBlocks(m)); break;
      case Role::kTool:
        appendTurn(messages, "user",
                   bj::array{
                       bj::object{{"type", "tool_result"}, {"tool_use_id", m.tool_call_id}, {"content", m.content}}});
        break;
    }
  }
  if (const auto& rf = request.response_format; rf && rf->kind != ResponseFormat::Kind::kText) {
    std::string rule = "Reply with one JSON value only, no prose.";
    if (rf->kind == ResponseFormat::Kind::kJsonSchema)
      rule += " It must match this JSON Schema: " + bj::serialize(rf->schema);
    system += (system.empty() ? "" : "\n\n") + rule;
  }
  if (!system.empty()) body["system"] = system;
  body["messages"] = std::move(messages);
  if (!request.tools.empty()) {
    bj::array tools;
    for (const auto& t : request.tools)
      tools.push_back(bj::object{{"name", t.name}, {"description", t.description}, {"input_schema", t.parameters}});
    body["tools"] = std::move(tools);
  }
  if (request.tool_choice) body["tool_choice"] = encodeToolChoice(*request.tool_choice);
  if (request.temperature) body["temperature"] = *request.temperature;
  if (!request.stop.empty()) {
    bj::array stop;
    for (const auto& s : request.stop) stop.push_back(bj::value(s));
    body["stop_sequences"] = std::move(stop);
  }
  if (stream) body["stream"] = true;
  return body;
}

Result<http::ClientRequest> AnthropicWire::encode(const ChatRequest& request, bool stream) const {
  http::ClientRequest out;
  out.method = "POST";
  std::string base = endpoint_.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (base.ends_with("/v1")) base.resize(base.size() - 3);
  out.url = base + "/v1/messages";
  if (!endpoint_.api_key.empty()) out.headers.emplace_back("x-api-key", endpoint_.api_key);
  out.headers.emplace_back("anthropic-version", endpoint_.api_version.empty() ? "2023-06-01" : endpoint_.api_version);
  out.headers.emplace_back("Content-Type", "application/json");
  if (stream) out.headers.emplace_back("Accept", "text/event-stream");
  for (const auto& h : endpoint_.extra_headers) out.headers.push_back(h);
  out.body = bj::serialize(encodeBody(request, stream));
  return out;
}

Result<ChatResponse> AnthropicWire::decodeResponse(std::string_view body) const {
  auto parsed = json::parseObject(body, "Anthropic response");
  if (!parsed.ok()) return parsed.error();
  const auto& o = parsed.value();
  if (json::str(o, "type") == "error") {
    const auto* err = json::obj(o, "error");
    std::string message = err ? json::str(*err, "message") : "";
    return providerError(errorKind(err ? json::str(*err, "type") : "", message), "Anthropic error: " + message);
  }
  ChatResponse out;
  out.id = json::str(o, "id");
  out.model = json::str(o, "model");
  out.raw_finish_reason = json::str(o, "stop_reason");
  out.finish_reason = anthropicFinishReason(out.raw_finish_reason);
  const auto* content = json::arr(o, "content");
  if (!content) return providerError(FailureKind::kMalformed, "Anthropic response has no content");
  for (const auto& v : *content) {
    const auto* block = v.if_object();
    if (!block) continue;
    std::string type = json::str(*block, "type");
    if (type == "text") out.message.content += json::str(*block, "text");
    if (type == "tool_use") {
      const auto* input = block->if_contains("input");
      out.message.tool_calls.push_back(
          ToolCall{json::str(*block, "id"), json::str(*block, "name"), input ? bj::serialize(*input) : "{}"});
    }
  }
  if (const auto* usage = json::obj(o, "usage")) readUsage(*usage, out.usage);
  return out;
}

std::unique_ptr<StreamDecoder> AnthropicWire::streamDecoder() const {
  return std::make_unique<AnthropicStreamDecoder>();
}

}  // namespace codecrew::llm
