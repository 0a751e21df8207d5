// A workflow's outputs (seed 001): artifacts, diffs, the pull request and its checks.
#include "api/render.h"
#include "api/route_support.h"
#include "api/routes.h"
#include "api/schemas.h"
#include "storage/blob_keys.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

namespace codecrew::api {
namespace json = boost::json;
using http::Response;

namespace {

// Every output route first checks the workflow is the caller's (else 404).
core::Status requireWorkflow(Call& call) {
  auto w = call.store().getWorkflow(call.tenant(), pathId(call.req, "id"));
  if (!w) return w.error();
  return core::okStatus();
}

core::Result<Response> listArtifacts(Call& call) {
  if (auto st = requireWorkflow(call); !st) return st.error();
  auto page = parsePage(call.req);
  if (!page) return page.error();
  auto exec = queryId(call.req, "execution_id");
  if (!exec) return exec.error();
  auto list = call.store().listArtifacts(call.tenant(), pathId(call.req, "id"), *exec, call.req.queryParam("kind"),
                                         *page);
  if (!list) return list.error();
  return Response::json(200, pageJson("artifacts", *list, *page));
}

// The artifact's bytes: read from the artifact store through this server
// when the row names an object of it, else (rows from before the store,
// or an object the store no longer has) the content the row keeps.
core::Result<std::optional<Response>> getArtifactContent(Call& call, std::shared_ptr<http::ResponseStream> stream) {
  if (auto st = requireWorkflow(call); !st) return st.error();
  auto a = call.store().getArtifact(call.tenant(), pathId(call.req, "id"), pathId(call.req, "artifact_id"));
  if (!a) return a.error();
  std::string name = a->uri.substr(a->uri.find_last_of(":/") + 1);
  if (name.empty()) name = a->kind + ".md";
  const std::string type = storage::contentTypeOf(name);
  http::Response whole = Response::text(200, a->content, type);
  whole.headers = {{"X-Checksum-Sha256", a->checksum}, {"ETag", "\"" + a->checksum + "\""}};
  auto key = call.ctx.artifacts ? storage::keyOfUri(*call.ctx.artifacts, a->uri) : std::nullopt;
  if (!key || !call.req.io) return std::optional<Response>(std::move(whole));
  auto store = call.ctx.artifacts;
  auto reader = [store, key = *key, stream, whole = std::move(whole)]() -> boost::asio::awaitable<void> {
    bool begun = false;
    storage::BlobChunkSink sink = [&](std::string_view chunk) {
      if (!begun) stream->begin(200, whole.content_type, whole.headers);
      begun = true;
      return stream->write(std::string(chunk));
    };
    auto got = co_await store->get(key, sink);
    if (begun) {
      stream->end();  // a transfer broken half-way ends short; the checksum header tells
      co_return;
    }
    if (got) {
      stream->begin(200, whole.content_type, whole.headers);
      stream->end();
    } else if (got.error().code == core::ErrorCode::kNotFound && !whole.body.empty()) {
      sendWhole(*stream, whole);
    } else if (got.error().code == core::ErrorCode::kNotFound) {
      sendWhole(*stream, Response::fromError(got.error()));
    } else {
      sendWhole(*stream, Response::fromError(
                             core::Error::unavailable("the artifact store could not be read: " + got.error().message)));
    }
  };
  boost::asio::co_spawn(call.req.io, std::move(reader), boost::asio::detached);
  return std::optional<Response>();
}

core::Result<Response> listDiffs(Call& call) {
  if (auto st = requireWorkflow(call); !st) return st.error();
  auto page = parsePage(call.req);
  if (!page) return page.error();
  auto exec = queryId(call.req, "execution_id");
  if (!exec) return exec.error();
  auto list = call.store().listDiffs(call.tenant(), pathId(call.req, "id"), *exec, call.req.queryParam("path"), *page);
  if (!list) return list.error();
  return Response::json(200, pageJson("diffs", *list, *page));
}

core::Result<Response> getPullRequest(Call& call) {
  if (auto st = requireWorkflow(call); !st) return st.error();
  auto pr = call.store().getPullRequest(call.tenant(), pathId(call.req, "id"));
  if (!pr) return pr.error();
  if (!*pr) return core::Error::notFound("workflow " + call.req.param("id") + " has no pull request yet");
  return Response::json(200, toJson(**pr));
}

core::Result<Response> listChecks(Call& call) {
  if (auto st = requireWorkflow(call); !st) return st.error();
  auto page = parsePage(call.req);
  if (!page) return page.error();
  auto pr = call.store().getPullRequest(call.tenant(), pathId(call.req, "id"));
  if (!pr) return pr.error();
  if (!*pr) return core::Error::notFound("workflow " + call.req.param("id") + " has no pull request yet");
  auto list = call.store().listChecks(call.tenant(), (*pr)->id, *page);
  if (!list) return list.error();
  return Response::json(200, pageJson("checks", *list, *page));
}

// Queues a refresh from GitHub (the pull request and its checks, its
// diffs, or its artifacts); the workflow must have a pull request.
ApiHandler refreshFromGitHub(delivery::DeliveryLoop::Refresh what) {
  return [what](Call& call) -> core::Result<Response> {
    if (auto st = requireWorkflow(call); !st) return st.error();
    auto pr = call.store().getPullRequest(call.tenant(), pathId(call.req, "id"));
    if (!pr) return pr.error();
    if (!*pr)
      return core::Error::notFound("workflow " + call.req.param("id") +
                                   " has no pull request yet: there is nothing on GitHub to refresh from");
    if (!call.ctx.delivery) return core::Error::unavailable("this server runs without the engine: nothing refreshes");
    call.ctx.delivery->refresh(call.tenant(), pathId(call.req, "id"), what);
    return Response::json(202, json::object{{"status", "queued"}, {"pull_request", (*pr)->number}});
  };
}

}  // namespace

void addOutputRouteSchemas(SchemaMap& out) {
  out["ArtifactPage"] = pageSchema("artifacts", schemaRef("Artifact"));
  out["DiffPage"] = pageSchema("diffs", schemaRef("Diff"));
  out["CheckPage"] = pageSchema("checks", schemaRef("Check"));
  out["RefreshQueued"] = closedObject(R"({"status": {"type": "string", "enum": ["queued"]},
      "pull_request": {"type": "integer"}})");
}

void registerOutputRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx) {
  const char* tag = "outputs";
  const http::QueryParamDoc execution{"execution_id", "integer", "only this execution's"};
  addApiRoute(router, ctx,
              {"GET", "/workflows/{id:int}/artifacts", Access::kRead, "",
               "A workflow's artifacts (paged; filter by kind, execution_id)", tag},
              {.operation_id = "listArtifacts",
               .response = "ArtifactPage",
               .query = {kPageParam, kPageSizeParam, {"kind", "string", "artifact kind"}, execution}},
              listArtifacts);
  addApiStreamRoute(router, ctx,
                    {"GET", "/workflows/{id:int}/artifacts/{artifact_id:int}/content", Access::kRead, "",
                     "An artifact's bytes, read from the artifact store through the server (Content-Type by its "
                     "file; X-Checksum-Sha256 and ETag carry its sha256)",
                     tag},
                    {.operation_id = "getArtifactContent", .content_type = "application/octet-stream"},
                    getArtifactContent);
  addApiRoute(router, ctx,
              {"GET", "/workflows/{id:int}/diffs", Access::kRead, "",
               "A workflow's diffs (paged; filter by path, execution_id)", tag},
              {.operation_id = "listDiffs",
               .response = "DiffPage",
               .query = {kPageParam, kPageSizeParam, {"path", "string", "file path"}, execution}},
              listDiffs);
  addApiRoute(router, ctx, {"GET", "/workflows/{id:int}/pr", Access::kRead, "", "The workflow's pull request", tag},
              {.operation_id = "getPullRequest", .response = "PullRequest"}, getPullRequest);
  addApiRoute(router, ctx,
              {"GET", "/workflows/{id:int}/pr/checks", Access::kRead, "", "The pull request's checks (paged)", tag},
              {.operation_id = "listChecks", .response = "CheckPage", .query = {kPageParam, kPageSizeParam}},
              listChecks);
  using Refresh = delivery::DeliveryLoop::Refresh;
  addApiRoute(router, ctx,
              {"POST", "/workflows/{id:int}/pr/refresh", Access::kWrite, "pr.refresh",
               "Queue a refresh of the pull request and its checks from GitHub", tag},
              {.operation_id = "refreshPullRequest", .response = "RefreshQueued", .status = 202},
              refreshFromGitHub(Refresh::kPullRequest));
  addApiRoute(router, ctx,
              {"POST", "/workflows/{id:int}/diffs/refresh", Access::kWrite, "diffs.refresh",
               "Queue a refresh of the diffs from the pull request on GitHub", tag},
              {.operation_id = "refreshDiffs", .response = "RefreshQueued", .status = 202},
              refreshFromGitHub(Refresh::kDiffs));
  addApiRoute(router, ctx,
              {"POST", "/workflows/{id:int}/artifacts/refresh", Access::kWrite, "artifacts.refresh",
               "Queue a refresh of the artifacts from the pull request's head on GitHub", tag},
              {.operation_id = "refreshArtifacts", .response = "RefreshQueued", .status = 202},
              refreshFromGitHub(Refresh::kArtifacts));
}

}  // namespace codecrew::api
