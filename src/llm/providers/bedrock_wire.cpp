#include "llm/providers/bedrock_wire.h"

#include "cloud/aws/event_stream.h"
#include "cloud/aws/sigv4.h"
#include "llm/provider_error.h"
#include "llm/providers/json_util.h"

#include <map>

namespace codecrew::llm {

namespace bj = boost::json;
using core::Result;

namespace {

// "data:image/png;base64,AAAA" -> ("png", "AAAA"); nullopt for anything else.
std::optional<std::pair<std::string, std::string>> dataUrlImage(const std::string& url) {
  if (!url.starts_with("data:image/")) return std::nullopt;
  auto semi = url.find(";base64,");
  if (semi == std::string::npos) return std::nullopt;
  return std::make_pair(url.substr(11, semi - 11), url.substr(semi + 8));
}

Result<bj::array> userBlocks(const Message& m) {
  bj::array blocks;
  if (!m.content.empty()) blocks.push_back(bj::object{{"text", m.content}});
  for (const auto& image : m.images) {
    std::string format, data;
    if (image.url.empty()) {
      format = image.media_type.starts_with("image/") ? image.media_type.substr(6) : image.media_type;
      data = image.base64_data;
    } else if (auto inline_image = dataUrlImage(image.url)) {
      std::tie(format, data) = *inline_image;
    } else {
      return providerError(FailureKind::kBadRequest,
                           "Bedrock takes images inline only (base64 or a data: URL), not " + image.url);
    }
    if (format == "jpg") format = "jpeg";
    blocks.push_back(bj::object{{"image", bj::object{{"format", format}, {"source", bj::object{{"bytes", data}}}}}});
  }
  return blocks;
}

bj::array assistantBlocks(const Message& m) {
  bj::array blocks;
  if (!m.content.empty()) blocks.push_back(bj::object{{"text", m.content}});
  for (const auto& c : m.tool_calls) {
    blocks.push_back(bj::object{
        {"toolUse", bj::object{{"toolUseId", c.id}, {"name", c.name}, {"input", json::argumentsObject(c.arguments)}}}});
  }
  return blocks;
}

// Appends blocks to the last message when it has the same role (Converse
// wants alternating roles; consecutive tool results share one user turn).
void appendTurn(bj::array& messages, std::string_view role, bj::array blocks) {
  if (blocks.empty()) return;
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

void readUsage(const bj::object& u, Usage& usage) {
  usage.reported = true;
  std::int64_t cache_read = json::i64(u, "cacheReadInputTokens");
  usage.prompt_tokens = json::i64(u, "inputTokens") + cache_read + json::i64(u, "cacheWriteInputTokens");
  usage.cached_prompt_tokens = cache_read;
  usage.completion_tokens = json::i64(u, "outputTokens");
  usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
}

// The model id of a Converse URL (".../model/<id>/converse[-stream]"), decoded.
std::string modelOfUrl(const std::string& url) {
  auto at = url.find("/model/");
  if (at == std::string::npos) return "";
  at += 7;
  auto end = url.find('/', at);
  std::string encoded = url.substr(at, end == std::string::npos ? std::string::npos : end - at);
  std::string out;
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] == '%' && i + 2 < encoded.size()) {
      out.push_back(static_cast<char>(std::stoi(encoded.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(encoded[i]);
    }
  }
  return out;
}

class BedrockStreamDecoder final : public StreamDecoder {
 public:
  explicit BedrockStreamDecoder(std::string region) : region_(std::move(region)) {}

  core::Status feed(std::string_view bytes, const DeltaSink& sink) override {
    return frames_.feed(bytes, [&](cloud::aws::EventStreamMessage m) { return onMessage(m, sink); });
  }

  core::Status finish(const DeltaSink&) override {
    auto framing = frames_.finish();
    if (!framing.ok()) return providerError(FailureKind::kNetwork, "Bedrock stream: " + framing.error().message);
    if (stopped_) return core::okStatus();
    return providerError(FailureKind::kNetwork, "Bedrock stream ended before messageStop");
  }

 private:
  core::Status onMessage(const cloud::aws::EventStreamMessage& m, const DeltaSink& sink) {
    std::string message_type = m.header(":message-type");
    if (message_type == "exception") {
      auto parsed = json::parseObject(m.payload, "Bedrock stream exception");
      std::string text = parsed.ok() ? json::str(parsed.value(), "message") : std::string(m.payload);
      return bedrockStreamException(m.header(":exception-type"), text, BedrockCallContext{"", region_, true});
    }
    if (message_type == "error")
      return bedrockStreamException(m.header(":error-code"), m.header(":error-message"),
                                    BedrockCallContext{"", region_, true});
    auto parsed = json::parseObject(m.payload, "Bedrock stream event");
    if (!parsed.ok()) return providerError(FailureKind::kMalformed, parsed.error().message);
    const auto& o = parsed.value();
    std::string type = m.header(":event-type");
    if (type == "contentBlockStart") {
      const auto* start = json::obj(o, "start");
      const auto* tool = start ? json::obj(*start, "toolUse") : nullptr;
      if (tool) {
        int tool_index = static_cast<int>(tool_of_block_.size());
        tool_of_block_[static_cast<int>(json::i64(o, "contentBlockIndex"))] = tool_index;
        StreamDelta d;
        d.kind = StreamDelta::Kind::kToolCall;
        d.tool_index = tool_index;
        d.tool_id = json::str(*tool, "toolUseId");
        d.tool_name = json::str(*tool, "name");
        sink(d);
      }
    } else if (type == "contentBlockDelta") {
      onDelta(o, sink);
    } else if (type == "messageStop") {
      stopped_ = true;
      StreamDelta d;
      d.kind = StreamDelta::Kind::kFinish;
      d.raw_finish_reason = json::str(o, "stopReason");
      d.finish_reason = bedrockFinishReason(d.raw_finish_reason);
      sink(d);
    } else if (type == "metadata") {
      if (const auto* u = json::obj(o, "usage")) {
        StreamDelta d;
        d.kind = StreamDelta::Kind::kUsage;
        readUsage(*u, d.usage);
        sink(d);
      }
    }
    // messageStart and contentBlockStop carry nothing to keep.
    return core::okStatus();
  }

  void onDelta(const bj::object& o, const DeltaSink& sink) {
    const auto* delta = json::obj(o, "delta");
    if (!delta) return;
    if (const auto* text = delta->if_contains("text"); text && text->is_string()) {
      sink(StreamDelta::textDelta(std::string(text->as_string())));
    } else if (const auto* tool = json::obj(*delta, "toolUse")) {
      int block = static_cast<int>(json::i64(o, "contentBlockIndex"));
      auto it = tool_of_block_.find(block);
      if (it == tool_of_block_.end()) return;
      StreamDelta d;
      d.kind = StreamDelta::Kind::kToolCall;
      d.tool_index = it->second;
      d.arguments_fragment = json::str(*tool, "input");
      sink(d);
    }
  }

  std::string region_;
  cloud::aws::EventStreamDecoder frames_;
  std::map<int, int> tool_of_block_;  // content block index -> tool call index
  bool stopped_ = false;
};

}  // namespace

FinishReason bedrockFinishReason(std::string_view raw) {
  if (raw == "end_turn" || raw == "stop_sequence") return FinishReason::kStop;
  if (raw == "max_tokens") return FinishReason::kLength;
  if (raw == "tool_use") return FinishReason::kToolCalls;
  if (raw == "guardrail_intervened" || raw == "content_filtered") return FinishReason::kContentFilter;
  return FinishReason::kUnknown;
}

BedrockWire::BedrockWire(Endpoint endpoint, BedrockAuth auth, std::shared_ptr<core::Clock> clock)
    : endpoint_(std::move(endpoint)), auth_(std::move(auth)), clock_(std::move(clock)) {}

Result<bj::object> BedrockWire::encodeBody(const ChatRequest& request) const {
  bj::object body;
  std::string system;
  bj::array messages;
  for (const auto& m : request.messages) {
    switch (m.role) {
      case Role::kSystem: system += (system.empty() ? "" : "\n\n") + m.content; break;
      case Role::kUser: {
        auto blocks = userBlocks(m);
        if (!blocks.ok()) return blocks.error();
        appendTurn(messages, "user", std::move(blocks.value()));
        break;
      }
      case Role::kAssistant: appendTurn(messages, "assistant", assistantBlocks(m)); break;
      case Role::kTool:
        appendTurn(messages, "user",
                   bj::array{
                       bj::object{{"toolResult", bj::object{{"toolUseId", m.tool_call_id},
                                                            {"content", bj::array{bj::object{{"text", m.content}}}},
                                                            {"status", "success"}}}}});
        break;
    }
  }
  if (const auto& rf = request.response_format; rf && rf->kind != ResponseFormat::Kind::kText) {
    std::string rule = "Reply with one JSON value only, no prose.";
    if (rf->kind == ResponseFormat::Kind::kJsonSchema)
      rule += " It must match this JSON Schema: " + bj::serialize(rf->schema);
    system += (system.empty() ? "" : "\n\n") + rule;
  }
  body["messages"] = std::move(messages);
  if (!system.empty()) body["system"] = bj::array{bj::object{{"text", system}}};
  bj::object inference;
  if (request.max_tokens) inference["maxTokens"] = *request.max_tokens;
  if (request.temperature) inference["temperature"] = *request.temperature;
  if (!request.stop.empty()) {
    bj::array stop;
    for (const auto& s : request.stop) stop.push_back(bj::value(s));
    inference["stopSequences"] = std::move(stop);
  }
  if (!inference.empty()) body["inferenceConfig"] = std::move(inference);
  if (!request.tools.empty()) {
    bj::array tools;
    for (const auto& t : request.tools) {
      bj::object spec{{"name", t.name}, {"inputSchema", bj::object{{"json", t.parameters}}}};
      if (!t.description.empty()) spec["description"] = t.description;
      tools.push_back(bj::object{{"toolSpec", std::move(spec)}});
    }
    bj::object config{{"tools", std::move(tools)}};
    if (request.tool_choice) {
      switch (request.tool_choice->mode) {
        case ToolChoice::Mode::kAuto: config["toolChoice"] = bj::object{{"auto", bj::object{}}}; break;
        case ToolChoice::Mode::kRequired: config["toolChoice"] = bj::object{{"any", bj::object{}}}; break;
        case ToolChoice::Mode::kTool:
          config["toolChoice"] = bj::object{{"tool", bj::object{{"name", request.tool_choice->name}}}};
          break;
        case ToolChoice::Mode::kNone: break;
      }
    }
    body["toolConfig"] = std::move(config);
  }
  return body;
}

Result<http::ClientRequest> BedrockWire::encode(const ChatRequest& request, bool stream) const {
  auto body = encodeBody(request);
  if (!body.ok()) return body.error();
  http::ClientRequest out;
  out.method = "POST";
  std::string base = endpoint_.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  out.url = base + "/model/" + cloud::aws::awsUriEncode(request.model, false) +
            (stream ? "/converse-stream" : "/converse");
  out.headers.emplace_back("Content-Type", "application/json");
  out.headers.emplace_back("Accept", stream ? "application/vnd.amazon.eventstream" : "application/json");
  for (const auto& h : endpoint_.extra_headers) out.headers.push_back(h);
  out.body = bj::serialize(body.value());
  cloud::aws::SigningScope scope{auth_.region, "bedrock", clock_->nowMillis()};
  auto signed_request = cloud::aws::signClientRequest(out, auth_.credentials, scope);
  if (!signed_request.ok())
    return providerError(FailureKind::kBadRequest, "Bedrock: " + signed_request.error().message);
  return out;
}

Result<ChatResponse> BedrockWire::decodeResponse(std::string_view body) const {
  auto parsed = json::parseObject(body, "Bedrock response");
  if (!parsed.ok()) return parsed.error();
  const auto& o = parsed.value();
  ChatResponse out;
  out.raw_finish_reason = json::str(o, "stopReason");
  out.finish_reason = bedrockFinishReason(out.raw_finish_reason);
  const auto* output = json::obj(o, "output");
  const auto* message = output ? json::obj(*output, "message") : nullptr;
  const auto* content = message ? json::arr(*message, "content") : nullptr;
  if (!content) return providerError(FailureKind::kMalformed, "Bedrock response has no output.message.content");
  for (const auto& v : *content) {
    const auto* block = v.if_object();
    if (!block) continue;
    if (const auto* text = block->if_contains("text"); text && text->is_string())
      out.message.content += text->as_string();
    if (const auto* tool = json::obj(*block, "toolUse")) {
      const auto* input = tool->if_contains("input");
      out.message.tool_calls.push_back(
          ToolCall{json::str(*tool, "toolUseId"), json::str(*tool, "name"), input ? bj::serialize(*input) : "{}"});
    }
  }
  if (const auto* usage = json::obj(o, "usage")) readUsage(*usage, out.usage);
  return out;
}

std::unique_ptr<StreamDecoder> BedrockWire::streamDecoder() const {
  return std::make_unique<BedrockStreamDecoder>(auth_.region);
}

core::Error BedrockWire::failure(std::string_view provider, const http::ClientRequest& request, int status,
                                 const http::Headers& headers, std::string_view body, core::Millis now) const {
  BedrockCallContext context{modelOfUrl(request.url), auth_.region, request.url.ends_with("/converse-stream")};
  return bedrockFailure(provider, status, headers, body, now, context);
}

}  // namespace codecrew::llm
