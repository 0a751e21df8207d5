// Router: maps (method, path pattern) to handlers. Patterns are literal
// segments and typed parameters: "/workflows/{id:int}/executions/{eid:int}",
// "/sessions/{sid}/files/{path:rest}". Types: int (a positive decimal id),
// str (one segment, the default), rest (the remainder of the path).
//
// Matching gives, in order: the handler of the route whose pattern and method
// match; 404 naming the parameter when the path matches a pattern of that
// method except for an int parameter ("'abc' is not a valid workflow id: ids
// are positive integers", the noun taken from a plural literal before the
// parameter, else the parameter's name); 405 with an Allow header when the path matches
// patterns of other methods only; the int-parameter 404 of another method's
// pattern; otherwise 404 "no route for GET /x". When several patterns
// match, the most specific wins, segment by segment: a literal beats an int
// parameter, which beats a str parameter, which beats a rest parameter.
// Paths are given still percent-encoded (without the query): the router
// splits on '/' first and then decodes each segment, so "%2F" inside a
// segment never splits it; a rest parameter is the decoded remainder.
// Thread-safety: add routes before the server starts; match() is then
// read-only and safe from any thread.
#pragma once

#include "http/request.h"
#include "http/response.h"
#include "http/websocket.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace codecrew::http {

class ResponseStream;

// A plain handler: runs on the blocking pool and returns a whole response.
using Handler = std::function<Response(Request&)>;

// A streaming handler: runs on the blocking pool (on the connection's I/O
// thread when its route runs_inline), calls begin() on the stream
// and may keep the stream to write chunks later from any thread (SSE,
// streamed completions) until it calls end() or the client goes away. No
// thread is held while the stream is open.
using StreamHandler = std::function<void(Request&, std::shared_ptr<ResponseStream>)>;

// A query parameter as the OpenAPI document shows it.
struct QueryParamDoc {
  std::string name;
  std::string type;  // a JSON Schema type: "integer", "string", "boolean"
  std::string description;
  bool required = false;
};

// An answer a route gives with a body of its own instead of the house error
// of that status (seed-compatible routes), for the OpenAPI document.
struct AnswerDoc {
  int status = 500;
  std::string schema;  // a schema component
  std::string description;
};

// What the OpenAPI document says of a route beyond its pattern. Schemas are
// named: components of the document (api/schemas.h lists them), so the
// document refers to the same definition the renderer is checked against.
struct RouteDoc {
  std::string operation_id;  // camelCase and unique, e.g. "listWorkflows"
  std::string request;       // the JSON request body's schema component; empty: no JSON body
  bool request_required = true;
  std::string response;   // the success body's schema component; empty: none (or a non-JSON type)
  int status = 200;       // the success status
  bool also_200 = false;  // also answers 200 with the same body (an idempotent repeat)
  bool streams = false;   // also answers text/event-stream when the request asks to stream
  std::string content_type = "application/json";  // of the success body
  std::vector<QueryParamDoc> query;
  bool rate_limited = false;           // answers 429 past a per-key rate limit or budget
  bool also_503 = false;               // also answers 503 with the success body's schema (not ready)
  std::vector<QueryParamDoc> headers;  // request headers the route reads (documented as header parameters)
  // Error answers beyond the ones every route gets (status, what it means),
  // in the path's error shape: e.g. a public route's own 401.
  std::vector<std::pair<int, std::string>> errors;
  std::vector<AnswerDoc> other_answers;  // replace the document's house error of their status
};

struct RouteOptions {
  bool json_body = true;      // POST/PUT/PATCH bodies must be application/json (else 415)
  std::string summary;        // for the OpenAPI document
  std::string tag;            // for the OpenAPI document
  bool auth_required = true;  // informational, for the OpenAPI document
  // Stream handlers only. When set and true for a request, the handler does
  // not block on it (no store writes, file or process waits; it may start
  // coroutines and return) and runs on the connection's I/O thread, sparing
  // the hop to the blocking pool and back. Null or false: the blocking pool.
  std::function<bool(const Request&)> runs_inline;
  RouteDoc doc;  // for the OpenAPI document
};

// One segment of a parsed pattern: a literal, or a typed parameter.
struct PatternSegment {
  enum class Kind { kLiteral, kInt, kStr, kRest };
  Kind kind = Kind::kLiteral;
  std::string text;  // the literal, or the parameter's name
};

struct Route {
  std::string method;
  std::string pattern;
  RouteOptions options;
  Handler handler;  // exactly one of handler, stream_handler and websocket_handler is set
  StreamHandler stream_handler;
  std::vector<PatternSegment> segments;  // the parsed pattern, set by Router::add
  WebSocketHandler websocket_handler;    // a GET that upgrades (see http/websocket.h)
};

struct RouteMatch {
  const Route* route = nullptr;   // set when a route matched
  std::optional<Response> error;  // 404/405 when none did
  std::map<std::string, std::string> params;
};

class Router {
 public:
  // Registers a route. A malformed pattern (not starting with '/', an
  // unknown parameter type, a rest parameter that is not last, a duplicate
  // parameter name) or a duplicate (method, pattern) is a programmer error
  // and throws std::invalid_argument.
  void add(std::string method, std::string pattern, Handler handler, RouteOptions options = {});
  void addStream(std::string method, std::string pattern, StreamHandler handler, RouteOptions options = {});
  // A WebSocket endpoint: GET pattern with an Upgrade; a plain GET gets 426.
  void addWebSocket(std::string pattern, WebSocketHandler handler, RouteOptions options = {});
  // The route for (method, path) with its decoded parameters, or the 404/405
  // response to give (405 carries an Allow header). `path` is percent-encoded.
  // HEAD is GET without the body (RFC 9110 9.3.2): a path with no HEAD route
  // of its own gets its GET route when that answers whole (a Handler), and
  // the server sends that answer's head alone. A streamed or WebSocket GET
  // route is not run for a HEAD.
  RouteMatch match(std::string_view method, std::string_view path) const;
  // The methods of every route whose pattern matches the path, with HEAD
  // where a GET answers whole, sorted and unique (empty when none matches).
  std::vector<std::string> allowedMethods(std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

  // The router's own refusals (match()'s 404 and 405, a JSON route's 415)
  // for paths under `prefix` (e.g. "/v1/") are passed through `shaper`,
  // for an API that answers its errors in a shape of its own there. The
  // longest matching prefix wins.
  using ErrorShaper = std::function<Response(std::string_view path, Response refusal)>;
  void shapeErrorsUnder(std::string prefix, ErrorShaper shaper);
  // `refusal` as the shaper of `path` (percent-encoded) renders it, or as it is.
  Response shapeError(std::string_view path, Response refusal) const;

 private:
  void addRoute(Route route);
  RouteMatch matchMethod(std::string_view method, std::string_view path) const;

  std::vector<Route> routes_;
  // "METHOD /pattern" -> index in routes_, for patterns of literal segments
  // only: a path equal to one needs no scan (nothing can be more specific).
  std::unordered_map<std::string, std::size_t> literal_routes_;
  std::vector<std::pair<std::string, ErrorShaper>> shapers_;
};

// ResponseStream: the writing end of a streamed (chunked) response.
// Writes never block: chunks are queued to the connection and sent in order.
// Thread-safety: every method may be called from any thread.
class ResponseStream {
 public:
  virtual ~ResponseStream() = default;
  // Queues the status line and headers. Must come first, once.
  virtual void begin(int status, const std::string& content_type,
                     const std::vector<std::pair<std::string, std::string>>& headers = {}) = 0;
  // Queues one chunk (an empty one is ignored). Returns false (and drops the
  // chunk) if the client is gone, or if more than the buffer limit is queued
  // and unsent, in which case the connection is closed: a slow client never
  // slows the writer. Calling it before begin() is a programmer error
  // (std::logic_error).
  virtual bool write(std::string chunk) = 0;
  // Finishes the response (the terminating chunk); the connection may be
  // reused. Without begin() it sends an empty 200. Dropping the last
  // reference to the stream without end() ends it too (before begin(): a 500).
  virtual void end() = 0;
  // True once the client disconnected, the buffer overflowed or the server is stopping.
  virtual bool closed() const = 0;
  // Runs fn once when the stream closes for any reason (including end()), on
  // the server's blocking pool, never inside write()/end(). If already
  // closed, runs it at once on the calling thread.
  virtual void onClose(std::function<void()> fn) = 0;
  // Runs fn once if the stream closes before end() (the client went away,
  // the buffer overflowed, the server is stopping), on whichever thread sees
  // it close (an I/O thread, or the writer's own inside the write() that
  // overflowed), so fn must not block nor write; never after end().
  // If already closed that way, runs it at once on the calling thread.
  // Cheaper than onClose for work only a disconnect needs (cancelling).
  virtual void onDisconnect(std::function<void()> fn) = 0;
  // Bytes queued and not yet sent.
  virtual std::size_t bufferedBytes() const = 0;
};

}  // namespace codecrew::http
