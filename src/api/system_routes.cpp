// GET /health, /healthz, /readyz, /openapi.json and /docs: public, no key
// needed. GET /metrics: public when configured, else for admin keys.
#include "api/openapi.h"
#include "api/readiness.h"
#include "api/route_support.h"
#include "api/routes.h"
#include "api/schemas.h"
#include "api/write_probe.h"
#include "core/version.h"

#include <boost/json/serialize.hpp>

#include <filesystem>
#include <mutex>

namespace codecrew::api {
namespace json = boost::json;
using http::Response;

namespace {

constexpr const char* kDocsPage = R"HTML(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>codecrew API</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
header{background:#1d2330;color:#fff;padding:16px 24px}header h1{margin:0;font-size:20px}
main{max-width:1000px;margin:0 auto;padding:16px 24px}
.op{background:#fff;border:1px solid #dde1e7;border-radius:6px;margin:8px 0}
.op summary{cursor:pointer;padding:10px 12px;display:flex;gap:12px;align-items:center}
.m{font:600 12px monospace;padding:3px 8px;border-radius:4px;color:#fff;min-width:56px;text-align:center}
.get{background:#2b6cb0}.post{background:#2f855a}.delete{background:#c53030}.put,.patch{background:#b7791f}
code,pre{font-family:ui-monospace,monospace;font-size:13px}pre{background:#f0f2f5;padding:8px;overflow:auto}
.body{padding:0 12px 12px}table{border-collapse:collapse}td,th{padding:2px 10px 2px 0;text-align:left}
h2{font-size:16px;margin-top:24px;text-transform:capitalize}
</style></head><body>
<header><h1>codecrew API</h1><div id="ver"></div></header>
<main><p>Every route but <code>/health</code>, <code>/openapi.json</code>, <code>/docs</code> and the web UI's files needs
<code>Authorization: Bearer &lt;key&gt;</code>. The machine-readable document is at
<a href="/openapi.json">/openapi.json</a>.</p><div id="ops">Loading…</div></main>
<script>
fetch('/openapi.json').then(r=>r.json()).then(doc=>{
  document.getElementById('ver').textContent='version '+doc.info.version;
  const groups={};
  for(const [path,ops] of Object.entries(doc.paths))for(const [m,op] of Object.entries(ops)){
    const t=(op.tags||['other'])[0];(groups[t]=groups[t]||[]).push([m,path,op]);}
  const root=document.getElementById('ops');root.textContent='';
  for(const [tag,list] of Object.entries(groups)){
    const h=document.createElement('h2');h.textContent=tag;root.appendChild(h);
    for(const [m,path,op] of list){
      const d=document.createElement('details');d.className='op';
      const s=document.createElement('summary');
      const b=document.createElement('span');b.className='m '+m;b.textContent=m.toUpperCase();
      const p=document.createElement('code');p.textContent=path;
      const t=document.createElement('span');t.textContent=op.summary||'';
      s.append(b,p,t);d.appendChild(s);
      const body=document.createElement('div');body.className='body';
      if(op.parameters){const tb=document.createElement('table');
        tb.innerHTML='<tr><th>parameter</th><th>in</th><th>type</th><th>about</th></tr>';
        for(const pr of op.parameters){const tr=document.createElement('tr');
          for(const v of [pr.name+(pr.required?' *':''),pr.in,(pr.schema||{}).type||'',pr.description||'']){
            const td=document.createElement('td');td.textContent=v;tr.appendChild(td);}tb.appendChild(tr);}
        body.appendChild(tb);}
      const schemaOf=c=>{const x=(Object.values(c||{})[0]||{}).schema;if(!x)return null;
        return x.$ref?{[x.$ref.split('/').pop()]:doc.components.schemas[x.$ref.split('/').pop()]}:x;};
      const show=(label,c)=>{const x=schemaOf(c);if(!x)return;const pre=document.createElement('pre');
        pre.textContent=JSON.stringify(x,null,2);body.append(label,pre);};
      if(op.requestBody)show('Request body:',op.requestBody.content);
      for(const [st,r] of Object.entries(op.responses||{}))if(st.startsWith('2'))show('Answer '+st+':',r.content);
      d.appendChild(body);root.appendChild(d);}}
}).catch(e=>{document.getElementById('ops').textContent='Could not load /openapi.json: '+e;});
</script></body></html>
)HTML";

}  // namespace

void addSystemRouteSchemas(SchemaMap& out) {
  out["Health"] = closedObject(R"({
      "status": {"type": "string", "enum": ["ok", "unavailable"]}, "version": {"type": "string"},
      "uptime_seconds": {"type": "number"},
      "database": {"type": "object", "additionalProperties": false, "required": ["ok", "writable"], "properties": {
        "ok": {"type": "boolean", "description": "readable and writable: false answers 503"},
        "writable": {"type": "boolean", "description": "the last write probe succeeded"},
        "schema_version": {"type": "integer"},
        "free_bytes": {"type": "integer", "description": "free space of the SQLite file's directory"},
        "error": {"type": "string"}}},
      "engine_attached": {"type": "boolean"}, "dev_mode": {"type": "boolean"},
      "auth": {"type": "string", "enum": ["none", "api_key"]}})");
  out["Liveness"] = closedObject(R"({"status": {"type": "string", "enum": ["alive"]}})");
  out["Readiness"] = closedObject(R"({
      "status": {"type": "string", "enum": ["ready", "not_ready"]},
      "checks": {"type": "object", "description": "each check: ok, and why not in error",
        "additionalProperties": {"type": "object", "required": ["ok"], "properties": {
          "ok": {"type": "boolean"}, "error": {"type": "string"}}}}})");
  out["OpenApiDocument"] = parseSchema(R"({"type": "object", "required": ["openapi", "info", "paths"],
      "properties": {"openapi": {"type": "string"}, "info": {"type": "object"}, "paths": {"type": "object"},
        "components": {"type": "object"}},
      "description": "an OpenAPI 3.1 document"})");
}

void registerOperatorRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx,
                            std::shared_ptr<WriteProbe> probe) {
  if (!probe) probe = std::make_shared<WriteProbe>(ctx->store, ctx->clock, probeDirectory(ctx->config.get()));
  auto readiness = ctx->readiness ? ctx->readiness : std::make_shared<Readiness>(probe, nullptr, false, nullptr);
  addApiRoute(router, ctx,
              {"GET", "/healthz", Access::kPublic, "", "Liveness: the process answers (for probes)", "system"},
              {.operation_id = "getLiveness", .response = "Liveness"}, [](Call&) -> core::Result<Response> {
                return Response::json(200, json::object{{"status", "alive"}});
              });
  addApiRoute(
      router, ctx,
      {"GET", "/readyz", Access::kPublic, "",
       "Readiness: the store answers and can be written, the engine runs, model calls can go out", "system"},
      {.operation_id = "getReadiness", .response = "Readiness", .also_503 = true},
      [readiness](Call&) -> core::Result<Response> {
        auto report = readiness->check();
        json::object out{{"status", report.ready ? "ready" : "not_ready"}, {"checks", std::move(report.checks)}};
        return Response::json(report.ready ? 200 : 503, out);
      });
  if (!ctx->metrics) return;
  const bool open = ctx->metrics_public;
  addApiRoute(router, ctx,
              {"GET", "/metrics", open ? Access::kPublic : Access::kRead, "",
               "This process's metrics in the Prometheus text format (an admin key unless [metrics] public)", "system"},
              {.operation_id = "getMetrics",
               .content_type = "text/plain",
               .errors = {{403, "an API key without the admin role"}}},
              [open](Call& call) -> core::Result<Response> {
                if (!open && call.principal.role != store::Role::kAdmin)
                  return core::Error::permissionDenied(
                      "GET /metrics needs an admin key (or [metrics] public = true, or a [metrics] listen address)");
                return Response::text(200, call.ctx.metrics->render(), "text/plain; version=0.0.4; charset=utf-8");
              });
}

void registerSystemRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx) {
  auto probe = std::make_shared<WriteProbe>(ctx->store, ctx->clock, probeDirectory(ctx->config.get()));
  addApiRoute(router, ctx,
              {"GET", "/health", Access::kPublic, "", "Liveness and readiness: the database can be read and written",
               "system"},
              {.operation_id = "getHealth", .response = "Health", .also_503 = true},
              [probe](Call& call) -> core::Result<Response> {
                auto ping = call.store().ping();
                auto version = call.store().schemaVersion();
                auto write = probe->read();
                bool db_ok = ping.ok() && version.ok() && write.writable;
                json::object db{{"ok", db_ok}, {"writable", write.writable}};
                if (version) db["schema_version"] = *version;
                if (write.free_bytes) db["free_bytes"] = *write.free_bytes;
                if (!ping) db["error"] = ping.error().message;
                else if (!write.writable) db["error"] = write.error;
                double uptime = double(call.ctx.clock->nowMillis() - call.ctx.started_at) / 1000.0;
                json::object out{{"status", db_ok ? "ok" : "unavailable"},
                                 {"version", core::kVersion},
                                 {"uptime_seconds", uptime},
                                 {"database", std::move(db)},
                                 {"engine_attached", call.ctx.executions && call.ctx.executions->attached()},
                                 {"dev_mode", call.ctx.dev},
                                 {"auth", call.ctx.dev ? "none" : "api_key"}};
                return Response::json(db_ok ? 200 : 503, out);
              });
  registerOperatorRoutes(router, ctx, probe);
  // The document is built on first use, so it also lists routes added after this call.
  const http::Router* routes = &router;
  auto once = std::make_shared<std::once_flag>();
  auto doc = std::make_shared<std::string>();
  addApiRoute(router, ctx,
              {"GET", "/openapi.json", Access::kPublic, "", "This API as an OpenAPI 3.1 document", "system"},
              {.operation_id = "getOpenApi", .response = "OpenApiDocument"},
              [routes, once, doc](Call&) -> core::Result<Response> {
                std::call_once(*once, [&] { *doc = json::serialize(buildOpenApi(*routes, core::kVersion)); });
                Response r;
                r.body = *doc;
                return r;
              });
  addApiRoute(router, ctx, {"GET", "/docs", Access::kPublic, "", "A page to read the API document", "system"},
              {.operation_id = "getApiDocs", .content_type = "text/html"}, [](Call&) -> core::Result<Response> {
                return Response::text(200, kDocsPage, "text/html; charset=utf-8");
              });
}

}  // namespace codecrew::api
