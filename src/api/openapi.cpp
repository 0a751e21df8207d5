#include "api/openapi.h"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <string_view>
#include <vector>

namespace codecrew::api {
namespace json = boost::json;
namespace {

json::object schema(std::string_view text) { return json::parse(text).as_object(); }

struct Param {
  std::string name;
  std::string type;  // int, str, rest
};

std::vector<Param> pathParams(const std::string& pattern) {
  std::vector<Param> out;
  for (size_t i = pattern.find('{'); i != std::string::npos; i = pattern.find('{', i + 1)) {
    auto end = pattern.find('}', i);
    std::string inner = pattern.substr(i + 1, end - i - 1);
    auto colon = inner.find(':');
    out.push_back({inner.substr(0, colon), colon == std::string::npos ? "str" : inner.substr(colon + 1)});
  }
  return out;
}

json::array queryParams(const std::string& method, const std::string& pattern) {
  auto q = [](const char* name, const char* type, const char* desc) {
    return json::object{{"name", name},
                        {"in", "query"},
                        {"required", false},
                        {"description", desc},
                        {"schema", json::object{{"type", type}}}};
  };
  json::array out;
  bool paged = method == "GET" &&
               (pattern == "/workflows" || pattern.ends_with("/executions") || pattern.ends_with("/llm-calls") ||
                pattern.ends_with("/artifacts") || pattern.ends_with("/diffs") || pattern.ends_with("/checks"));
  if (paged) {
    out.push_back(q("page", "integer", "1-based page number (default 1)"));
    out.push_back(q("page_size", "integer", "items per page, 1 to 200 (default 20)"));
  }
  if (pattern == "/workflows" && method == "GET") out.push_back(q("status", "string", "filter by status"));
  if (pattern.ends_with("/compare") && pattern.find("executions") == std::string::npos)
    out.push_back(q("with", "integer", "the other workflow's id (required)"));
  if (pattern.ends_with("/llm-calls")) {
    out.push_back(q("sort_by", "string", "timestamp|model|total_tokens|response_time_ms|cost|id"));
    out.push_back(q("sort_dir", "string", "asc|desc (default desc)"));
    out.push_back(q("model", "string", "exact model name"));
    out.push_back(q("q", "string", "substring of model, status, error code or request/response data"));
    out.push_back(q("date_from", "string", "ISO-8601 date or date-time, inclusive"));
    out.push_back(q("date_to", "string", "ISO-8601 date or date-time, inclusive"));
  }
  if (pattern == "/workflows/{id:int}/llm-calls") {
    out.push_back(q("execution_id", "integer", "only this execution's"));
    out.push_back(q("agent", "string", "only the calls of this agent (its conversation's agent)"));
  }
  if (pattern.ends_with("/artifacts")) out.push_back(q("kind", "string", "artifact kind"));
  if (pattern.ends_with("/diffs")) out.push_back(q("path", "string", "file path"));
  if (pattern.ends_with("/artifacts") || pattern.ends_with("/diffs"))
    out.push_back(q("execution_id", "integer", "only this execution's"));
  return out;
}

json::object errorResponse(const char* description, std::string_view schema_name = "Error") {
  return {{"description", description},
          {"content",
           {{"application/json", {{"schema", {{"$ref", "#/components/schemas/" + std::string(schema_name)}}}}}}}};
}

// The error shape of a path: the gateway's dialects under /v1, else codecrew's.
std::string_view errorSchemaOf(const std::string& pattern) {
  if (pattern == "/v1/messages" || pattern.starts_with("/v1/messages/")) return "AnthropicError";
  if (pattern == "/v1" || pattern.starts_with("/v1/")) return "OpenAiError";
  return "Error";
}

// The gateway's dialect routes: their request bodies and success bodies (the
// dialects' own shapes, abridged to what codecrew reads and writes).
struct DialectDoc {
  const char* request;  // a JSON Schema, or null
  const char* success;  // a JSON Schema of the 200 body
  const char* stream;   // the text/event-stream answer with stream: true, or null
};

const std::map<std::string, DialectDoc>& dialectDocs() {
  static const std::map<std::string, DialectDoc> kDocs = {
      {"POST /v1/responses",
       {R"J({"type": "object", "required": ["model"], "properties": {
          "model": {"type": "string", "description": "a configured or discovered model, an alias, or crew/<template>"},
          "input": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "object",
            "description": "a message {role, content: string or input_text/input_image/output_text parts}, a function_call {call_id, name, arguments} or a function_call_output {call_id, output}"}}]},
          "instructions": {"type": "string", "description": "a system message for this call only"},
          "previous_response_id": {"type": "string", "description": "continue the conversation kept under this id (same tenant)"},
          "tools": {"type": "array", "items": {"type": "object", "required": ["type", "name"], "properties": {
            "type": {"const": "function"}, "name": {"type": "string"}, "description": {"type": "string"},
            "parameters": {"type": "object"}, "strict": {"type": "boolean"}}}},
          "tool_choice": {"oneOf": [{"enum": ["auto", "none", "required"]}, {"type": "object", "properties": {
            "type": {"const": "function"}, "name": {"type": "string"}}}]},
          "text": {"type": "object", "properties": {"format": {"type": "object", "properties": {
            "type": {"enum": ["text", "json_object", "json_schema"]}, "name": {"type": "string"},
            "schema": {"type": "object"}, "strict": {"type": "boolean"}}}}},
          "max_output_tokens": {"type": "integer", "minimum": 1},
          "temperature": {"type": "number"},
          "stream": {"type": "boolean"},
          "store": {"type": "boolean", "default": true, "description": "keep the conversation for previous_response_id"},
          "metadata": {"type": "object"}}})J",
        R"J({"type": "object", "required": ["id", "object", "status", "model", "output", "usage"], "properties": {
          "id": {"type": "string"}, "object": {"const": "response"}, "created_at": {"type": "integer"},
          "status": {"enum": ["completed", "incomplete", "failed", "in_progress"]},
          "model": {"type": "string"}, "previous_response_id": {"type": ["string", "null"]},
          "incomplete_details": {"type": ["object", "null"]},
          "output": {"type": "array", "items": {"type": "object", "description": "a message {id, role, content: [{type: output_text, text}]} or a function_call {id, call_id, name, arguments}"}},
          "usage": {"type": "object", "properties": {"input_tokens": {"type": "integer"},
            "output_tokens": {"type": "integer"}, "total_tokens": {"type": "integer"}}}}})J",
        "events `response.created`, `response.in_progress`, `response.output_item.added`, "
        "`response.content_part.added`, `response.output_text.delta`, `response.output_text.done`, "
        "`response.function_call_arguments.delta`, `response.function_call_arguments.done`, "
        "`response.content_part.done`, `response.output_item.done`, then `response.completed` "
        "(`response.incomplete`, `response.failed`), each `{type, sequence_number, ...}`"}},
      {"POST /v1/messages/count_tokens",
       {R"J({"type": "object", "required": ["model", "messages"], "properties": {
          "model": {"type": "string"}, "system": {}, "messages": {"type": "array", "items": {"type": "object"}},
          "tools": {"type": "array", "items": {"type": "object"}}}})J",
        R"J({"type": "object", "required": ["input_tokens"], "properties": {"input_tokens": {"type": "integer"}}})J",
        nullptr}},
      {"GET /v1/models",
       {nullptr,
        R"J({"type": "object", "required": ["object", "data"], "properties": {
          "object": {"const": "list"}, "has_more": {"type": "boolean"},
          "first_id": {"type": ["string", "null"]}, "last_id": {"type": ["string", "null"]},
          "data": {"type": "array", "items": {"type": "object", "required": ["id", "object"], "properties": {
            "id": {"type": "string"}, "object": {"const": "model"}, "owned_by": {"type": "string"},
            "display_name": {"type": "string"}}}}}})J",
        nullptr}},
  };
  return kDocs;
}

}  // namespace

std::string openApiPath(const std::string& pattern) {
  std::string out;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '{') {
      auto end = pattern.find('}', i);
      std::string inner = pattern.substr(i + 1, end - i - 1);
      out += "{" + inner.substr(0, inner.find(':')) + "}";
      i = end;
    } else {
      out += pattern[i];
    }
  }
  return out;
}

const std::map<std::string, json::object>& requestBodySchemas() {
  static const std::map<std::string, json::object> kSchemas = {
      {"POST /workflows", schema(R"({
        "type": "object", "additionalProperties": false, "required": ["name"],
        "properties": {
          "name": {"type": "string", "minLength": 1, "maxLength": 200},
          "description": {"type": "string", "maxLength": 100000, "description": "the goal"},
          "jira_story_id": {"type": "string", "minLength": 1, "maxLength": 64},
          "repository_url": {"type": "string", "maxLength": 2048},
          "crew": {"type": "string", "minLength": 1, "maxLength": 64, "default": "sdlc"},
          "project_id": {"type": "integer", "minimum": 1},
          "inputs": {"type": "object", "additionalProperties": {"type": "string"},
                     "description": "a CrewAI crew's inputs: each fills its {name} placeholders"}}})")},
      {"POST /workflows/{id:int}/executions/start", schema(R"({
        "type": "object", "additionalProperties": false,
        "properties": {"meta": {"type": "object", "description": "config flags recorded on the execution"},
                       "inputs": {"type": "object", "additionalProperties": {"type": "string"},
                                  "description": "a CrewAI crew's inputs, over the workflow's: each fills its {name} placeholders"}}})")},
      {"POST /workflows/{id:int}/execute", schema(R"({
        "type": "object", "additionalProperties": false,
        "properties": {"meta": {"type": "object"},
                       "inputs": {"type": "object", "additionalProperties": {"type": "string"},
                                  "description": "a CrewAI crew's inputs, over the workflow's: each fills its {name} placeholders"}}})")},
      {"POST /generate", schema(R"({
        "type": "object", "additionalProperties": false, "required": ["request"],
        "properties": {
          "request": {"type": "string", "minLength": 1, "maxLength": 20000, "description": "what to generate"},
          "language": {"type": "string", "minLength": 1, "maxLength": 100}}})")},
      {"POST /sessions", schema(R"({
        "type": "object", "additionalProperties": false,
        "properties": {
          "name": {"type": "string", "maxLength": 200},
          "files": {"type": "object", "additionalProperties": {"type": "string"},
                    "description": "relative path -> text content"}}})")},
      {"POST /sessions/{id:int}/update", schema(R"({
        "type": "object", "additionalProperties": false, "required": ["requirement"],
        "properties": {"requirement": {"type": "string", "minLength": 1, "maxLength": 20000}}})")},
  };
  return kSchemas;
}

json::object buildOpenApi(const http::Router& router, const std::string& version) {
  json::object paths;
  const auto& bodies = requestBodySchemas();
  for (const auto& r : router.routes()) {
    std::string path = openApiPath(r.pattern);
    json::object op;
    op["summary"] = r.options.summary;
    if (!r.options.tag.empty()) op["tags"] = json::array{json::value(r.options.tag)};
    std::string opId = r.method + r.pattern;
    std::string cleaned;
    for (char c : opId) cleaned += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
    op["operationId"] = cleaned;
    json::array params;
    for (const auto& p : pathParams(r.pattern)) {
      params.push_back(json::object{{"name", p.name},
                                    {"in", "path"},
                                    {"required", true},
                                    {"schema", p.type == "int" ? json::object{{"type", "integer"}, {"minimum", 1}}
                                                               : json::object{{"type", "string"}}}});
    }
    for (auto& q : queryParams(r.method, r.pattern)) params.push_back(q);
    if (r.method == "POST" && r.pattern.find("executions/start") != std::string::npos) {
      params.push_back(json::object{{"name", "Idempotency-Key"},
                                    {"in", "header"},
                                    {"required", false},
                                    {"description", "the same key returns the same execution"},
                                    {"schema", json::object{{"type", "string"}, {"maxLength", 200}}}});
    }
    if (r.pattern.starts_with("/events/") || r.pattern.starts_with("/ws/")) {
      params.push_back(json::object{{"name", "Last-Event-ID"},
                                    {"in", "header"},
                                    {"required", false},
                                    {"description", "resume after this event id (seq): no gap, no duplicate"},
                                    {"schema", json::object{{"type", "integer"}, {"minimum", 0}}}});
      params.push_back(json::object{{"name", "last_event_id"},
                                    {"in", "query"},
                                    {"required", false},
                                    {"description", "the same, for clients that cannot set headers"},
                                    {"schema", json::object{{"type", "integer"}, {"minimum", 0}}}});
      params.push_back(json::object{
          {"name", "ticket"},
          {"in", "query"},
          {"required", false},
          {"description",
           "instead of Authorization: a ticket from POST /workflows/{id}/stream-tickets (single use, 60 s, this "
           "workflow only), for browsers' EventSource and WebSocket"},
          {"schema", json::object{{"type", "string"}}}});
    }
    if (!params.empty()) op["parameters"] = std::move(params);
    auto body = bodies.find(r.method + " " + r.pattern);
    if (body != bodies.end()) {
      op["requestBody"] = json::object{{"required", r.pattern == "/workflows"},
                                       {"content", {{"application/json", {{"schema", body->second}}}}}};
    }
    const auto error_schema = errorSchemaOf(r.pattern);
    json::object responses{{"200", {{"description", "OK"}}},
                           {"400", errorResponse("invalid input", error_schema)},
                           {"404", errorResponse("not found", error_schema)}};
    if (auto doc = dialectDocs().find(r.method + " " + r.pattern); doc != dialectDocs().end()) {
      if (doc->second.request)
        op["requestBody"] = json::object{{"required", true},
                                         {"content",
                                          {{"application/json", {{"schema", schema(doc->second.request)}}}}}};
      json::object content{{"application/json", {{"schema", schema(doc->second.success)}}}};
      if (doc->second.stream)
        content["text/event-stream"] = json::object{
            {"schema", json::object{{"type", "string"}, {"description", doc->second.stream}}}};
      responses["200"] = json::object{{"description", "OK"}, {"content", std::move(content)}};
    }
    if (r.options.auth_required) {
      responses["401"] = errorResponse("missing, invalid or revoked API key", error_schema);
      op["security"] = json::array{json::object{{"bearerAuth", json::array()}}};
      if (r.method != "GET") responses["403"] = errorResponse("viewer keys cannot make changes", error_schema);
    } else {
      op["security"] = json::array();
    }
    if (r.pattern.starts_with("/events/")) {
      responses["200"] =
          json::object{{"description",
                        "text/event-stream: `id: <seq>`, `event: <type>`, `data: {seq, type, workflow_id, "
                        "execution_id, data, created_at, live}`; `: heartbeat` comments"},
                       {"content", {{"text/event-stream", {{"schema", {{"type", "string"}}}}}}}};
    }
    if (r.pattern.ends_with("/stream-tickets")) {
      responses.erase("200");
      responses["201"] = json::object{
          {"description",
           "{ticket, expires_in (seconds), workflow_id}: open one stream of the workflow with ?ticket=<ticket> "
           "before it expires; it acts as this key and closes when the key is revoked"}};
      responses["429"] = errorResponse("too many unused tickets for this key");
    }
    if (r.pattern.starts_with("/events/") || r.websocket_handler) {
      responses["401"] = errorResponse(
          "missing, invalid or revoked API key, or an invalid, used or expired ticket; an open stream whose key is "
          "revoked ends (SSE: a final `event: error` with this error body; WebSocket: close code 1008)");
    }
    if (r.websocket_handler) {
      responses.erase("200");
      responses["101"] = json::object{
          {"description",
           "WebSocket: messages {type: event, id, event} and {type: ack, id, command, ok, result|error}; "
           "commands {type: approve|reject|request_changes, approval_id, comment} and "
           "{type: cancel, execution_id}, each with an optional string id"}};
      responses["426"] = errorResponse("not a WebSocket upgrade request");
    }
    op["responses"] = std::move(responses);
    std::string method = r.method;
    std::transform(method.begin(), method.end(), method.begin(), ::tolower);
    auto& entry = paths[path];
    if (!entry.is_object()) entry.emplace_object();
    entry.as_object()[method] = std::move(op);
  }
  json::object doc{{"openapi", "3.1.0"},
                   {"info",
                    {{"title", "codecrew API"},
                     {"version", version},
                     {"description", "Self-hosted multi-agent software-engineering backend."}}},
                   {"paths", std::move(paths)},
                   {"components",
                    {{"securitySchemes", {{"bearerAuth", {{"type", "http"}, {"scheme", "bearer"}}}}},
                     {"schemas",
                      {{"Error", schema(R"({"type": "object", "required": ["error"], "properties": {"error": {
            "type": "object", "required": ["code", "message"], "properties": {
              "code": {"type": "string"}, "message": {"type": "string"}, "details": {}}}}})")},
                       {"OpenAiError", schema(R"({"type": "object", "required": ["error"], "properties": {"error": {
            "type": "object", "required": ["message", "type"], "properties": {
              "message": {"type": "string"}, "type": {"type": "string"},
              "param": {"type": ["string", "null"]}, "code": {"type": ["string", "null"]}}}}})")},
                       {"AnthropicError", schema(R"({"type": "object", "required": ["type", "error"], "properties": {
            "type": {"const": "error"}, "error": {"type": "object", "required": ["type", "message"], "properties": {
              "type": {"type": "string"}, "message": {"type": "string"}}}}})")}}}}}};
  return doc;
}

}  // namespace codecrew::api
