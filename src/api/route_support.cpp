#include "api/route_support.h"

#include "api/rest_rate_limiter.h"
#include "core/log.h"

#include <charconv>

namespace codecrew::api {
namespace {

core::Result<int> parseIntParam(const http::Request& req, const char* name, int dflt, int lo, int hi) {
  auto v = req.queryParam(name);
  if (!v) return dflt;
  int n = 0;
  auto [p, ec] = std::from_chars(v->data(), v->data() + v->size(), n);
  if (ec != std::errc() || p != v->data() + v->size() || n < lo || n > hi)
    return core::Error::invalidArgument(std::string(name) + " must be an integer between " + std::to_string(lo) +
                                        " and " + std::to_string(hi) + ", got '" + *v + "'");
  return n;
}

void audit(const Call& call, const ApiRoute& route, int status) {
  auditCall(call.ctx, call.principal, call.req, route.action, status);
}

// 429 in the house error shape, with Retry-After, when the key is over
// [server] rest_rate_per_minute.
std::optional<http::Response> overRate(const ApiContext& ctx, const Principal& principal) {
  if (!ctx.rest_limiter || !principal.api_key_id) return std::nullopt;
  auto wait = ctx.rest_limiter->admit(*principal.api_key_id);
  if (!wait) return std::nullopt;
  auto r = http::Response::error(429, core::errorCodeName(core::ErrorCode::kResourceExhausted),
                                 "this key's rate limit of " + std::to_string(ctx.rest_limiter->perMinute()) +
                                     " requests per minute is reached (server.rest_rate_per_minute); retry after " +
                                     std::to_string(*wait) + " s",
                                 boost::json::object{{"limit_per_minute", ctx.rest_limiter->perMinute()},
                                                     {"retry_after_seconds", *wait}});
  r.headers.emplace_back("Retry-After", std::to_string(*wait));
  return r;
}

}  // namespace

void auditCall(const ApiContext& ctx, const Principal& principal, const http::Request& req, const std::string& action,
               int status) {
  store::AuditEntry e;
  e.tenant_id = principal.tenant_id;
  e.api_key_id = principal.api_key_id;
  e.action = action;
  e.method = req.method;
  e.path = req.path;
  e.status = status;
  e.request_id = req.request_id;
  if (auto st = ctx.store->appendAudit(e); !st)
    core::log::error("audit write failed", {{"error", st.error().message}, {"action", action}});
}

void addApiRoute(http::Router& router, std::shared_ptr<const ApiContext> ctx, ApiRoute route, ApiHandler handler) {
  addApiRoute(router, std::move(ctx), std::move(route), http::RouteDoc{}, std::move(handler));
}

void addApiRoute(http::Router& router, std::shared_ptr<const ApiContext> ctx, ApiRoute route, http::RouteDoc doc,
                 ApiHandler handler) {
  http::RouteOptions opts;
  opts.doc = std::move(doc);
  opts.doc.rate_limited = route.access != Access::kPublic;  // overRate() below
  opts.json_body = route.json_body;
  opts.summary = route.summary;
  opts.tag = route.tag;
  opts.auth_required = route.access != Access::kPublic;
  std::string method = route.method, pattern = route.pattern;
  router.add(
      method, pattern,
      [ctx, route = std::move(route), handler = std::move(handler)](http::Request& req) {
        Principal principal;
        if (route.access != Access::kPublic) {
          auto who = authenticate(*ctx, req);
          if (!who) return http::Response::fromError(who.error());
          principal = *who;
          if (auto refused = overRate(*ctx, principal)) {
            if (route.access == Access::kWrite) audit(Call{req, *ctx, principal}, route, refused->status);
            return std::move(*refused);
          }
        }
        Call call{req, *ctx, principal};
        if (route.access == Access::kWrite) {
          if (auto st = requireWrite(principal); !st) {
            auto refused = http::Response::fromError(st.error());
            audit(call, route, refused.status);  // refused attempts are audited too
            return refused;
          }
        }
        auto result = handler(call);
        http::Response resp = result ? std::move(result).value() : http::Response::fromError(result.error());
        if (route.access == Access::kWrite) audit(call, route, resp.status);
        return resp;
      },
      opts);
}

void sendWhole(http::ResponseStream& stream, const http::Response& response) {
  stream.begin(response.status, response.content_type, response.headers);
  if (!response.body.empty()) stream.write(response.body);
  stream.end();
}

void addApiStreamRoute(http::Router& router, std::shared_ptr<const ApiContext> ctx, ApiRoute route, http::RouteDoc doc,
                       ApiStreamHandler handler) {
  http::RouteOptions opts;
  opts.doc = std::move(doc);
  opts.doc.rate_limited = true;
  opts.summary = route.summary;
  opts.tag = route.tag;
  std::string method = route.method, pattern = route.pattern;
  router.addStream(
      method, pattern,
      [ctx, handler = std::move(handler)](http::Request& req, std::shared_ptr<http::ResponseStream> stream) {
        auto who = authenticate(*ctx, req);
        if (!who) return sendWhole(*stream, http::Response::fromError(who.error()));
        if (auto refused = overRate(*ctx, *who)) return sendWhole(*stream, *refused);
        Call call{req, *ctx, *who};
        auto result = handler(call, stream);
        if (!result) return sendWhole(*stream, http::Response::fromError(result.error()));
        if (*result) sendWhole(*stream, **result);
      },
      opts);
}

core::Result<store::PageRequest> parsePage(const http::Request& req) {
  auto page = parseIntParam(req, "page", 1, 1, 1'000'000);
  if (!page) return page.error();
  auto size = parseIntParam(req, "page_size", 20, 1, 200);
  if (!size) return size.error();
  return store::PageRequest{*page, *size};
}

core::Id pathId(const http::Request& req, const std::string& name) {
  return core::parseId(req.param(name)).value_or(0);
}

core::Result<std::optional<core::Id>> queryId(const http::Request& req, const char* name) {
  auto v = req.queryParam(name);
  if (!v) return std::optional<core::Id>();
  auto id = core::parseId(*v);
  if (!id) return core::Error::invalidArgument(std::string(name) + " must be a positive integer id, got '" + *v + "'");
  return std::optional<core::Id>(*id);
}

}  // namespace codecrew::api
