#include "api/openapi.h"

#include "api/schemas.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <string_view>
#include <vector>

namespace codecrew::api {
namespace json = boost::json;
namespace {

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

json::object content(const std::string& type, json::object schema) {
  return {{type, json::object{{"schema", std::move(schema)}}}};
}

json::object errorResponse(const char* description, std::string_view schema_name) {
  return {{"description", description}, {"content", content("application/json", schemaRef(schema_name))}};
}

// The error shape of a path: the gateway's dialects under /v1 (as
// http::Router::shapeErrorsUnder answers there), else codecrew's.
std::string_view errorSchemaOf(const std::string& pattern) {
  if (pattern == "/v1/messages" || pattern.starts_with("/v1/messages/")) return "AnthropicError";
  if (pattern == "/v1" || pattern.starts_with("/v1/")) return "OpenAiError";
  return "Error";
}

const char* statusText(int status) {
  switch (status) {
    case 101: return "Switching Protocols";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    default: return "OK";
  }
}

json::array parameters(const http::Route& r) {
  json::array params;
  for (const auto& p : pathParams(r.pattern)) {
    params.push_back(json::object{{"name", p.name},
                                  {"in", "path"},
                                  {"required", true},
                                  {"schema", p.type == "int" ? json::object{{"type", "integer"}, {"minimum", 1}}
                                                             : json::object{{"type", "string"}}}});
  }
  for (const auto& h : r.options.doc.headers) {
    params.push_back(json::object{{"name", h.name},
                                  {"in", "header"},
                                  {"required", h.required},
                                  {"description", h.description},
                                  {"schema", json::object{{"type", h.type}}}});
  }
  for (const auto& q : r.options.doc.query) {
    params.push_back(json::object{{"name", q.name},
                                  {"in", "query"},
                                  {"required", q.required},
                                  {"description", q.description},
                                  {"schema", json::object{{"type", q.type}}}});
  }
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
  }
  return params;
}

// The success answer of a route, from its RouteDoc.
json::object successResponse(const http::Route& r) {
  const auto& doc = r.options.doc;
  json::object out{{"description", statusText(doc.status)}};
  if (r.websocket_handler) {
    out["description"] =
        "WebSocket: messages {type: event, id, event} and {type: ack, id, command, ok, result|error}; "
        "commands {type: approve|reject|request_changes, approval_id, comment} and "
        "{type: cancel, execution_id}, each with an optional string id";
    return out;
  }
  json::object body;
  if (!doc.response.empty()) {
    body = content(doc.content_type.empty() ? "application/json" : doc.content_type, schemaRef(doc.response));
  } else if (doc.content_type == "text/event-stream") {
    out["description"] =
        "text/event-stream: `id: <seq>`, `event: <type>`, `data: {seq, type, workflow_id, execution_id, data, "
        "created_at, live}`; `: heartbeat` comments";
    body = content(doc.content_type, json::object{{"type", "string"}});
  } else if (doc.content_type == "application/octet-stream") {
    body = content(doc.content_type, json::object{{"type", "string"}, {"format", "binary"}});
  } else if (!doc.content_type.empty() && doc.content_type != "application/json") {
    body = content(doc.content_type, json::object{{"type", "string"}});
  }
  if (doc.streams)
    body["text/event-stream"] = json::object{
        {"schema", json::object{{"type", "string"},
                                {"description", "the dialect's Server-Sent Events, when the request sets stream"}}}};
  if (!body.empty()) out["content"] = std::move(body);
  return out;
}

json::object responses(const http::Route& r) {
  const auto& doc = r.options.doc;
  const auto error = errorSchemaOf(r.pattern);
  const bool live = r.websocket_handler || r.pattern.starts_with("/events/");
  json::object out;
  json::object success = successResponse(r);
  if (doc.also_200 && doc.status != 200) {
    json::object again = success;
    again["description"] = "OK: an existing one (idempotent repeat)";
    out["200"] = std::move(again);
  }
  if (doc.also_503) {
    json::object unavailable = success;
    unavailable["description"] = "Service Unavailable: the same body, saying what is not ready";
    out["503"] = std::move(unavailable);
  }
  out[std::to_string(doc.status)] = std::move(success);
  out["400"] = errorResponse("invalid input", error);
  out["404"] = errorResponse("not found", error);
  if (r.options.auth_required) {
    out["401"] = errorResponse(live ? "missing, invalid or revoked API key, or an invalid, used or expired ticket; an "
                                      "open stream whose key is revoked ends (SSE: a final `event: error` with this "
                                      "error body; WebSocket: close code 1008)"
                                    : "missing, invalid or revoked API key",
                               error);
    if (r.method != "GET") out["403"] = errorResponse("viewer keys cannot make changes", error);
  }
  if (doc.rate_limited)
    out["429"] = errorResponse(error == "Error" ? "this key's REST rate limit (server.rest_rate_per_minute) or a "
                                                  "limit of the route is reached; Retry-After says when to retry"
                                                : "a rate limit or budget of the key, or the upstream's, is reached",
                               error);
  if (r.websocket_handler) out["426"] = errorResponse("not a WebSocket upgrade request", "Error");
  for (const auto& [status, description] : doc.errors)
    out[std::to_string(status)] = errorResponse(description.c_str(), error);
  for (const auto& other : doc.other_answers)
    out[std::to_string(other.status)] = json::object{{"description", other.description},
                                                     {"content", content("application/json", schemaRef(other.schema))}};
  return out;
}

json::value requestBody(const http::Route& r) {
  const auto& doc = r.options.doc;
  if (!doc.request.empty())
    return json::object{{"required", doc.request_required},
                        {"content", content("application/json", schemaRef(doc.request))}};
  if (!r.options.json_body && (r.method == "PUT" || r.method == "POST"))
    return json::object{{"required", true}, {"content", content("text/plain", json::object{{"type", "string"}})}};
  return nullptr;
}

// The names of the components `v` refers to ($ref), recursively through them.
void addReferenced(const json::value& v, std::set<std::string>& names) {
  if (v.is_array()) {
    for (const auto& item : v.as_array()) addReferenced(item, names);
    return;
  }
  if (!v.is_object()) return;
  for (const auto& [key, child] : v.as_object()) {
    constexpr std::string_view kPrefix = "#/components/schemas/";
    if (key == "$ref" && child.is_string() && std::string_view(child.as_string()).starts_with(kPrefix)) {
      std::string name(std::string_view(child.as_string()).substr(kPrefix.size()));
      if (names.insert(name).second && schemaComponents().contains(name))
        addReferenced(schemaComponents().at(name), names);
    } else {
      addReferenced(child, names);
    }
  }
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

std::string operationId(const http::Route& route) {
  if (!route.options.doc.operation_id.empty()) return route.options.doc.operation_id;
  std::string out;
  for (char c : route.method) out += char(std::tolower(static_cast<unsigned char>(c)));
  bool upper = true;
  for (const auto& seg : route.segments) {
    if (seg.kind != http::PatternSegment::Kind::kLiteral) continue;
    upper = true;
    for (char c : seg.text) {
      if (!std::isalnum(static_cast<unsigned char>(c))) {
        upper = true;
        continue;
      }
      out += upper ? char(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    }
  }
  return out;
}

json::object buildOpenApi(const http::Router& router, const std::string& version) {
  json::object paths;
  for (const auto& r : router.routes()) {
    json::object op;
    op["summary"] = r.options.summary;
    if (!r.options.tag.empty()) op["tags"] = json::array{json::value(r.options.tag)};
    op["operationId"] = operationId(r);
    if (auto params = parameters(r); !params.empty()) op["parameters"] = std::move(params);
    if (auto body = requestBody(r); !body.is_null()) op["requestBody"] = std::move(body);
    op["responses"] = responses(r);
    op["security"] = r.options.auth_required ? json::array{json::object{{"bearerAuth", json::array()}}} : json::array();
    std::string method = r.method;
    std::transform(method.begin(), method.end(), method.begin(), ::tolower);
    auto& entry = paths[openApiPath(r.pattern)];
    if (!entry.is_object()) entry.emplace_object();
    entry.as_object()[method] = std::move(op);
  }
  // The components the operations use (a schema that is only the base of
  // others, e.g. Conversation, is copied into them and not listed).
  std::set<std::string> used;
  addReferenced(paths, used);
  json::object schemas;
  for (const auto& [name, schema] : schemaComponents().all())
    if (used.count(name)) schemas[name] = schema;
  return {{"openapi", "3.1.0"},
          {"info",
           {{"title", "codecrew API"},
            {"version", version},
            {"description", "Self-hosted multi-agent software-engineering backend."},
            {"license", {{"name", "Apache-2.0"}, {"identifier", "Apache-2.0"}}}}},
          {"servers", json::array{json::object{{"url", "/"}, {"description", "this server"}}}},
          {"paths", std::move(paths)},
          {"components",
           {{"securitySchemes", {{"bearerAuth", {{"type", "http"}, {"scheme", "bearer"}}}}},
            {"schemas", std::move(schemas)}}}};
}

}  // namespace codecrew::api
