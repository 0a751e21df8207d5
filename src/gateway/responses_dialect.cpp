#include "gateway/responses_dialect.h"

#include "core/crypto.h"
#include "gateway/openai_dialect.h"
#include "gateway/openai_request_parts.h"
#include "llm/providers/json_util.h"

#include <boost/json.hpp>

#include <map>

namespace codecrew::gateway {

namespace bj = boost::json;
namespace lj = llm::json;
using core::Result;

namespace {

// ---- the request ----

// A message's content: a string or a list of input_text / output_text /
// refusal / input_image parts.
core::Status parseContent(const bj::value* content, llm::Message& m) {
  return parseContentParts(content, m, "input", {"input_text", "output_text", "text"}, "input_image");
}

// The text of a function_call_output's output: a string or text parts.
std::string outputText(const bj::value* output) {
  if (!output) return {};
  if (output->is_string()) return std::string(output->as_string());
  std::string out;
  if (const auto* parts = output->if_array()) {
    for (const auto& p : *parts) {
      if (const auto* o = p.if_object()) out += lj::str(*o, "text");
    }
    return out;
  }
  return bj::serialize(*output);
}

class InputParser {
 public:
  InputParser(std::vector<llm::Message>& out, std::vector<std::pair<std::size_t, std::string>>& references)
      : out_(out), references_(references) {}

  core::Status item(const bj::value& v) {
    const auto* o = v.if_object();
    if (!o) return badRequest("each input item must be an object", "input");
    auto type = lj::str(*o, "type");
    if (type.empty() || type == "message") return message(*o);
    if (type == "function_call") return functionCall(*o);
    if (type == "function_call_output") {
      auto id = lj::str(*o, "call_id");
      if (id.empty()) return badRequest("a function_call_output needs a call_id", "input");
      out_.push_back(llm::Message::toolResult(id, tool_names_[id], outputText(o->if_contains("output"))));
      return core::okStatus();
    }
    if (type == "reasoning") return core::okStatus();  // the model's own notes: nothing to send back
    if (type == "item_reference") {
      auto id = lj::str(*o, "id");
      if (id.empty()) return badRequest("an item_reference needs an id", "input");
      references_.emplace_back(out_.size(), std::move(id));
      return core::okStatus();
    }
    return badRequest("unsupported input item type '" + type + "'", "input");
  }

 private:
  core::Status message(const bj::object& o) {
    auto role = lj::str(o, "role");
    llm::Message m;
    if (role == "user") m.role = llm::Role::kUser;
    else if (role == "assistant") m.role = llm::Role::kAssistant;
    else if (role == "system" || role == "developer") m.role = llm::Role::kSystem;
    else return badRequest("an input message's role must be user, assistant, system or developer", "input");
    if (auto st = parseContent(o.if_contains("content"), m); !st.ok()) return st.error();
    out_.push_back(std::move(m));
    return core::okStatus();
  }

  // A function call joins the assistant turn it follows (a text answer or
  // other calls of the same turn), as chat's tool_calls would.
  core::Status functionCall(const bj::object& o) {
    llm::ToolCall call{lj::str(o, "call_id"), lj::str(o, "name"), lj::str(o, "arguments")};
    if (call.id.empty() || call.name.empty())
      return badRequest("a function_call item needs a call_id and a name", "input");
    tool_names_[call.id] = call.name;
    if (out_.empty() || out_.back().role != llm::Role::kAssistant) out_.push_back(llm::Message::assistant(""));
    out_.back().tool_calls.push_back(std::move(call));
    return core::okStatus();
  }

  std::vector<llm::Message>& out_;
  std::vector<std::pair<std::size_t, std::string>>& references_;
  std::map<std::string, std::string> tool_names_;
};

core::Status parseTools(const bj::object& body, llm::ChatRequest& request) {
  if (const auto* tools = lj::arr(body, "tools")) {
    for (const auto& t : *tools) {
      const auto* tool = t.if_object();
      if (!tool) return badRequest("each tool must be an object", "tools");
      auto type = lj::str(*tool, "type");
      if (type != "function") return badRequest("only function tools are supported (not '" + type + "')", "tools");
      if (lj::str(*tool, "name").empty()) return badRequest("each function tool needs a name", "tools");
      llm::ToolSpec spec{lj::str(*tool, "name"), lj::str(*tool, "description")};
      if (const auto* params = tool->if_contains("parameters"); params && params->is_object())
        spec.parameters = *params;
      request.tools.push_back(std::move(spec));
    }
  }
  auto choice = parseToolChoice(body.if_contains("tool_choice"));
  if (!choice.ok()) return choice.error();
  request.tool_choice = choice.value();
  return core::okStatus();
}

core::Status parseTextFormat(const bj::object& body, llm::ChatRequest& request) {
  const auto* text = lj::obj(body, "text");
  const auto* format = text ? lj::obj(*text, "format") : nullptr;
  if (!format) return core::okStatus();
  auto parsed = parseResponseFormat(lj::str(*format, "type"), format, "text");
  if (!parsed.ok()) return parsed.error();
  request.response_format = std::move(parsed.value());
  return core::okStatus();
}

core::Status parseSampling(const bj::object& body, llm::ChatRequest& request) {
  if (const auto* t = body.if_contains("temperature"); t && t->is_number())
    request.temperature = t->to_number<double>();
  if (const auto* v = body.if_contains("max_output_tokens"); v && !v->is_null()) {
    if (!v->is_int64() || v->as_int64() < 1)
      return badRequest("max_output_tokens must be a positive integer", "max_output_tokens");
    request.max_tokens = v->as_int64();
  }
  return core::okStatus();
}

// The request's settings as the response object repeats them (OpenAI's
// defaults where the request said nothing).
bj::object echoOf(const bj::object& body) {
  auto value = [&](std::string_view key, bj::value fallback) {
    const auto* v = body.if_contains(key);
    return v && !v->is_null() ? *v : fallback;
  };
  return {{"instructions", value("instructions", nullptr)},
          {"max_output_tokens", value("max_output_tokens", nullptr)},
          {"metadata", value("metadata", bj::object{})},
          {"parallel_tool_calls", value("parallel_tool_calls", true)},
          {"reasoning", bj::object{{"effort", nullptr}, {"summary", nullptr}}},
          {"store", value("store", true)},
          {"temperature", value("temperature", 1.0)},
          {"text", value("text", bj::object{{"format", bj::object{{"type", "text"}}}})},
          {"tool_choice", value("tool_choice", "auto")},
          {"tools", value("tools", bj::array{})},
          {"top_p", value("top_p", 1.0)},
          {"truncation", value("truncation", "disabled")},
          {"user", value("user", nullptr)}};
}

// ---- the answer ----

std::string itemId(std::string_view prefix) { return std::string(prefix) + core::uniqueHex(16); }

// The id of a response's n-th output item: derived from the response's, so
// that the items kept for item_reference carry the ids the caller was sent.
std::string outputItemId(const std::string& response_id, std::size_t index, bool function) {
  std::string_view base = response_id;
  if (base.starts_with("resp_")) base.remove_prefix(5);
  return std::string(function ? "fc_" : "msg_") + std::string(base) + "_" + std::to_string(index);
}

// One output item: a message with one output_text part, or a function call.
struct OutputItem {
  bool function = false;
  std::string id;
  std::string text;  // the message's text, or the call's arguments
  std::string call_id;
  std::string name;

  bj::object json(std::string_view status) const {
    if (function) {
      return {{"type", "function_call"}, {"id", id},        {"call_id", call_id}, {"name", name},
              {"arguments", text},       {"status", status}};
    }
    bj::array content;
    if (status == "completed") content.push_back(textPart());
    return {
        {"type", "message"}, {"id", id}, {"status", status}, {"role", "assistant"}, {"content", std::move(content)}};
  }
  bj::object textPart() const {
    return {{"type", "output_text"}, {"text", text}, {"annotations", bj::array{}}, {"logprobs", bj::array{}}};
  }
};

std::vector<OutputItem> itemsOf(const std::string& response_id, const llm::Message& message) {
  std::vector<OutputItem> items;
  if (!message.content.empty() || message.tool_calls.empty())
    items.push_back({false, outputItemId(response_id, 0, false), message.content, "", ""});
  for (const auto& c : message.tool_calls) {
    std::string id = outputItemId(response_id, items.size(), true);
    std::string call_id = c.id.empty() ? "call_" + id.substr(3) : c.id;
    items.push_back({true, std::move(id), c.arguments, std::move(call_id), c.name});
  }
  return items;
}

bj::object usageJson(const llm::Usage& usage) {
  return {{"input_tokens", usage.prompt_tokens},
          {"input_tokens_details", bj::object{{"cached_tokens", usage.cached_prompt_tokens}}},
          {"output_tokens", usage.completion_tokens},
          {"output_tokens_details", bj::object{{"reasoning_tokens", 0}}},
          {"total_tokens", usage.total_tokens}};
}

// Why an answer stopped short, in the Responses API's words; null when it did not.
bj::value incompleteDetails(llm::FinishReason reason) {
  if (reason == llm::FinishReason::kLength) return bj::object{{"reason", "max_output_tokens"}};
  if (reason == llm::FinishReason::kContentFilter) return bj::object{{"reason", "content_filter"}};
  return nullptr;
}

// A response object: the request's echo, then what this answer is.
struct ResponseHead {
  std::string id;
  std::int64_t created_at = 0;
  std::string model;
  std::string previous_response_id;
  std::shared_ptr<const bj::object> echo;

  ResponseHead(const ParsedCall& call, core::Millis now)
      : id(call.response_id.empty() ? itemId("resp_") : call.response_id),
        created_at(now / 1000),
        model(call.request.model),
        previous_response_id(call.previous_response_id),
        echo(call.echo) {}

  bj::object object(std::string_view status, bj::array output, bj::value usage, bj::value incomplete = nullptr,
                    bj::value error = nullptr) const {
    bj::object o{{"id", id},
                 {"object", "response"},
                 {"created_at", created_at},
                 {"status", status},
                 {"error", std::move(error)},
                 {"incomplete_details", std::move(incomplete)},
                 {"model", model},
                 {"output", std::move(output)},
                 {"previous_response_id",
                  previous_response_id.empty() ? bj::value(nullptr) : bj::value(previous_response_id)},
                 {"usage", std::move(usage)}};
    if (echo) {
      for (const auto& [k, v] : *echo) o.emplace(k, v);
    }
    return o;
  }
};

std::string_view statusOf(llm::FinishReason reason) {
  return incompleteDetails(reason).is_null() ? "completed" : "incomplete";
}

class ResponsesStreamRenderer final : public StreamRenderer {
 public:
  ResponsesStreamRenderer(const ParsedCall& call, core::Millis now) : head_(call, now) {}

  std::string delta(const llm::StreamDelta& d) override {
    std::string out = start();
    if (d.kind == llm::StreamDelta::Kind::kText) {
      if (d.text.empty()) return out;
      if (!open_ || items_.back().function) {
        out += closeItem();
        out += openItem({false, outputItemId(head_.id, items_.size(), false), "", "", ""});
      }
      auto& item = items_.back();
      item.text += d.text;
      out += event("response.output_text.delta", {{"item_id", item.id},
                                                  {"output_index", items_.size() - 1},
                                                  {"content_index", 0},
                                                  {"delta", d.text},
                                                  {"logprobs", bj::array{}}});
    } else if (d.kind == llm::StreamDelta::Kind::kToolCall) {
      if (!open_ || !items_.back().function || open_tool_ != d.tool_index) {
        out += closeItem();
        std::string id = outputItemId(head_.id, items_.size(), true);
        std::string call_id = d.tool_id.empty() ? "call_" + id.substr(3) : d.tool_id;
        out += openItem({true, std::move(id), "", std::move(call_id), d.tool_name});
        open_tool_ = d.tool_index;
      }
      auto& item = items_.back();
      if (!d.arguments_fragment.empty()) {
        item.text += d.arguments_fragment;
        out += event("response.function_call_arguments.delta",
                     {{"item_id", item.id}, {"output_index", items_.size() - 1}, {"delta", d.arguments_fragment}});
      }
    }
    return out;
  }

  std::string finish(const llm::ChatResponse& response) override {
    std::string out = start();
    out += closeItem();
    // Nothing streamed (an empty answer, or one that came whole): its items now.
    if (items_.empty()) {
      for (auto& item : itemsOf(head_.id, response.message)) {
        out += openItem(std::move(item));
        out += closeItem();
      }
    }
    auto status = statusOf(response.finish_reason);
    out += event(status == "completed" ? "response.completed" : "response.incomplete",
                 {{"response", head_.object(status, output("completed"), usageJson(response.usage),
                                            incompleteDetails(response.finish_reason))}});
    return out;
  }

  std::string error(const GatewayFailure& failure) override {
    std::string out = start();
    bj::object error{{"code", failure.code.empty() ? "server_error" : failure.code}, {"message", failure.message}};
    out += event("response.failed",
                 {{"response", head_.object("failed", output("incomplete"), nullptr, nullptr, std::move(error))}});
    return out;
  }

 private:
  std::string event(std::string_view type, bj::object data) {
    bj::object full{{"type", type}, {"sequence_number", sequence_++}};
    for (auto& [k, v] : data) full.emplace(k, std::move(v));
    std::string out = "event: ";
    out += type;
    out += "\ndata: ";
    out += bj::serialize(full);
    out += "\n\n";
    return out;
  }

  std::string start() {
    if (started_) return {};
    started_ = true;
    auto response = head_.object("in_progress", bj::array{}, nullptr);
    std::string out = event("response.created", {{"response", response}});
    out += event("response.in_progress", {{"response", std::move(response)}});
    return out;
  }

  std::string openItem(OutputItem item) {
    items_.push_back(std::move(item));
    open_ = true;
    const auto& it = items_.back();
    const auto index = items_.size() - 1;
    std::string out = event("response.output_item.added", {{"output_index", index}, {"item", it.json("in_progress")}});
    if (!it.function) {
      bj::object part{{"type", "output_text"}, {"text", ""}, {"annotations", bj::array{}}, {"logprobs", bj::array{}}};
      out += event("response.content_part.added",
                   {{"item_id", it.id}, {"output_index", index}, {"content_index", 0}, {"part", std::move(part)}});
    }
    return out;
  }

  std::string closeItem() {
    if (!open_) return {};
    open_ = false;
    const auto& it = items_.back();
    const auto index = items_.size() - 1;
    std::string out;
    if (it.function) {
      out += event("response.function_call_arguments.done",
                   {{"item_id", it.id}, {"output_index", index}, {"name", it.name}, {"arguments", it.text}});
    } else {
      out += event("response.output_text.done", {{"item_id", it.id},
                                                 {"output_index", index},
                                                 {"content_index", 0},
                                                 {"text", it.text},
                                                 {"logprobs", bj::array{}}});
      out += event("response.content_part.done",
                   {{"item_id", it.id}, {"output_index", index}, {"content_index", 0}, {"part", it.textPart()}});
    }
    out += event("response.output_item.done", {{"output_index", index}, {"item", it.json("completed")}});
    return out;
  }

  bj::array output(std::string_view status) const {
    bj::array out;
    for (const auto& item : items_) out.push_back(item.json(status));
    return out;
  }

  ResponseHead head_;
  std::vector<OutputItem> items_;
  bool started_ = false;
  bool open_ = false;  // the last item is still streaming
  int open_tool_ = -1;
  std::int64_t sequence_ = 0;
};

}  // namespace

Result<ParsedCall> ResponsesDialect::parseRequest(std::string_view body) const {
  boost::system::error_code ec;
  bj::value parsed = bj::parse(body, ec);
  if (ec || !parsed.is_object()) return badRequest("the request body must be a JSON object");
  const auto& o = parsed.as_object();
  ParsedCall call;
  call.request.model = lj::str(o, "model");
  if (call.request.model.empty()) return badRequest("model is required", "model");
  const auto* input = o.if_contains("input");
  if (!input || input->is_null()) return badRequest("input is required", "input");
  if (input->is_string()) {
    call.request.messages.push_back(llm::Message::user(std::string(input->as_string())));
  } else if (input->is_array()) {
    InputParser items(call.request.messages, call.item_references);
    for (const auto& v : input->as_array()) {
      if (auto st = items.item(v); !st.ok()) return st.error();
    }
  } else {
    return badRequest("input must be a string or an array of input items", "input");
  }
  if (const auto* v = o.if_contains("instructions"); v && !v->is_null()) {
    if (!v->is_string()) return badRequest("instructions must be a string", "instructions");
    call.instructions = std::string(v->as_string());
  }
  if (const auto* v = o.if_contains("previous_response_id"); v && !v->is_null()) {
    if (!v->is_string() || v->as_string().empty())
      return badRequest("previous_response_id must be a response id", "previous_response_id");
    call.previous_response_id = std::string(v->as_string());
  }
  if (call.request.messages.empty() && call.item_references.empty() && call.previous_response_id.empty())
    return badRequest("input must hold at least one item", "input");
  for (auto* step : {parseTools, parseTextFormat, parseSampling}) {
    if (auto st = step(o, call.request); !st.ok()) return st.error();
  }
  if (const auto* s = o.if_contains("stream"); s && s->is_bool()) call.stream = s->as_bool();
  const auto* store = o.if_contains("store");
  call.store = !store || !store->is_bool() || store->as_bool();
  call.include_usage = true;
  call.response_id = itemId("resp_");
  call.echo = std::make_shared<const bj::object>(echoOf(o));
  return call;
}

std::string ResponsesDialect::renderResponse(const llm::ChatResponse& response, const ParsedCall& call,
                                             core::Millis now) const {
  ResponseHead head(call, now);
  bj::array output;
  for (const auto& item : itemsOf(head.id, response.message)) output.push_back(item.json("completed"));
  return bj::serialize(head.object(statusOf(response.finish_reason), std::move(output), usageJson(response.usage),
                                   incompleteDetails(response.finish_reason)));
}

std::vector<std::pair<std::string, llm::Message>> responseOutputItems(const std::string& response_id,
                                                                      const llm::Message& answer) {
  std::vector<std::pair<std::string, llm::Message>> out;
  for (auto& item : itemsOf(response_id, answer)) {
    llm::Message m = llm::Message::assistant(item.function ? "" : item.text);
    if (item.function) m.tool_calls.push_back({item.call_id, item.name, item.text});
    out.emplace_back(std::move(item.id), std::move(m));
  }
  return out;
}

std::unique_ptr<StreamRenderer> ResponsesDialect::streamRenderer(const ParsedCall& call, core::Millis now) const {
  return std::make_unique<ResponsesStreamRenderer>(call, now);
}

std::string ResponsesDialect::renderError(const GatewayFailure& failure) const {
  static const OpenAiDialect openai;
  return openai.renderError(failure);
}

}  // namespace codecrew::gateway
