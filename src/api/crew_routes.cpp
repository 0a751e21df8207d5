// GET /crews and GET /crews/{name}: the crew templates the engine can run
// (built-ins plus [engine] crews_dir), for the new-workflow form.
#include "api/crew_render.h"
#include "api/route_support.h"
#include "api/routes.h"
#include "api/schemas.h"
#include "engine/crew_catalog.h"

namespace codecrew::api {
namespace json = boost::json;
using http::Response;

namespace {

core::Result<const engine::CrewCatalog*> catalog(const Call& call) {
  if (!call.ctx.crews) return core::Error::unavailable("no crew catalog is loaded in this server");
  return call.ctx.crews.get();
}

core::Result<Response> listCrews(Call& call) {
  auto crews = catalog(call);
  if (!crews) return crews.error();
  json::array out;
  for (const auto& name : (*crews)->names()) {
    auto crew = (*crews)->find(name);
    if (!crew) return crew.error();
    out.push_back(crewToJson(*crew));
  }
  return Response::json(200, json::object{{"crews", std::move(out)}});
}

core::Result<Response> getCrew(Call& call) {
  auto crews = catalog(call);
  if (!crews) return crews.error();
  auto crew = (*crews)->find(call.req.param("name"));
  if (!crew) return crew.error();
  return Response::json(200, crewToJson(*crew));
}

}  // namespace

void addCrewRouteSchemas(SchemaMap& out) {
  out["CrewList"] = closedObject(R"({"crews": {"type": "array", "items": {"$ref": "#/components/schemas/Crew"}}})");
}

void registerCrewRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx) {
  addApiRoute(router, ctx,
              {"GET", "/crews", Access::kRead, "", "The crew templates: stages, agents, gates, budgets", "crews"},
              {.operation_id = "listCrews", .response = "CrewList"}, listCrews);
  addApiRoute(router, ctx, {"GET", "/crews/{name}", Access::kRead, "", "One crew template", "crews"},
              {.operation_id = "getCrew", .response = "Crew"}, getCrew);
}

}  // namespace codecrew::api
