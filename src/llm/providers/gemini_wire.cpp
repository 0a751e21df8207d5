#include "llm/providers/gemini_wire.h"

#include "llm/provider_error.h"
#include "llm/providers/json_util.h"
#include "llm/providers/sse_parser.h"

#include <map>

namespace codecrew::llm {

namespace bj = boost::json;
using core::Result;

namespace {

bj::array partsOf(const Message& m) {
  bj::array parts;
  if (m.role == Role::kTool) {
    boost::system::error_code ec;
    auto v = bj::parse(m.content, ec);
    bj::object response = (!ec && v.is_object()) ? std::move(v.as_object()) : bj::object{{"result", m.content}};
    parts.push_back(bj::object{{"functionResponse", bj::object{{"name", m.name}, {"response", std::move(response)}}}});
    return parts;
  }
  if (!m.content.empty()) parts.push_back(bj::object{{"text", m.content}});
  for (const auto& image : m.images) {
    if (image.url.empty()) {
      parts.push_back(
          bj::object{{"inlineData", bj::object{{"mimeType", image.media_type}, {"data", image.base64_data}}}});
    } else {
      parts.push_back(bj::object{{"fileData", bj::object{{"mimeType", image.media_type}, {"fileUri", image.url}}}});
    }
  }
  for (const auto& c : m.tool_calls)
    parts.push_back(
        bj::object{{"functionCall", bj::object{{"name", c.name}, {"args", json::argumentsObject(c.arguments)}}}});
  return parts;
}

Usage readUsage(const bj::object& u) {
  Usage usage;
  usage.reported = true;
  usage.prompt_tokens = json::i64(u, "promptTokenCount");
  usage.completion_tokens = json::i64(u, "candidatesTokenCount") + json::i64(u, "thoughtsTokenCount");
  usage.total_tokens = json::i64(u, "totalTokenCount");
  if (usage.total_tokens == 0) usage.total_tokens = usage.prompt_tokens + usage.completion_tokens;
  usage.cached_prompt_tokens = json::i64(u, "cachedContentTokenCount");
  return usage;
}

// Applies one GenerateContentResponse (whole or a stream chunk) to deltas.
struct ChunkReader {
  int next_tool = 0;
  std::string finish;
  bool has_tools = false;

  core::Status read(const bj::object& o, const DeltaSink& sink) {
    if (const auto* err = json::obj(o, "error")) {
      std::string message = json::str(*err, "message");
      auto kind = mentionsContextLength(message) ? FailureKind::kContextLength : FailureKind::kServer;
      if (json::str(*err, "status") == "RESOURCE_EXHAUSTED") kind = FailureKind::kRateLimited;
      return providerError(kind, "Gemini error: " + message);
    }
    if (const auto* candidates = json::arr(o, "candidates"); candidates && !candidates->empty()) {
      if (const auto* cand = candidates->front().if_object()) readCandidate(*cand, sink);
    }
    if (const auto* u = json::obj(o, "usageMetadata")) {
      StreamDelta d;
      d.kind = StreamDelta::Kind::kUsage;
      d.usage = readUsage(*u);
      sink(d);
    }
    return core::okStatus();
  }

  void readCandidate(const bj::object& cand, const DeltaSink& sink) {
    if (const auto* content = json::obj(cand, "content")) {
      if (const auto* parts = json::arr(*content, "parts")) {
        for (const auto& pv : *parts) {
          const auto* part = pv.if_object();
          if (!part) continue;
          if (auto text = json::str(*part, "text"); !text.empty() && !part->contains("thought"))
            sink(StreamDelta::textDelta(std::move(text)));
          if (const auto* call = json::obj(*part, "functionCall")) {
            StreamDelta d;
            d.kind = StreamDelta::Kind::kToolCall;
            d.tool_index = next_tool;
            d.tool_id = json::str(*call, "id");
            if (d.tool_id.empty()) d.tool_id = "call_" + std::to_string(next_tool);
            ++next_tool;
            d.tool_name = json::str(*call, "name");
            const auto* args = call->if_contains("args");
            d.arguments_fragment = args ? bj::serialize(*args) : "{}";
            has_tools = true;
            sink(d);
          }
        }
      }
    }
    if (auto reason = json::str(cand, "finishReason"); !reason.empty()) finish = reason;
  }

  StreamDelta finishDelta() const {
    StreamDelta d;
    d.kind = StreamDelta::Kind::kFinish;
    d.raw_finish_reason = finish;
    d.finish_reason = has_tools && finish == "STOP" ? FinishReason::kToolCalls : geminiFinishReason(finish);
    return d;
  }
};

class GeminiStreamDecoder final : public StreamDecoder {
 public:
  core::Status feed(std::string_view bytes, const DeltaSink& sink) override {
    core::Status status;
    sse_.feed(bytes, [&](const SseEvent& event) {
      auto parsed = json::parseObject(event.data, "Gemini stream chunk");
      status = parsed.ok() ? reader_.read(parsed.value(), sink) : core::Status(parsed.error());
      return status.ok();
    });
    return status;
  }

  core::Status finish(const DeltaSink& sink) override {
    if (reader_.finish.empty() || sse_.hasPartial())
      return providerError(FailureKind::kNetwork, "Gemini stream ended before a finishReason");
    sink(reader_.finishDelta());
    return core::okStatus();
  }

 private:
  SseParser sse_;
  ChunkReader reader_;
};

}  // namespace

FinishReason geminiFinishReason(std::string_view raw) {
  if (raw == "STOP") return FinishReason::kStop;
  if (raw == "MAX_TOKENS") return FinishReason::kLength;
  if (raw == "SAFETY" || raw == "RECITATION" || raw == "BLOCKLIST" || raw == "PROHIBITED_CONTENT")
    return FinishReason::kContentFilter;
  return FinishReason::kUnknown;
}

GeminiWire::GeminiWire(Endpoint endpoint) : endpoint_(std::move(endpoint)) {}

bj::object GeminiWire::encodeBody(const ChatRequest& request) const {
  bj::object body;
  std::string system;
  bj::array contents;
  for (const auto& m : request.messages) {
    if (m.role == Role::kSystem) {
      system += (system.empty() ? "" : "\n\n") + m.content;
      continue;
    }
    std::string role = m.role == Role::kAssistant ? "model" : "user";
    auto parts = partsOf(m);
    if (!contents.empty() && contents.back().as_object()["role"].as_string() == role) {
      auto& existing = contents.back().as_object()["parts"].as_array();
      for (auto& p : parts) existing.push_back(std::move(p));
    } else {
      contents.push_back(bj::object{{"role", role}, {"parts", std::move(parts)}});
    }
  }
  if (!system.empty()) body["systemInstruction"] = bj::object{{"parts", bj::array{bj::object{{"text", system}}}}};
  body["contents"] = std::move(contents);
  if (!request.tools.empty()) {
    bj::array decls;
    for (const auto& t : request.tools)
      decls.push_back(bj::object{{"name", t.name}, {"description", t.description}, {"parameters", t.parameters}});
    body["tools"] = bj::array{bj::object{{"functionDeclarations", std::move(decls)}}};
  }
  if (const auto& tc = request.tool_choice) {
    static constexpr const char* kModes[] = {"AUTO", "NONE", "ANY", "ANY"};
    bj::object config{{"mode", kModes[static_cast<int>(tc->mode)]}};
    if (tc->mode == ToolChoice::Mode::kTool) config["allowedFunctionNames"] = bj::array{bj::value(tc->name)};
    body["toolConfig"] = bj::object{{"functionCallingConfig", std::move(config)}};
  }
  bj::object generation;
  if (request.temperature) generation["temperature"] = *request.temperature;
  if (request.max_tokens) generation["maxOutputTokens"] = *request.max_tokens;
  if (!request.stop.empty()) {
    bj::array stop;
    for (const auto& s : request.stop) stop.push_back(bj::value(s));
    generation["stopSequences"] = std::move(stop);
  }
  if (const auto& rf = request.response_format; rf && rf->kind != ResponseFormat::Kind::kText) {
    generation["responseMimeType"] = "application/json";
    if (rf->kind == ResponseFormat::Kind::kJsonSchema) generation["responseJsonSchema"] = rf->schema;
  }
  if (!generation.empty()) body["generationConfig"] = std::move(generation);
  return body;
}

Result<http::ClientRequest> GeminiWire::encode(const ChatRequest& request, bool stream) const {
  http::ClientRequest out;
  out.method = "POST";
  std::string base = endpoint_.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  out.url = base + "/models/" + request.model + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
  if (!endpoint_.api_key.empty()) out.headers.emplace_back("x-goog-api-key", endpoint_.api_key);
  out.headers.emplace_back("Content-Type", "application/json");
  for (const auto& h : endpoint_.extra_headers) out.headers.push_back(h);
  out.body = bj::serialize(encodeBody(request));
  return out;
}

Result<ChatResponse> GeminiWire::decodeResponse(std::string_view body) const {
  auto parsed = json::parseObject(body, "Gemini response");
  if (!parsed.ok()) return parsed.error();
  ChunkReader reader;
  ChatResponse out;
  std::map<int, ToolCall> calls;
  auto status = reader.read(parsed.value(), [&](const StreamDelta& d) {
    if (d.kind == StreamDelta::Kind::kText) out.message.content += d.text;
    if (d.kind == StreamDelta::Kind::kToolCall)
      calls[d.tool_index] = ToolCall{d.tool_id, d.tool_name, d.arguments_fragment};
    if (d.kind == StreamDelta::Kind::kUsage) out.usage = d.usage;
  });
  if (!status.ok()) return status.error();
  if (!json::arr(parsed.value(), "candidates"))
    return providerError(FailureKind::kMalformed, "Gemini response has no candidates");
  for (auto& [i, c] : calls) out.message.tool_calls.push_back(std::move(c));
  out.model = json::str(parsed.value(), "modelVersion");
  out.id = json::str(parsed.value(), "responseId");
  auto finish = reader.finishDelta();
  out.finish_reason = finish.finish_reason;
  out.raw_finish_reason = finish.raw_finish_reason;
  return out;
}

std::unique_ptr<StreamDecoder> GeminiWire::streamDecoder() const { return std::make_unique<GeminiStreamDecoder>(); }

}  // namespace codecrew::llm
