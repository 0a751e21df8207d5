// Route plumbing shared by every API handler: authentication, the viewer
// rule for mutating calls, conversion of Result errors into the house error
// body, audit entries for mutating calls, and query-string parsing helpers.
// Thread-safety: registration before the server starts; the wrapped handlers
// are safe to run concurrently.
#pragma once

#include "api/api_context.h"
#include "api/auth.h"
#include "core/result.h"
#include "http/router.h"
#include "store/store.h"

#include <functional>
#include <memory>
#include <string>

namespace codecrew::api {

enum class Access { kPublic, kRead, kWrite };

struct Call {
  http::Request& req;
  const ApiContext& ctx;
  Principal principal;
  store::Store& store() const { return *ctx.store; }
  core::Id tenant() const { return principal.tenant_id; }
};

using ApiHandler = std::function<core::Result<http::Response>(Call&)>;

struct ApiRoute {
  std::string method;
  std::string pattern;
  Access access = Access::kRead;
  std::string action;   // audit action for kWrite routes, e.g. "workflow.create"
  std::string summary;  // OpenAPI summary
  std::string tag;      // OpenAPI tag
  bool json_body = true;
};

// Writes an audit entry for the principal's call `action` that ended in
// `status` (a refused one too); a failed write is logged, not returned.
void auditCall(const ApiContext& ctx, const Principal& principal, const http::Request& req, const std::string& action,
               int status);

// Adds route to router with the plumbing above around handler: for a route
// that needs a key, authentication, then the key's REST rate
// (ApiContext::rest_limiter: 429 in the house error shape with Retry-After
// past it), then for kWrite routes the viewer rule; kWrite routes' outcomes,
// refusals included, are audited. doc is what the OpenAPI document says of it
// (operationId, request and response schemas, query parameters).
void addApiRoute(http::Router& router, std::shared_ptr<const ApiContext> ctx, ApiRoute route, http::RouteDoc doc,
                 ApiHandler handler);
void addApiRoute(http::Router& router, std::shared_ptr<const ApiContext> ctx, ApiRoute route, ApiHandler handler);

// A read route whose answer may be streamed: the same authentication and
// rate limit as addApiRoute (route.access must be kRead), then the handler
// either answers whole (a Response, or an error in the house shape) or takes
// the stream (nullopt) and begins, writes and ends it itself, from any thread.
using ApiStreamHandler =
    std::function<core::Result<std::optional<http::Response>>(Call&, std::shared_ptr<http::ResponseStream>)>;
void addApiStreamRoute(http::Router& router, std::shared_ptr<const ApiContext> ctx, ApiRoute route, http::RouteDoc doc,
                       ApiStreamHandler handler);

// Writes a whole response to a stream that was not begun: status, type,
// headers, body, end.
void sendWhole(http::ResponseStream& stream, const http::Response& response);

// page (>= 1, default 1) and page_size (1..200, default 20) from the query.
core::Result<store::PageRequest> parsePage(const http::Request& req);
inline const http::QueryParamDoc kPageParam{"page", "integer", "1-based page number (default 1)"};
inline const http::QueryParamDoc kPageSizeParam{"page_size", "integer", "items per page, 1 to 200 (default 20)"};

// The value of an {name:int} path parameter (the router has validated it).
core::Id pathId(const http::Request& req, const std::string& name);

// An optional integer query parameter; kInvalidArgument naming it if malformed.
core::Result<std::optional<core::Id>> queryId(const http::Request& req, const char* name);

// The llm-calls filters (page, page_size, sort_by, sort_dir, model, q,
// date_from, date_to) of GET /conversations/{id}/llm-calls and GET /v1/usage;
// kInvalidArgument naming the bad parameter.
core::Result<store::LlmCallQuery> parseLlmCallQuery(const http::Request& req);
// Those parameters as the OpenAPI document shows them.
std::vector<http::QueryParamDoc> llmCallQueryDocs();

}  // namespace codecrew::api
