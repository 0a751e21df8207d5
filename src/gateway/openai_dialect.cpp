#include "gateway/openai_dialect.h"

#include "core/crypto.h"
#include "gateway/openai_request_parts.h"
#include "llm/providers/json_util.h"

#include <boost/json.hpp>

namespace codecrew::gateway {

namespace bj = boost::json;
namespace lj = llm::json;
using core::Result;

namespace {

// Content as a string, null, or an array of text/image_url parts.
core::Status parseContent(const bj::value* content, llm::Message& m) {
  return parseContentParts(content, m, "messages", {"text"}, "image_url");
}

Result<llm::Message> parseMessage(const bj::value& v) {
  const auto* o = v.if_object();
  if (!o) return badRequest("each message must be an object", "messages");
  auto role = lj::str(*o, "role");
  llm::Message m;
  if (role == "system" || role == "developer") {
    m.role = llm::Role::kSystem;
  } else if (role == "user") {
    m.role = llm::Role::kUser;
  } else if (role == "assistant") {
    m.role = llm::Role::kAssistant;
  } else if (role == "tool") {
    m.role = llm::Role::kTool;
    m.tool_call_id = lj::str(*o, "tool_call_id");
    if (m.tool_call_id.empty()) return badRequest("a tool message needs tool_call_id", "messages");
  } else {
    return badRequest("unknown message role '" + role + "'", "messages");
  }
  if (auto st = parseContent(o->if_contains("content"), m); !st.ok()) return st.error();
  if (const auto* calls = lj::arr(*o, "tool_calls")) {
    for (const auto& c : *calls) {
      const auto* call = c.if_object();
      const auto* fn = call ? lj::obj(*call, "function") : nullptr;
      if (!fn) return badRequest("each tool call needs a function", "messages");
      m.tool_calls.push_back({lj::str(*call, "id"), lj::str(*fn, "name"), lj::str(*fn, "arguments")});
    }
  }
  return m;
}

core::Status parseTools(const bj::object& body, llm::ChatRequest& request) {
  if (const auto* tools = lj::arr(body, "tools")) {
    for (const auto& t : *tools) {
      const auto* tool = t.if_object();
      const auto* fn = tool ? lj::obj(*tool, "function") : nullptr;
      if (!fn || lj::str(*fn, "name").empty()) return badRequest("each tool needs a function with a name", "tools");
      llm::ToolSpec spec{lj::str(*fn, "name"), lj::str(*fn, "description")};
      if (const auto* params = fn->if_contains("parameters"); params && params->is_object()) spec.parameters = *params;
      request.tools.push_back(std::move(spec));
    }
  }
  auto choice = parseToolChoice(body.if_contains("tool_choice"));
  if (!choice.ok()) return choice.error();
  request.tool_choice = choice.value();
  return core::okStatus();
}

core::Status parseFormatField(const bj::object& body, llm::ChatRequest& request) {
  const auto* rf = lj::obj(body, "response_format");
  if (!rf) return core::okStatus();
  auto format = parseResponseFormat(lj::str(*rf, "type"), lj::obj(*rf, "json_schema"), "response_format");
  if (!format.ok()) return format.error();
  request.response_format = std::move(format.value());
  return core::okStatus();
}

core::Status parseSampling(const bj::object& body, llm::ChatRequest& request) {
  if (const auto* t = body.if_contains("temperature"); t && t->is_number())
    request.temperature = t->to_number<double>();
  for (const char* key : {"max_completion_tokens", "max_tokens"}) {
    const auto* v = body.if_contains(key);
    if (!v || v->is_null()) continue;
    if (!v->is_int64() || v->as_int64() < 1) return badRequest(std::string(key) + " must be a positive integer", key);
    request.max_tokens = v->as_int64();
    break;
  }
  if (const auto* stop = body.if_contains("stop"); stop && !stop->is_null()) {
    if (stop->is_string()) {
      request.stop.emplace_back(stop->as_string());
    } else if (stop->is_array()) {
      for (const auto& s : stop->as_array()) request.stop.push_back(lj::str(&s));
    } else {
      return badRequest("stop must be a string or an array of strings", "stop");
    }
  }
  if (const auto* n = body.if_contains("n"); n && n->is_int64() && n->as_int64() != 1)
    return badRequest("only n = 1 is supported", "n");
  return core::okStatus();
}

bj::object usageJson(const llm::Usage& usage) {
  bj::object u{{"prompt_tokens", usage.prompt_tokens},
               {"completion_tokens", usage.completion_tokens},
               {"total_tokens", usage.total_tokens}};
  if (usage.cached_prompt_tokens > 0)
    u["prompt_tokens_details"] = bj::object{{"cached_tokens", usage.cached_prompt_tokens}};
  return u;
}

std::string newId() { return "chatcmpl-" + core::uniqueHex(12); }

std::string frame(const bj::object& o) {
  std::string out = "data: ";
  out += bj::serialize(o);
  out += "\n\n";
  return out;
}

std::string_view errorType(FailureCategory category) {
  switch (category) {
    case FailureCategory::kInvalidRequest:
    case FailureCategory::kNotFound: return "invalid_request_error";
    case FailureCategory::kAuthentication: return "authentication_error";
    case FailureCategory::kPermission: return "permission_error";
    case FailureCategory::kRateLimit: return "rate_limit_error";
    case FailureCategory::kBudget: return "insufficient_quota";
    case FailureCategory::kTimeout: return "timeout_error";
    case FailureCategory::kCancelled: return "cancelled";
    case FailureCategory::kUpstream:
    case FailureCategory::kOverloaded:
    case FailureCategory::kInternal: return "api_error";
  }
  return "api_error";
}

bj::object errorObject(const GatewayFailure& f) {
  return {{"error", bj::object{{"message", f.message},
                               {"type", errorType(f.category)},
                               {"param", f.param.empty() ? bj::value(nullptr) : bj::value(f.param)},
                               {"code", f.code}}}};
}

class OpenAiStreamRenderer final : public StreamRenderer {
 public:
  OpenAiStreamRenderer(std::string model, bool include_usage, core::Millis now)
      : id_(newId()), model_(std::move(model)), created_(now / 1000), include_usage_(include_usage) {
    std::string head = bj::serialize(chunkHead());
    head.pop_back();  // the closing brace: the choices follow
    text_prefix_ = "data: " + head + R"(,"choices":[{"index":0,"delta":{"content":)";
  }

  std::string delta(const llm::StreamDelta& d) override {
    if (d.kind == llm::StreamDelta::Kind::kText) return textFrame(d.text);
    bj::object delta;
    if (d.kind == llm::StreamDelta::Kind::kToolCall) {
      bj::object fn{{"arguments", d.arguments_fragment}};
      if (!d.tool_name.empty()) fn["name"] = d.tool_name;
      bj::object call{{"index", d.tool_index}, {"function", std::move(fn)}};
      if (!d.tool_id.empty()) {
        call["id"] = d.tool_id;
        call["type"] = "function";
      }
      delta["tool_calls"] = bj::array{std::move(call)};
    } else {
      return {};
    }
    // The first frame sent names the role, whatever it carries (a usage
    // delta that arrives first, as from Anthropic, sends no frame).
    if (!started_) {
      delta["role"] = "assistant";
      started_ = true;
    }
    return frame(chunk(std::move(delta), nullptr));
  }

  std::string finish(const llm::ChatResponse& response) override {
    std::string out = frame(chunk(bj::object{}, bj::value(bj::string(openAiFinishName(response.finish_reason)))));
    if (include_usage_) {
      bj::object usage_chunk = chunkHead();
      usage_chunk["choices"] = bj::array{};
      usage_chunk["usage"] = usageJson(response.usage);
      out += frame(usage_chunk);
    }
    out += "data: [DONE]\n\n";
    return out;
  }

  std::string error(const GatewayFailure& failure) override { return frame(errorObject(failure)) + "data: [DONE]\n\n"; }

 private:
  // A text delta's frame, written directly (the same bytes chunk() would
  // serialise): text deltas are most of a stream.
  std::string textFrame(const std::string& text) {
    if (text.empty()) return {};
    std::string out = text_prefix_;
    out += bj::serialize(bj::string_view(text));
    if (!started_) {
      out += R"(,"role":"assistant")";
      started_ = true;
    }
    out += "},\"finish_reason\":null}]}\n\n";
    return out;
  }

  bj::object chunkHead() const {
    return {{"id", id_}, {"object", "chat.completion.chunk"}, {"created", created_}, {"model", model_}};
  }
  bj::object chunk(bj::object delta, bj::value finish_reason) const {
    bj::object c = chunkHead();
    c["choices"] = bj::array{
        bj::object{{"index", 0}, {"delta", std::move(delta)}, {"finish_reason", std::move(finish_reason)}}};
    return c;
  }

  std::string id_;
  std::string model_;
  core::Millis created_;
  bool include_usage_;
  bool started_ = false;
  std::string text_prefix_;  // a text frame up to its content
};

}  // namespace

std::string_view openAiFinishName(llm::FinishReason reason) {
  switch (reason) {
    case llm::FinishReason::kLength: return "length";
    case llm::FinishReason::kToolCalls: return "tool_calls";
    case llm::FinishReason::kContentFilter: return "content_filter";
    default: return "stop";
  }
}

Result<ParsedCall> OpenAiDialect::parseRequest(std::string_view body) const {
  // The tree lives only in this function: its nodes come from one buffer
  // (on the stack while they fit) instead of an allocation each. Whatever is
  // kept is copied out: strings, and JSON values by assignment, which copies
  // into the destination's (default) storage.
  unsigned char scratch[4096];
  bj::monotonic_resource arena(scratch, sizeof scratch);
  boost::system::error_code ec;
  bj::value parsed = bj::parse(body, ec, &arena);
  if (ec || !parsed.is_object()) return badRequest("the request body must be a JSON object");
  const auto& o = parsed.as_object();
  ParsedCall call;
  call.request.model = lj::str(o, "model");
  if (call.request.model.empty()) return badRequest("model is required", "model");
  const auto* messages = lj::arr(o, "messages");
  if (!messages || messages->empty()) return badRequest("messages must be a non-empty array", "messages");
  for (const auto& v : *messages) {
    auto m = parseMessage(v);
    if (!m.ok()) return m.error();
    call.request.messages.push_back(std::move(m.value()));
  }
  for (auto* step : {parseTools, parseFormatField, parseSampling}) {
    if (auto st = step(o, call.request); !st.ok()) return st.error();
  }
  if (const auto* s = o.if_contains("stream"); s && s->is_bool()) call.stream = s->as_bool();
  if (const auto* so = lj::obj(o, "stream_options")) {
    if (const auto* u = so->if_contains("include_usage"); u && u->is_bool()) call.include_usage = u->as_bool();
  }
  // The same request, as the caller wrote it, for providers that speak
  // OpenAI's wire to forward as it is.
  call.openai_request = std::make_shared<const llm::OpenAiRequest>(
      llm::OpenAiRequest{std::string(body), call.request.model, call.include_usage, o.contains("stream_options")});
  return call;
}

std::string OpenAiDialect::renderResponse(const llm::ChatResponse& response, const ParsedCall& call,
                                          core::Millis now) const {
  bj::object message{{"role", "assistant"},
                     {"content", response.message.content.empty() && !response.message.tool_calls.empty()
                                     ? bj::value(nullptr)
                                     : bj::value(response.message.content)}};
  if (!response.message.tool_calls.empty()) {
    bj::array calls;
    for (const auto& c : response.message.tool_calls) {
      calls.push_back(bj::object{{"id", c.id},
                                 {"type", "function"},
                                 {"function", bj::object{{"name", c.name}, {"arguments", c.arguments}}}});
    }
    message["tool_calls"] = std::move(calls);
  }
  bj::object out{{"id", newId()},
                 {"object", "chat.completion"},
                 {"created", now / 1000},
                 {"model", call.request.model},
                 {"choices", bj::array{bj::object{{"index", 0},
                                                  {"message", std::move(message)},
                                                  {"logprobs", nullptr},
                                                  {"finish_reason", openAiFinishName(response.finish_reason)}}}},
                 {"usage", usageJson(response.usage)}};
  return bj::serialize(out);
}

std::unique_ptr<StreamRenderer> OpenAiDialect::streamRenderer(const ParsedCall& call, core::Millis now) const {
  return std::make_unique<OpenAiStreamRenderer>(call.request.model, call.include_usage, now);
}

std::string OpenAiDialect::renderError(const GatewayFailure& failure) const {
  return bj::serialize(errorObject(failure));
}

}  // namespace codecrew::gateway
