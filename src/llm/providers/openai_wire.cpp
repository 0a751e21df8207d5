#include "llm/providers/openai_wire.h"

#include "llm/provider_error.h"
#include "llm/providers/json_util.h"
#include "llm/providers/sse_parser.h"

namespace codecrew::llm {

namespace bj = boost::json;
using core::Result;

namespace {

bj::value encodeContent(const Message& m) {
  if (m.images.empty()) return bj::value(m.content);
  bj::array parts;
  if (!m.content.empty()) parts.push_back(bj::object{{"type", "text"}, {"text", m.content}});
  for (const auto& image : m.images) {
    std::string url = image.url.empty() ? "data:" + image.media_type + ";base64," + image.base64_data : image.url;
    parts.push_back(bj::object{{"type", "image_url"}, {"image_url", bj::object{{"url", url}}}});
  }
  return parts;
}

bj::object encodeMessage(const Message& m) {
  bj::object out{{"role", roleName(m.role)}};
  if (m.role == Role::kTool) {
    out["tool_call_id"] = m.tool_call_id;
    out["content"] = m.content;
    return out;
  }
  if (m.role == Role::kAssistant && !m.tool_calls.empty()) {
    out["content"] = m.content.empty() ? bj::value(nullptr) : bj::value(m.content);
    bj::array calls;
    for (const auto& c : m.tool_calls) {
      calls.push_back(bj::object{{"id", c.id},
                                 {"type", "function"},
                                 {"function", bj::object{{"name", c.name}, {"arguments", c.arguments}}}});
    }
    out["tool_calls"] = std::move(calls);
    return out;
  }
  out["content"] = encodeContent(m);
  return out;
}

bj::value encodeToolChoice(const ToolChoice& choice) {
  switch (choice.mode) {
    case ToolChoice::Mode::kAuto: return "auto";
    case ToolChoice::Mode::kNone: return "none";
    case ToolChoice::Mode::kRequired: return "required";
    case ToolChoice::Mode::kTool:
      return bj::object{{"type", "function"}, {"function", bj::object{{"name", choice.name}}}};
  }
  return "auto";
}

}  // namespace

Usage decodeOpenAiUsage(const bj::object& u) {
  Usage usage;
  usage.reported = true;
  usage.prompt_tokens = json::i64(u, "prompt_tokens");
  usage.completion_tokens = json::i64(u, "completion_tokens");
  usage.total_tokens = json::i64(u, "total_tokens");
  if (usage.total_tokens == 0) usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  if (const auto* details = json::obj(u, "prompt_tokens_details"))
    usage.cached_prompt_tokens = json::i64(*details, "cached_tokens");
  return usage;
}

namespace {

class OpenAiStreamDecoder final : public StreamDecoder {
 public:
  core::Status feed(std::string_view bytes, const DeltaSink& sink) override {
    core::Status status;
    sse_.feed(bytes, [&](const SseEvent& event) {
      status = onEvent(event, sink);
      return status.ok();
    });
    return status;
  }

  core::Status finish(const DeltaSink& sink) override {
    if (done_) return core::okStatus();
    if (finish_reason_) {
      emitFinish(sink);
      return core::okStatus();
    }
    return providerError(FailureKind::kNetwork, "OpenAI stream ended before its final chunk ([DONE])");
  }

 private:
  core::Status onEvent(const SseEvent& event, const DeltaSink& sink) {
    if (event.data == "[DONE]") {
      done_ = true;
      emitFinish(sink);
      return core::okStatus();
    }
    // A chunk is read and dropped: its tree lives in a buffer on the stack.
    unsigned char scratch_buffer[4096];
    bj::monotonic_resource scratch(scratch_buffer, sizeof scratch_buffer);
    auto parsed = json::parseObject(event.data, "OpenAI stream chunk", &scratch);
    if (!parsed.ok()) return parsed.error();
    const auto& chunk = parsed.value();
    if (const auto* err = chunk.if_contains("error")) {
      auto message = err->is_object() ? json::str(err->as_object(), "message") : json::str(err);
      auto kind = mentionsContextLength(message) ? FailureKind::kContextLength : FailureKind::kServer;
      return providerError(kind, "OpenAI stream error after 200: " + message);
    }
    if (const auto* choices = json::arr(chunk, "choices")) {
      for (const auto& c : *choices) {
        if (const auto* choice = c.if_object()) onChoice(*choice, sink);
      }
    }
    if (const auto* usage = json::obj(chunk, "usage")) {
      StreamDelta d;
      d.kind = StreamDelta::Kind::kUsage;
      d.usage = decodeOpenAiUsage(*usage);
      sink(d);
    }
    return core::okStatus();
  }

  void onChoice(const bj::object& choice, const DeltaSink& sink) {
    if (const auto* delta = json::obj(choice, "delta")) {
      if (auto text = json::str(*delta, "content"); !text.empty()) sink(StreamDelta::textDelta(std::move(text)));
      if (const auto* calls = json::arr(*delta, "tool_calls")) {
        for (const auto& v : *calls) {
          const auto* call = v.if_object();
          if (!call) continue;
          StreamDelta d;
          d.kind = StreamDelta::Kind::kToolCall;
          d.tool_index = static_cast<int>(json::i64(*call, "index"));
          d.tool_id = json::str(*call, "id");
          if (const auto* fn = json::obj(*call, "function")) {
            d.tool_name = json::str(*fn, "name");
            d.arguments_fragment = json::str(*fn, "arguments");
          }
          sink(d);
        }
      }
    }
    if (auto reason = json::str(choice, "finish_reason"); !reason.empty()) finish_reason_ = reason;
  }

  void emitFinish(const DeltaSink& sink) {
    if (finished_emitted_) return;
    finished_emitted_ = true;
    sink(openAiFinishDelta(finish_reason_.value_or("")));
  }

  SseParser sse_;
  std::optional<std::string> finish_reason_;
  bool done_ = false;
  bool finished_emitted_ = false;
};

}  // namespace

StreamDelta openAiFinishDelta(std::string raw_reason) {
  StreamDelta d;
  d.kind = StreamDelta::Kind::kFinish;
  d.finish_reason = openAiFinishReason(raw_reason);
  d.raw_finish_reason = std::move(raw_reason);
  return d;
}

FinishReason openAiFinishReason(std::string_view raw) {
  if (raw == "stop") return FinishReason::kStop;
  if (raw == "length") return FinishReason::kLength;
  if (raw == "tool_calls" || raw == "function_call") return FinishReason::kToolCalls;
  if (raw == "content_filter") return FinishReason::kContentFilter;
  return FinishReason::kUnknown;
}

OpenAiWire::OpenAiWire(Endpoint endpoint, Flavor flavor) : endpoint_(std::move(endpoint)), flavor_(flavor) {}

bj::object OpenAiWire::encodeBody(const ChatRequest& request, bool stream) const {
  bj::object body;
  if (flavor_ == Flavor::kOpenAi || endpoint_.deployment.empty()) body["model"] = request.model;
  bj::array messages;
  for (const auto& m : request.messages) messages.push_back(encodeMessage(m));
  body["messages"] = std::move(messages);
  if (!request.tools.empty()) {
    bj::array tools;
    for (const auto& t : request.tools) {
      tools.push_back(
          bj::object{{"type", "function"},
                     {"function",
                      bj::object{{"name", t.name}, {"description", t.description}, {"parameters", t.parameters}}}});
    }
    body["tools"] = std::move(tools);
  }
  if (request.tool_choice) body["tool_choice"] = encodeToolChoice(*request.tool_choice);
  if (request.temperature) body["temperature"] = *request.temperature;
  if (request.max_tokens) body["max_tokens"] = *request.max_tokens;
  if (!request.stop.empty()) {
    bj::array stop;
    for (const auto& s : request.stop) stop.push_back(bj::value(s));
    body["stop"] = std::move(stop);
  }
  if (const auto& rf = request.response_format) {
    if (rf->kind == ResponseFormat::Kind::kJsonObject) body["response_format"] = bj::object{{"type", "json_object"}};
    if (rf->kind == ResponseFormat::Kind::kJsonSchema) {
      body["response_format"] =
          bj::object{{"type", "json_schema"},
                     {"json_schema", bj::object{{"name", rf->name}, {"schema", rf->schema}, {"strict", rf->strict}}}};
    }
  }
  if (stream) {
    body["stream"] = true;
    body["stream_options"] = bj::object{{"include_usage", true}};
  }
  return body;
}

void setOpenAiTarget(http::ClientRequest& out, const Endpoint& endpoint, bool azure, const std::string& model,
                     std::string_view path) {
  std::string base = endpoint.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  if (azure) {
    std::string deployment = endpoint.deployment.empty() ? model : endpoint.deployment;
    std::string version = endpoint.api_version.empty() ? "2024-10-21" : endpoint.api_version;
    out.url = base + "/openai/deployments/" + deployment + "/" + std::string(path) + "?api-version=" + version;
    if (!endpoint.api_key.empty()) out.headers.emplace_back("api-key", endpoint.api_key);
  } else {
    out.url = base + "/" + std::string(path);
    if (!endpoint.api_key.empty()) out.headers.emplace_back("Authorization", "Bearer " + endpoint.api_key);
  }
}

http::ClientRequest openAiChatRequest(const Endpoint& endpoint, bool azure, const std::string& model, bool stream) {
  http::ClientRequest out;
  out.method = "POST";
  setOpenAiTarget(out, endpoint, azure, model, "chat/completions");
  out.headers.emplace_back("Content-Type", "application/json");
  if (stream) out.headers.emplace_back("Accept", "text/event-stream");
  for (const auto& h : endpoint.extra_headers) out.headers.push_back(h);
  return out;
}

Result<http::ClientRequest> OpenAiWire::encode(const ChatRequest& request, bool stream) const {
  http::ClientRequest out = openAiChatRequest(endpoint_, flavor_ == Flavor::kAzure, request.model, stream);
  out.body = bj::serialize(encodeBody(request, stream));
  return out;
}

Result<ChatResponse> OpenAiWire::decodeResponse(std::string_view body) const {
  unsigned char scratch_buffer[4096];
  bj::monotonic_resource scratch(scratch_buffer, sizeof scratch_buffer);
  auto parsed = json::parseObject(body, "OpenAI response", &scratch);
  if (!parsed.ok()) return parsed.error();
  return decodeResponseObject(parsed.value());
}

Result<ChatResponse> OpenAiWire::decodeResponseObject(const bj::object& o) {
  ChatResponse out;
  out.id = json::str(o, "id");
  out.model = json::str(o, "model");
  const auto* choices = json::arr(o, "choices");
  if (!choices || choices->empty() || !choices->front().is_object())
    return providerError(FailureKind::kMalformed, "OpenAI response has no choices");
  const auto& choice = choices->front().as_object();
  out.raw_finish_reason = json::str(choice, "finish_reason");
  out.finish_reason = openAiFinishReason(out.raw_finish_reason);
  if (const auto* message = json::obj(choice, "message")) {
    out.message.content = json::str(*message, "content");
    if (const auto* calls = json::arr(*message, "tool_calls")) {
      for (const auto& v : *calls) {
        const auto* call = v.if_object();
        if (!call) continue;
        ToolCall tc{json::str(*call, "id")};
        if (const auto* fn = json::obj(*call, "function")) {
          tc.name = json::str(*fn, "name");
          tc.arguments = json::str(*fn, "arguments");
        }
        out.message.tool_calls.push_back(std::move(tc));
      }
    }
  }
  if (const auto* usage = json::obj(o, "usage")) out.usage = decodeOpenAiUsage(*usage);
  return out;
}

std::unique_ptr<StreamDecoder> OpenAiWire::streamDecoder() const { return std::make_unique<OpenAiStreamDecoder>(); }

}  // namespace codecrew::llm
