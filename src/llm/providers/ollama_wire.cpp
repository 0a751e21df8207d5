#include "llm/providers/ollama_wire.h"

#include "llm/provider_error.h"
#include "llm/providers/json_util.h"
#include "llm/providers/sse_parser.h"

namespace codecrew::llm {

namespace bj = boost::json;
using core::Result;

namespace {

constexpr const char* kCounters[] = {"total_duration",       "load_duration", "prompt_eval_count",
                                     "prompt_eval_duration", "eval_count",    "eval_duration"};

bj::object encodeMessage(const Message& m) {
  bj::object out{{"role", roleName(m.role)}, {"content", m.content}};
  if (!m.images.empty()) {
    bj::array images;
    for (const auto& image : m.images) images.push_back(bj::value(image.base64_data));
    out["images"] = std::move(images);
  }
  if (!m.tool_calls.empty()) {
    bj::array calls;
    for (const auto& c : m.tool_calls)
      calls.push_back(
          bj::object{{"function", bj::object{{"name", c.name}, {"arguments", json::argumentsObject(c.arguments)}}}});
    out["tool_calls"] = std::move(calls);
  }
  if (m.role == Role::kTool && !m.name.empty()) out["tool_name"] = m.name;
  return out;
}

// Reads one /api/chat object (a whole answer or one NDJSON line).
struct LineReader {
  int next_tool = 0;
  bool done = false;
  std::string done_reason;
  bool has_tools = false;

  core::Status read(const bj::object& o, const DeltaSink& sink) {
    if (const auto* err = o.if_contains("error")) {
      std::string message = json::str(err);
      auto kind = mentionsContextLength(message) ? FailureKind::kContextLength : FailureKind::kServer;
      return providerError(kind, "Ollama error: " + message);
    }
    if (const auto* msg = json::obj(o, "message")) {
      if (auto text = json::str(*msg, "content"); !text.empty()) sink(StreamDelta::textDelta(std::move(text)));
      if (const auto* calls = json::arr(*msg, "tool_calls")) {
        for (const auto& cv : *calls) {
          const auto* fn = cv.is_object() ? json::obj(cv.as_object(), "function") : nullptr;
          if (!fn) continue;
          StreamDelta d;
          d.kind = StreamDelta::Kind::kToolCall;
          d.tool_index = next_tool;
          d.tool_id = "call_" + std::to_string(next_tool++);
          d.tool_name = json::str(*fn, "name");
          const auto* args = fn->if_contains("arguments");
          d.arguments_fragment = args == nullptr ? "{}" : args->is_string() ? json::str(args) : bj::serialize(*args);
          has_tools = true;
          sink(d);
        }
      }
    }
    if (const auto* d = o.if_contains("done"); d && d->is_bool() && d->as_bool()) {
      done = true;
      done_reason = json::str(o, "done_reason");
      StreamDelta usage;
      usage.kind = StreamDelta::Kind::kUsage;
      usage.usage.reported = true;
      usage.usage.prompt_tokens = json::i64(o, "prompt_eval_count");
      usage.usage.completion_tokens = json::i64(o, "eval_count");
      usage.usage.total_tokens = usage.usage.prompt_tokens + usage.usage.completion_tokens;
      for (const char* key : kCounters) {
        if (o.contains(key)) usage.usage.extra[key] = json::i64(o, key);
      }
      sink(usage);
      sink(finishDelta());
    }
    return core::okStatus();
  }

  StreamDelta finishDelta() const {
    StreamDelta d;
    d.kind = StreamDelta::Kind::kFinish;
    d.raw_finish_reason = done_reason;
    if (has_tools) {
      d.finish_reason = FinishReason::kToolCalls;
    } else if (done_reason == "length") {
      d.finish_reason = FinishReason::kLength;
    } else if (done_reason == "stop" || done_reason.empty()) {
      d.finish_reason = FinishReason::kStop;
    }
    return d;
  }
};

class OllamaStreamDecoder final : public StreamDecoder {
 public:
  core::Status feed(std::string_view bytes, const DeltaSink& sink) override {
    core::Status status;
    lines_.feed(bytes, [&](std::string_view line) {
      auto parsed = json::parseObject(line, "Ollama stream line");
      status = parsed.ok() ? reader_.read(parsed.value(), sink) : core::Status(parsed.error());
      return status.ok();
    });
    return status;
  }

  core::Status finish(const DeltaSink& sink) override {
    if (!lines_.rest().empty()) {
      auto parsed = json::parseObject(lines_.rest(), "Ollama stream line");
      if (!parsed.ok()) return providerError(FailureKind::kNetwork, "Ollama stream cut inside a line");
      auto status = reader_.read(parsed.value(), sink);
      if (!status.ok()) return status;
    }
    if (!reader_.done) return providerError(FailureKind::kNetwork, "Ollama stream ended before done:true");
    return core::okStatus();
  }

 private:
  LineSplitter lines_;
  LineReader reader_;
};

}  // namespace

OllamaWire::OllamaWire(Endpoint endpoint) : endpoint_(std::move(endpoint)) {}

bj::object OllamaWire::encodeBody(const ChatRequest& request, bool stream) const {
  bj::object body{{"model", request.model}, {"stream", stream}};
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
  bj::object options;
  if (request.temperature) options["temperature"] = *request.temperature;
  if (request.max_tokens) options["num_predict"] = *request.max_tokens;
  if (!request.stop.empty()) {
    bj::array stop;
    for (const auto& s : request.stop) stop.push_back(bj::value(s));
    options["stop"] = std::move(stop);
  }
  if (!options.empty()) body["options"] = std::move(options);
  if (const auto& rf = request.response_format) {
    if (rf->kind == ResponseFormat::Kind::kJsonObject) body["format"] = "json";
    if (rf->kind == ResponseFormat::Kind::kJsonSchema) body["format"] = rf->schema;
  }
  return body;
}

Result<http::ClientRequest> OllamaWire::encode(const ChatRequest& request, bool stream) const {
  for (const auto& m : request.messages) {
    for (const auto& image : m.images) {
      if (image.base64_data.empty())
        return core::Error::invalidArgument("Ollama takes images as inline base64 data only, not the URL " + image.url +
                                            ": attach the image's bytes instead");
    }
  }
  http::ClientRequest out;
  out.method = "POST";
  std::string base = endpoint_.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  out.url = base + "/api/chat";
  if (!endpoint_.api_key.empty()) out.headers.emplace_back("Authorization", "Bearer " + endpoint_.api_key);
  out.headers.emplace_back("Content-Type", "application/json");
  for (const auto& h : endpoint_.extra_headers) out.headers.push_back(h);
  out.body = bj::serialize(encodeBody(request, stream));
  return out;
}

Result<ChatResponse> OllamaWire::decodeResponse(std::string_view body) const {
  auto parsed = json::parseObject(body, "Ollama response");
  if (!parsed.ok()) return parsed.error();
  LineReader reader;
  ChatResponse out;
  auto status = reader.read(parsed.value(), [&](const StreamDelta& d) {
    if (d.kind == StreamDelta::Kind::kText) out.message.content += d.text;
    if (d.kind == StreamDelta::Kind::kToolCall)
      out.message.tool_calls.push_back(ToolCall{d.tool_id, d.tool_name, d.arguments_fragment});
    if (d.kind == StreamDelta::Kind::kUsage) out.usage = d.usage;
    if (d.kind == StreamDelta::Kind::kFinish) {
      out.finish_reason = d.finish_reason;
      out.raw_finish_reason = d.raw_finish_reason;
    }
  });
  if (!status.ok()) return status.error();
  out.model = json::str(parsed.value(), "model");
  return out;
}

std::unique_ptr<StreamDecoder> OllamaWire::streamDecoder() const { return std::make_unique<OllamaStreamDecoder>(); }

}  // namespace codecrew::llm
