#include "llm/types_json.h"

#include "core/crypto.h"
#include "llm/providers/json_util.h"

#include <boost/json.hpp>

namespace codecrew::llm {

namespace bj = boost::json;
using core::Error;
using core::Result;

namespace {

std::optional<Role> parseRole(std::string_view s) {
  for (Role r : {Role::kSystem, Role::kUser, Role::kAssistant, Role::kTool}) {
    if (roleName(r) == s) return r;
  }
  return std::nullopt;
}

FinishReason parseFinish(std::string_view s) {
  for (auto r : {FinishReason::kStop, FinishReason::kLength, FinishReason::kToolCalls, FinishReason::kContentFilter,
                 FinishReason::kError}) {
    if (finishReasonName(r) == s) return r;
  }
  return FinishReason::kUnknown;
}

bj::array toolCallsJson(const std::vector<ToolCall>& calls) {
  bj::array out;
  for (const auto& c : calls) out.push_back(bj::object{{"id", c.id}, {"name", c.name}, {"arguments", c.arguments}});
  return out;
}

std::vector<ToolCall> toolCallsFrom(const bj::object& o) {
  std::vector<ToolCall> out;
  if (const auto* calls = json::arr(o, "tool_calls")) {
    for (const auto& v : *calls) {
      if (const auto* c = v.if_object())
        out.push_back(ToolCall{json::str(*c, "id"), json::str(*c, "name"), json::str(*c, "arguments")});
    }
  }
  return out;
}

bj::object messageJson(const Message& m) {
  bj::object o{{"role", roleName(m.role)}, {"content", m.content}};
  if (!m.images.empty()) {
    bj::array images;
    for (const auto& i : m.images)
      images.push_back(bj::object{{"url", i.url}, {"media_type", i.media_type}, {"base64_data", i.base64_data}});
    o["images"] = std::move(images);
  }
  if (!m.tool_calls.empty()) o["tool_calls"] = toolCallsJson(m.tool_calls);
  if (!m.tool_call_id.empty()) o["tool_call_id"] = m.tool_call_id;
  if (!m.name.empty()) o["name"] = m.name;
  return o;
}

Result<Message> messageFrom(const bj::value& v) {
  const auto* o = v.if_object();
  if (!o) return Error::invalidArgument("message is not an object");
  auto role = parseRole(json::str(*o, "role"));
  if (!role) return Error::invalidArgument("message has an unknown role '" + json::str(*o, "role") + "'");
  Message m{*role, json::str(*o, "content")};
  if (const auto* images = json::arr(*o, "images")) {
    for (const auto& iv : *images) {
      if (const auto* i = iv.if_object())
        m.images.push_back(ImagePart{json::str(*i, "url"), json::str(*i, "media_type"), json::str(*i, "base64_data")});
    }
  }
  m.tool_calls = toolCallsFrom(*o);
  m.tool_call_id = json::str(*o, "tool_call_id");
  m.name = json::str(*o, "name");
  return m;
}

constexpr const char* kChoiceModes[] = {"auto", "none", "required", "tool"};
constexpr const char* kFormatKinds[] = {"text", "json_object", "json_schema"};

}  // namespace

bj::object toJson(const Usage& usage) {
  bj::object o{{"prompt_tokens", usage.prompt_tokens},
               {"completion_tokens", usage.completion_tokens},
               {"total_tokens", usage.total_tokens},
               {"cached_prompt_tokens", usage.cached_prompt_tokens},
               {"reported", usage.reported}};
  if (!usage.extra.empty()) o["extra"] = usage.extra;
  return o;
}

static Usage usageFrom(const bj::object& o) {
  Usage u;
  u.prompt_tokens = json::i64(o, "prompt_tokens");
  u.completion_tokens = json::i64(o, "completion_tokens");
  u.total_tokens = json::i64(o, "total_tokens");
  u.cached_prompt_tokens = json::i64(o, "cached_prompt_tokens");
  if (const auto* r = o.if_contains("reported"); r && r->is_bool()) u.reported = r->as_bool();
  if (const auto* e = json::obj(o, "extra")) u.extra = *e;
  return u;
}

bj::object toJson(const ChatRequest& r) {
  bj::object o{{"model", r.model}};
  bj::array messages;
  for (const auto& m : r.messages) messages.push_back(messageJson(m));
  o["messages"] = std::move(messages);
  if (!r.tools.empty()) {
    bj::array tools;
    for (const auto& t : r.tools)
      tools.push_back(bj::object{{"name", t.name}, {"description", t.description}, {"parameters", t.parameters}});
    o["tools"] = std::move(tools);
  }
  if (r.tool_choice)
    o["tool_choice"] = bj::object{{"mode", kChoiceModes[static_cast<int>(r.tool_choice->mode)]},
                                  {"name", r.tool_choice->name}};
  if (r.temperature) o["temperature"] = *r.temperature;
  if (r.max_tokens) o["max_tokens"] = *r.max_tokens;
  if (!r.stop.empty()) {
    bj::array stop;
    for (const auto& s : r.stop) stop.push_back(bj::value(s));
    o["stop"] = std::move(stop);
  }
  if (const auto& f = r.response_format) {
    o["response_format"] = bj::object{{"kind", kFormatKinds[static_cast<int>(f->kind)]},
                                      {"name", f->name},
                                      {"schema", f->schema},
                                      {"strict", f->strict}};
  }
  return o;
}

Result<ChatRequest> chatRequestFromJson(const bj::value& v) {
  const auto* o = v.if_object();
  if (!o) return Error::invalidArgument("request is not an object");
  ChatRequest r;
  r.model = json::str(*o, "model");
  if (const auto* messages = json::arr(*o, "messages")) {
    for (const auto& mv : *messages) {
      auto m = messageFrom(mv);
      if (!m.ok()) return m.error();
      r.messages.push_back(std::move(m.value()));
    }
  }
  if (const auto* tools = json::arr(*o, "tools")) {
    for (const auto& tv : *tools) {
      if (const auto* t = tv.if_object()) {
        const auto* params = t->if_contains("parameters");
        r.tools.push_back(
            ToolSpec{json::str(*t, "name"), json::str(*t, "description"), params ? *params : bj::object()});
      }
    }
  }
  if (const auto* tc = json::obj(*o, "tool_choice")) {
    ToolChoice choice;
    for (int i = 0; i < 4; ++i) {
      if (json::str(*tc, "mode") == kChoiceModes[i]) choice.mode = static_cast<ToolChoice::Mode>(i);
    }
    choice.name = json::str(*tc, "name");
    r.tool_choice = choice;
  }
  if (const auto* t = o->if_contains("temperature"); t && t->is_number()) r.temperature = t->to_number<double>();
  if (o->contains("max_tokens")) r.max_tokens = json::i64(*o, "max_tokens");
  if (const auto* stop = json::arr(*o, "stop")) {
    for (const auto& s : *stop) r.stop.push_back(json::str(&s));
  }
  if (const auto* f = json::obj(*o, "response_format")) {
    ResponseFormat format;
    for (int i = 0; i < 3; ++i) {
      if (json::str(*f, "kind") == kFormatKinds[i]) format.kind = static_cast<ResponseFormat::Kind>(i);
    }
    format.name = json::str(*f, "name");
    if (const auto* s = f->if_contains("schema")) format.schema = *s;
    if (const auto* s = f->if_contains("strict"); s && s->is_bool()) format.strict = s->as_bool();
    r.response_format = format;
  }
  return r;
}

bj::object toJson(const ChatResponse& r) {
  return bj::object{{"id", r.id},
                    {"model", r.model},
                    {"message", messageJson(r.message)},
                    {"usage", toJson(r.usage)},
                    {"finish_reason", finishReasonName(r.finish_reason)},
                    {"raw_finish_reason", r.raw_finish_reason}};
}

Result<ChatResponse> chatResponseFromJson(const bj::value& v) {
  const auto* o = v.if_object();
  if (!o) return Error::invalidArgument("response is not an object");
  ChatResponse r;
  r.id = json::str(*o, "id");
  r.model = json::str(*o, "model");
  if (const auto* m = o->if_contains("message")) {
    auto message = messageFrom(*m);
    if (!message.ok()) return message.error();
    r.message = std::move(message.value());
  }
  if (const auto* u = json::obj(*o, "usage")) r.usage = usageFrom(*u);
  r.finish_reason = parseFinish(json::str(*o, "finish_reason"));
  r.raw_finish_reason = json::str(*o, "raw_finish_reason");
  return r;
}

bj::object toJson(const StreamDelta& d) {
  switch (d.kind) {
    case StreamDelta::Kind::kText: return {{"kind", "text"}, {"text", d.text}};
    case StreamDelta::Kind::kToolCall:
      return {{"kind", "tool_call"},
              {"index", d.tool_index},
              {"id", d.tool_id},
              {"name", d.tool_name},
              {"arguments", d.arguments_fragment}};
    case StreamDelta::Kind::kUsage: return {{"kind", "usage"}, {"usage", toJson(d.usage)}};
    case StreamDelta::Kind::kFinish:
      return {{"kind", "finish"}, {"finish_reason", finishReasonName(d.finish_reason)}, {"raw", d.raw_finish_reason}};
  }
  return {};
}

Result<StreamDelta> streamDeltaFromJson(const bj::value& v) {
  const auto* o = v.if_object();
  if (!o) return Error::invalidArgument("delta is not an object");
  StreamDelta d;
  auto kind = json::str(*o, "kind");
  if (kind == "text") {
    d.text = json::str(*o, "text");
  } else if (kind == "tool_call") {
    d.kind = StreamDelta::Kind::kToolCall;
    d.tool_index = static_cast<int>(json::i64(*o, "index"));
    d.tool_id = json::str(*o, "id");
    d.tool_name = json::str(*o, "name");
    d.arguments_fragment = json::str(*o, "arguments");
  } else if (kind == "usage") {
    d.kind = StreamDelta::Kind::kUsage;
    if (const auto* u = json::obj(*o, "usage")) d.usage = usageFrom(*u);
  } else if (kind == "finish") {
    d.kind = StreamDelta::Kind::kFinish;
    d.finish_reason = parseFinish(json::str(*o, "finish_reason"));
    d.raw_finish_reason = json::str(*o, "raw");
  } else {
    return Error::invalidArgument("delta has an unknown kind '" + kind + "'");
  }
  return d;
}

std::string promptHash(const ChatRequest& request) {
  auto o = toJson(request);
  o.erase("model");
  return core::sha256Hex(bj::serialize(o));
}

std::string responseHash(const ChatResponse& response) {
  return core::sha256Hex(bj::serialize(messageJson(response.message)));
}

}  // namespace codecrew::llm
