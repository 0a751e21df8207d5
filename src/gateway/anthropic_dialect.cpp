#include "gateway/anthropic_dialect.h"

#include "core/crypto.h"
#include "llm/providers/json_util.h"

#include <boost/json.hpp>

#include <map>

namespace codecrew::gateway {

namespace bj = boost::json;
namespace lj = llm::json;
using core::Result;

namespace {

// Text of a string or of an array of text blocks.
std::string blockText(const bj::value* v) {
  if (!v) return {};
  if (v->is_string()) return std::string(v->as_string());
  std::string out;
  if (const auto* a = v->if_array()) {
    for (const auto& b : *a) {
      if (const auto* o = b.if_object(); o && lj::str(*o, "type") == "text") out += lj::str(*o, "text");
    }
  }
  return out;
}

Result<llm::ImagePart> parseImage(const bj::object& block) {
  const auto* source = lj::obj(block, "source");
  if (!source) return badRequest("an image block needs a source", "messages");
  llm::ImagePart image;
  auto type = lj::str(*source, "type");
  if (type == "base64") {
    image.media_type = lj::str(*source, "media_type");
    image.base64_data = lj::str(*source, "data");
  } else if (type == "url") {
    image.url = lj::str(*source, "url");
  } else {
    return badRequest("image source type must be base64 or url", "messages");
  }
  return image;
}

// Splits one Anthropic turn into normalised messages: tool results become
// tool messages (named from the tool_use that asked for them), the rest one
// user or assistant message.
core::Status parseTurn(const bj::object& turn, std::map<std::string, std::string>& tool_names,
                       std::vector<llm::Message>& out) {
  auto role = lj::str(turn, "role");
  if (role != "user" && role != "assistant") return badRequest("message role must be user or assistant", "messages");
  llm::Message m{role == "user" ? llm::Role::kUser : llm::Role::kAssistant};
  const auto* content = turn.if_contains("content");
  if (content && content->is_string()) {
    m.content = std::string(content->as_string());
    out.push_back(std::move(m));
    return core::okStatus();
  }
  if (!content || !content->is_array())
    return badRequest("message content must be a string or an array of blocks", "messages");
  for (const auto& v : content->as_array()) {
    const auto* block = v.if_object();
    if (!block) return badRequest("each content block must be an object", "messages");
    auto type = lj::str(*block, "type");
    if (type == "text") {
      m.content += lj::str(*block, "text");
    } else if (type == "image") {
      auto image = parseImage(*block);
      if (!image.ok()) return image.error();
      m.images.push_back(std::move(image.value()));
    } else if (type == "tool_use") {
      const auto* input = block->if_contains("input");
      llm::ToolCall call{lj::str(*block, "id"), lj::str(*block, "name"),
                         input ? bj::serialize(*input) : std::string("{}")};
      tool_names[call.id] = call.name;
      m.tool_calls.push_back(std::move(call));
    } else if (type == "tool_result") {
      auto id = lj::str(*block, "tool_use_id");
      out.push_back(llm::Message::toolResult(id, tool_names[id], blockText(block->if_contains("content"))));
    } else if (type != "thinking" && type != "redacted_thinking") {
      return badRequest("unsupported content block type '" + type + "'", "messages");
    }
  }
  if (!m.content.empty() || !m.images.empty() || !m.tool_calls.empty()) out.push_back(std::move(m));
  return core::okStatus();
}

core::Status parseTools(const bj::object& body, llm::ChatRequest& request) {
  if (const auto* tools = lj::arr(body, "tools")) {
    for (const auto& t : *tools) {
      const auto* tool = t.if_object();
      if (!tool || lj::str(*tool, "name").empty()) return badRequest("each tool needs a name", "tools");
      llm::ToolSpec spec{lj::str(*tool, "name"), lj::str(*tool, "description")};
      if (const auto* schema = tool->if_contains("input_schema"); schema && schema->is_object())
        spec.parameters = *schema;
      request.tools.push_back(std::move(spec));
    }
  }
  if (const auto* choice = lj::obj(body, "tool_choice")) {
    auto type = lj::str(*choice, "type");
    llm::ToolChoice tc;
    if (type == "auto") tc.mode = llm::ToolChoice::Mode::kAuto;
    else if (type == "any") tc.mode = llm::ToolChoice::Mode::kRequired;
    else if (type == "none") tc.mode = llm::ToolChoice::Mode::kNone;
    else if (type == "tool") tc = {llm::ToolChoice::Mode::kTool, lj::str(*choice, "name")};
    else return badRequest("tool_choice type must be auto, any, none or tool", "tool_choice");
    request.tool_choice = tc;
  }
  return core::okStatus();
}

std::string frame(std::string_view event, const bj::object& data) {
  std::string out = "event: ";
  out += event;
  out += "\ndata: ";
  out += bj::serialize(data);
  out += "\n\n";
  return out;
}

std::string newId() { return "msg_" + core::uniqueHex(12); }

std::string_view errorType(FailureCategory category) {
  switch (category) {
    case FailureCategory::kInvalidRequest: return "invalid_request_error";
    case FailureCategory::kAuthentication: return "authentication_error";
    case FailureCategory::kPermission: return "permission_error";
    case FailureCategory::kNotFound: return "not_found_error";
    case FailureCategory::kRateLimit:
    case FailureCategory::kBudget: return "rate_limit_error";
    case FailureCategory::kOverloaded: return "overloaded_error";
    case FailureCategory::kTimeout:
    case FailureCategory::kCancelled:
    case FailureCategory::kUpstream:
    case FailureCategory::kInternal: return "api_error";
  }
  return "api_error";
}

bj::object errorObject(const GatewayFailure& f) {
  return {{"type", "error"}, {"error", bj::object{{"type", errorType(f.category)}, {"message", f.message}}}};
}

class AnthropicStreamRenderer final : public StreamRenderer {
 public:
  explicit AnthropicStreamRenderer(std::string model) : model_(std::move(model)) {}

  std::string delta(const llm::StreamDelta& d) override {
    std::string out = start();
    if (d.kind == llm::StreamDelta::Kind::kText) {
      if (d.text.empty()) return out;
      if (open_tool_ >= 0 || open_index_ < 0) {
        out += stopBlock();
        out += openBlock(bj::object{{"type", "text"}, {"text", ""}});
        open_tool_ = -1;
      }
      out += frame("content_block_delta", {{"type", "content_block_delta"},
                                           {"index", open_index_},
                                           {"delta", bj::object{{"type", "text_delta"}, {"text", d.text}}}});
    } else if (d.kind == llm::StreamDelta::Kind::kToolCall) {
      if (open_tool_ != d.tool_index || open_index_ < 0) {
        out += stopBlock();
        std::string id = d.tool_id.empty() ? "toolu_" + core::randomHex(8) : d.tool_id;
        out += openBlock(bj::object{{"type", "tool_use"}, {"id", id}, {"name", d.tool_name}, {"input", bj::object{}}});
        open_tool_ = d.tool_index;
      }
      if (!d.arguments_fragment.empty()) {
        out += frame("content_block_delta",
                     {{"type", "content_block_delta"},
                      {"index", open_index_},
                      {"delta", bj::object{{"type", "input_json_delta"}, {"partial_json", d.arguments_fragment}}}});
      }
    }
    return out;
  }

  std::string finish(const llm::ChatResponse& response) override {
    std::string out = start();
    out += stopBlock();
    out += frame("message_delta", {{"type", "message_delta"},
                                   {"delta", bj::object{{"stop_reason", anthropicStopReason(response.finish_reason)},
                                                        {"stop_sequence", nullptr}}},
                                   {"usage", bj::object{{"input_tokens", response.usage.prompt_tokens},
                                                        {"output_tokens", response.usage.completion_tokens}}}});
    out += frame("message_stop", {{"type", "message_stop"}});
    return out;
  }

  std::string error(const GatewayFailure& failure) override { return frame("error", errorObject(failure)); }

 private:
  std::string start() {
    if (started_) return {};
    started_ = true;
    bj::object message{{"id", newId()},
                       {"type", "message"},
                       {"role", "assistant"},
                       {"model", model_},
                       {"content", bj::array{}},
                       {"stop_reason", nullptr},
                       {"stop_sequence", nullptr},
                       {"usage", bj::object{{"input_tokens", 0}, {"output_tokens", 0}}}};
    return frame("message_start", {{"type", "message_start"}, {"message", std::move(message)}});
  }
  std::string openBlock(bj::object block) {
    ++open_index_;
    return frame("content_block_start",
                 {{"type", "content_block_start"}, {"index", open_index_}, {"content_block", std::move(block)}});
  }
  std::string stopBlock() {
    if (open_index_ < 0 || stopped_ == open_index_) return {};
    stopped_ = open_index_;
    return frame("content_block_stop", {{"type", "content_block_stop"}, {"index", open_index_}});
  }

  std::string model_;
  bool started_ = false;
  int open_index_ = -1;  // index of the last block opened
  int stopped_ = -1;     // index of the last block stopped
  int open_tool_ = -1;   // the tool_index the open block carries, -1 for text
};

}  // namespace

std::string_view anthropicStopReason(llm::FinishReason reason) {
  switch (reason) {
    case llm::FinishReason::kLength: return "max_tokens";
    case llm::FinishReason::kToolCalls: return "tool_use";
    default: return "end_turn";
  }
}

namespace {

// A messages request; count_tokens requests have no max_tokens.
Result<ParsedCall> parseMessages(std::string_view body, bool needs_max_tokens) {
  boost::system::error_code ec;
  bj::value parsed = bj::parse(body, ec);
  if (ec || !parsed.is_object()) return badRequest("the request body must be a JSON object");
  const auto& o = parsed.as_object();
  ParsedCall call;
  auto& request = call.request;
  request.model = lj::str(o, "model");
  if (request.model.empty()) return badRequest("model: Field required", "model");
  const auto* max_tokens = o.if_contains("max_tokens");
  if (needs_max_tokens && (!max_tokens || !max_tokens->is_int64() || max_tokens->as_int64() < 1))
    return badRequest("max_tokens: a positive integer is required", "max_tokens");
  if (max_tokens && max_tokens->is_int64()) request.max_tokens = max_tokens->as_int64();
  if (auto system = blockText(o.if_contains("system")); !system.empty())
    request.messages.push_back(llm::Message::system(std::move(system)));
  const auto* messages = lj::arr(o, "messages");
  if (!messages || messages->empty()) return badRequest("messages: a non-empty array is required", "messages");
  std::map<std::string, std::string> tool_names;
  for (const auto& v : *messages) {
    const auto* turn = v.if_object();
    if (!turn) return badRequest("each message must be an object", "messages");
    if (auto st = parseTurn(*turn, tool_names, request.messages); !st.ok()) return st.error();
  }
  if (auto st = parseTools(o, request); !st.ok()) return st.error();
  if (const auto* t = o.if_contains("temperature"); t && t->is_number()) request.temperature = t->to_number<double>();
  if (const auto* stops = lj::arr(o, "stop_sequences")) {
    for (const auto& s : *stops) request.stop.push_back(lj::str(&s));
  }
  if (const auto* s = o.if_contains("stream"); s && s->is_bool()) call.stream = s->as_bool();
  call.include_usage = true;
  return call;
}

}  // namespace

Result<ParsedCall> AnthropicDialect::parseRequest(std::string_view body) const { return parseMessages(body, true); }

Result<llm::ChatRequest> parseCountTokensRequest(std::string_view body) {
  auto call = parseMessages(body, false);
  if (!call.ok()) return call.error();
  return std::move(call.value().request);
}

std::string AnthropicDialect::renderResponse(const llm::ChatResponse& response, const ParsedCall& call,
                                             core::Millis) const {
  bj::array content;
  if (!response.message.content.empty())
    content.push_back(bj::object{{"type", "text"}, {"text", response.message.content}});
  for (const auto& c : response.message.tool_calls) {
    content.push_back(
        bj::object{{"type", "tool_use"}, {"id", c.id}, {"name", c.name}, {"input", lj::argumentsObject(c.arguments)}});
  }
  bj::object usage{{"input_tokens", response.usage.prompt_tokens}, {"output_tokens", response.usage.completion_tokens}};
  if (response.usage.cached_prompt_tokens > 0) usage["cache_read_input_tokens"] = response.usage.cached_prompt_tokens;
  bj::object out{{"id", newId()},
                 {"type", "message"},
                 {"role", "assistant"},
                 {"model", call.request.model},
                 {"content", std::move(content)},
                 {"stop_reason", anthropicStopReason(response.finish_reason)},
                 {"stop_sequence", nullptr},
                 {"usage", std::move(usage)}};
  return bj::serialize(out);
}

std::unique_ptr<StreamRenderer> AnthropicDialect::streamRenderer(const ParsedCall& call, core::Millis) const {
  return std::make_unique<AnthropicStreamRenderer>(call.request.model);
}

std::string AnthropicDialect::renderError(const GatewayFailure& failure) const {
  return bj::serialize(errorObject(failure));
}

}  // namespace codecrew::gateway
