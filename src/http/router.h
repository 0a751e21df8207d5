// Router: maps (method, path pattern) to handlers. Patterns are literal
// segments and typed parameters: "/workflows/{id:int}/executions/{eid:int}",
// "/sessions/{sid}/files/{path:rest}". Types: int (a positive decimal id),
// str (one segment, the default), rest (the remainder of the path).
//
// Matching gives, in order: the handler of the route whose pattern and method
// match; 404 naming the parameter when a path matches a pattern except for a
// typed parameter ("'abc' is not a valid id"); 405 with an Allow header when
// the path matches but the method does not; otherwise 404.
// Thread-safety: add routes before the server starts; match() is then
// read-only and safe from any thread.
#pragma once

#include "http/request.h"
#include "http/response.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace codecrew::http {

class ResponseStream;

// A plain handler: runs on the blocking pool and returns a whole response.
using Handler = std::function<Response(Request&)>;

// A streaming handler: runs on the blocking pool, calls begin() on the stream
// and may keep the stream to write chunks later from any thread (SSE,
// streamed completions) until it calls end() or the client goes away. No
// thread is held while the stream is open.
using StreamHandler = std::function<void(Request&, std::shared_ptr<ResponseStream>)>;

struct RouteOptions {
  bool json_body = true;       // POST/PUT/PATCH bodies must be application/json (else 415)
  std::string summary;         // for the OpenAPI document
  std::string tag;             // for the OpenAPI document
  bool auth_required = true;   // informational, for the OpenAPI document
};

struct Route {
  std::string method;
  std::string pattern;
  RouteOptions options;
  Handler handler;               // exactly one of handler and stream_handler is set
  StreamHandler stream_handler;
};

struct RouteMatch {
  const Route* route = nullptr;             // set when a route matched
  std::optional<Response> error;            // 404/405 when none did
  std::map<std::string, std::string> params;
};

class Router {
 public:
  void add(std::string method, std::string pattern, Handler handler, RouteOptions options = {});
  void addStream(std::string method, std::string pattern, StreamHandler handler, RouteOptions options = {});
  RouteMatch match(std::string_view method, std::string_view path) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
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
  // Queues one chunk. Returns false (and drops the chunk) if the client is
  // gone, or if more than the buffer limit is queued and unsent, in which case
  // the connection is closed: a slow client never slows the writer.
  virtual bool write(std::string chunk) = 0;
  // Finishes the response (the terminating chunk); the connection may be reused.
  virtual void end() = 0;
  // True once the client disconnected, the buffer overflowed or the server is stopping.
  virtual bool closed() const = 0;
  // Runs fn once when the stream closes for any reason (including end()).
  // If already closed, runs it at once.
  virtual void onClose(std::function<void()> fn) = 0;
  // Bytes queued and not yet sent.
  virtual std::size_t bufferedBytes() const = 0;
};

}  // namespace codecrew::http
