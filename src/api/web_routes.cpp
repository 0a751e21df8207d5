// The web UI (SPEC §11): GET / (index.html), GET /assets/{path} (Vite's
// hashed files) and GET /{file} (other files at the root of the web
// directory, e.g. /favicon.svg). Public: the page holds no data, the API
// calls it makes carry the key. API routes always win: a literal route beats
// /{file}, and a root path that is an API route of other methods stays a 405.
#include "api/route_support.h"
#include "api/routes.h"
#include "api/static_files.h"

#include <algorithm>

namespace codecrew::api {
using http::Response;

namespace {

constexpr const char* kImmutable = "public, max-age=31536000, immutable";

constexpr const char* kNotBuiltPage = R"HTML(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>codecrew</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:720px;margin:48px auto;padding:0 24px;color:#1d2330}
code,pre{font-family:ui-monospace,monospace}pre{background:#f0f2f5;padding:8px 12px}</style></head><body>
<h1>codecrew</h1>
<p>The web UI is not built. Build it with the project's build:</p>
<pre>make build</pre>
<p>or by hand:</p>
<pre>cd web &amp;&amp; npm ci &amp;&amp; npm run build</pre>
<p>then reload this page. The server looks for it in <code>[server] web_dir</code>
(<code>CODECREW_WEB_DIR</code>). The API works without it: see <a href="/docs">/docs</a>.</p>
</body></html>
)HTML";

Response fileResponse(StaticFiles::File file, const char* cache_control) {
  Response r = Response::text(200, std::move(file.body), std::move(file.content_type));
  r.headers.emplace_back("Cache-Control", cache_control);
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return r;
}

}  // namespace

void registerWebRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx) {
  auto files = std::make_shared<const StaticFiles>(ctx->config ? ctx->config->server.web_dir : std::string());
  const http::Router* routes = &router;
  addApiRoute(router, ctx, {"GET", "/", Access::kPublic, "", "The web UI (index.html)", "web"},
              {.operation_id = "getWebUi", .content_type = "text/html"}, [files](Call&) -> core::Result<Response> {
                auto index = files->read("index.html");
                if (!index) {
                  Response r = Response::text(200, kNotBuiltPage, "text/html; charset=utf-8");
                  r.headers.emplace_back("Cache-Control", "no-cache");
                  return r;
                }
                return fileResponse(std::move(index).value(), "no-cache");
              });
  addApiRoute(router, ctx, {"GET", "/assets/{path:rest}", Access::kPublic, "", "The web UI's hashed assets", "web"},
              {.operation_id = "getWebAsset", .content_type = "application/octet-stream"},
              [files](Call& call) -> core::Result<Response> {
                auto file = files->read("assets/" + call.req.param("path"));
                if (!file) return file.error();
                return fileResponse(std::move(file).value(), kImmutable);
              });
  addApiRoute(router, ctx,
              {"GET", "/{file}", Access::kPublic, "", "A file at the root of the web UI (e.g. favicon.svg)", "web"},
              {.operation_id = "getWebFile", .content_type = "application/octet-stream"},
              [files, routes](Call& call) -> core::Result<Response> {
                auto file = files->read(call.req.param("file"));
                if (file) return fileResponse(std::move(file).value(), "no-cache");
                // A path that only other methods' API routes serve keeps its 405.
                const std::string& target = call.req.target;
                auto methods = routes->allowedMethods(std::string_view(target).substr(0, target.find('?')));
                std::erase(methods, "GET");
                std::erase(methods, "HEAD");
                if (methods.empty()) return core::Error::notFound("no route for GET /" + call.req.param("file"));
                std::string allow;
                for (const auto& m : methods) allow += (allow.empty() ? "" : ", ") + m;
                Response r = Response::error(405, "method_not_allowed",
                                             "method GET is not allowed for /" + call.req.param("file") +
                                                 " (allowed: " + allow + ")");
                r.headers.emplace_back("Allow", allow);
                return r;
              });
}

}  // namespace codecrew::api
