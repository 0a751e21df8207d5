// GET /workflows/{id}/search: the semantic index of a workflow's repository
// (engine/semantic_context.h), searched over its latest execution's
// workspace, for the web UI's search box. The index is brought up to date
// with that workspace first (only changed files are read again), then
// ranked by embeddings ("semantic") or BM25 ("bm25"), as the result says.
#include "api/render.h"
#include "api/route_support.h"
#include "api/routes.h"
#include "api/schemas.h"
#include "core/crypto.h"
#include "engine/crew_engine.h"
#include "engine/crewcode_service.h"
#include "engine/semantic_context.h"
#include "tools/workspace/local_workspace.h"

#include <filesystem>

namespace codecrew::api {
namespace json = boost::json;
using http::Response;

namespace search_routes_detail {

constexpr std::size_t kMaxQueryChars = 500;
constexpr std::size_t kSnippetChars = 1200;

core::Result<tools::SemanticQuery> parseSearchQuery(const http::Request& req) {
  tools::SemanticQuery q;
  auto text = req.queryParam("q");
  if (!text || text->empty()) return core::Error::invalidArgument("q (what to search for) is required");
  if (text->size() > kMaxQueryChars) return core::Error::invalidArgument("q must be at most 500 characters");
  q.text = *text;
  q.k = 10;
  if (auto k = req.queryParam("k"); k && !k->empty()) {
    int n = 0;
    try {
      n = std::stoi(*k);
    } catch (const std::exception&) {
      n = 0;
    }
    if (n < 1 || n > 50) return core::Error::invalidArgument("k must be an integer from 1 to 50");
    q.k = static_cast<std::size_t>(n);
  }
  if (auto path = req.queryParam("path"); path && !path->empty()) q.pathGlobs.push_back(*path);
  return q;
}

json::object resultJson(const tools::SemanticResult& r) {
  json::array hits;
  for (const auto& h : r.hits) {
    std::string snippet = h.chunk.text.size() > kSnippetChars ? h.chunk.text.substr(0, kSnippetChars) + "..."
                                                              : h.chunk.text;
    hits.push_back(json::object{{"path", h.chunk.path},
                                {"start_line", h.chunk.startLine},
                                {"end_line", h.chunk.endLine},
                                {"symbol", h.chunk.symbol},
                                {"kind", h.chunk.kind},
                                {"language", h.chunk.language},
                                {"score", h.score},
                                {"text", std::move(snippet)}});
  }
  json::object out{{"ranking", r.ranking}, {"results", std::move(hits)}};
  out["note"] = r.note.empty() ? json::value(nullptr) : json::value(r.note);
  return out;
}

core::Result<Response> searchWorkflow(Call& call) {
  auto id = pathId(call.req, "id");
  auto workflow = call.store().getWorkflow(call.tenant(), id);
  if (!workflow) return workflow.error();
  auto query = parseSearchQuery(call.req);
  if (!query) return query.error();
  if (!call.ctx.semantic)
    return core::Error{core::ErrorCode::kFailedPrecondition,
                       "semantic search is not available here ([semantic] enabled = false, or no crew engine)",
                       nullptr};
  auto latest = call.store().latestExecutions(call.tenant(), {id});
  if (!latest) return latest.error();
  if (latest->empty())
    return core::Error{core::ErrorCode::kFailedPrecondition,
                       "the workflow has no execution yet: its repository is indexed when one runs", nullptr};
  auto workspace_dir = engine::workspaceOf(latest->front(), call.ctx.workspaces_root);
  std::error_code ec;
  if (!std::filesystem::is_directory(workspace_dir, ec))
    return core::Error{core::ErrorCode::kFailedPrecondition,
                       "the workspace of the workflow's latest execution is gone; run it again to search it", nullptr};
  llm::CallContext context;
  context.tenant_id = call.tenant();
  context.request_id = call.req.header("x-request-id").value_or("");
  auto search = call.ctx.semantic->open(call.tenant(), workspace_dir.string(), context);
  if (!search) return search.error();
  auto workspace = tools::LocalWorkspace::open(workspace_dir.string());
  if (!workspace) return workspace.error();
  auto updated = (*search)->prepare(**workspace);
  if (!updated) return updated.error();
  auto result = (*search)->search(*query);
  if (!result) return result.error();
  json::object out = resultJson(*result);
  out["workflow_id"] = id;
  out["execution_id"] = latest->front().id;
  out["query"] = query->text;
  out["chunks_indexed"] = updated->chunksTotal;
  return Response::json(200, out);
}

// A CrewCode session's files (in the store, not a repository) are written
// to a scratch folder, indexed under "session-<id>" and searched there.
core::Result<Response> searchSession(Call& call) {
  auto id = pathId(call.req, "id");
  auto query = parseSearchQuery(call.req);
  if (!query) return query.error();
  if (!call.ctx.crewcode) return core::Error::unavailable("CrewCode needs the crew engine");
  auto files = call.ctx.crewcode->listFiles(call.tenant(), id);
  if (!files) return files.error();
  if (!call.ctx.semantic)
    return core::Error{core::ErrorCode::kFailedPrecondition,
                       "semantic search is not available here ([semantic] enabled = false, or no crew engine)",
                       nullptr};
  std::error_code ec;
  auto scratch = std::filesystem::temp_directory_path(ec) / ("codecrew-session-search-" + core::uniqueHex(8));
  struct Cleanup {
    std::filesystem::path dir;
    ~Cleanup() {
      std::error_code ignored;
      std::filesystem::remove_all(dir, ignored);
    }
  } cleanup{scratch};
  std::filesystem::create_directories(scratch, ec);
  if (ec) return core::Error::internal("cannot make a scratch folder for the session's files");
  auto workspace = tools::LocalWorkspace::open(scratch.string());
  if (!workspace) return workspace.error();
  for (const auto& f : *files)
    if (auto written = (*workspace)->writeFile(f.path, f.content); !written) return written.error();
  llm::CallContext context;
  context.tenant_id = call.tenant();
  context.request_id = call.req.header("x-request-id").value_or("");
  auto search = call.ctx.semantic->openKey(call.tenant(), "session-" + std::to_string(id), context);
  if (!search) return search.error();
  auto updated = (*search)->prepare(**workspace);
  if (!updated) return updated.error();
  auto result = (*search)->search(*query);
  if (!result) return result.error();
  json::object out = resultJson(*result);
  out["session_id"] = id;
  out["query"] = query->text;
  out["chunks_indexed"] = updated->chunksTotal;
  return Response::json(200, out);
}

}  // namespace search_routes_detail

void addSearchRouteSchemas(SchemaMap& out) {
  out["SearchHit"] = parseSchema(
      R"json({"type": "object", "required": ["path", "start_line", "end_line", "symbol", "kind",
      "language", "score", "text"], "properties": {
      "path": {"type": "string"}, "start_line": {"type": "integer"}, "end_line": {"type": "integer"},
      "symbol": {"type": "string", "description": "the definition or heading; empty for a window of lines"},
      "kind": {"type": "string"}, "language": {"type": "string"},
      "score": {"type": "number", "description": "cosine similarity (semantic) or BM25 score"},
      "text": {"type": "string", "description": "the chunk (its first 1200 characters)"}}})json");
  out["SessionSearchResult"] = parseSchema(R"json({"type": "object", "required": ["ranking", "results", "note",
      "session_id", "query", "chunks_indexed"], "properties": {
      "ranking": {"type": "string", "enum": ["semantic", "bm25"]},
      "results": {"type": "array", "items": {"$ref": "#/components/schemas/SearchHit"}},
      "note": {"type": ["string", "null"]}, "session_id": {"type": "integer"}, "query": {"type": "string"},
      "chunks_indexed": {"type": "integer"}}})json");
  out["SearchResult"] = parseSchema(R"json({"type": "object", "required": ["ranking", "results", "note", "workflow_id",
      "execution_id", "query", "chunks_indexed"], "properties": {
      "ranking": {"type": "string", "enum": ["semantic", "bm25"]},
      "results": {"type": "array", "items": {"$ref": "#/components/schemas/SearchHit"}},
      "note": {"type": ["string", "null"], "description": "why BM25 stood in, or what is not indexed yet"},
      "workflow_id": {"type": "integer"}, "execution_id": {"type": "integer"}, "query": {"type": "string"},
      "chunks_indexed": {"type": "integer"}}})json");
}

void registerSearchRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx) {
  addApiRoute(router, ctx,
              {"GET", "/workflows/{id:int}/search", Access::kRead, "",
               "Search the workflow's repository by meaning (or BM25 without an embedding model)", "workflows"},
              {.operation_id = "searchWorkflow",
               .response = "SearchResult",
               .query = {{"q", "string", "what to look for, in words or identifiers (at most 500 characters)"},
                         {"k", "integer", "how many results, 1 to 50 (default 10)"},
                         {"path", "string", "only paths matching this pattern (src/*, *.py) or below this folder"}}},
              search_routes_detail::searchWorkflow);
  addApiRoute(router, ctx,
              {"GET", "/sessions/{id:int}/search", Access::kRead, "",
               "Search a CrewCode session's files by meaning (or BM25 without an embedding model)", "crewcode"},
              {.operation_id = "searchSession",
               .response = "SessionSearchResult",
               .query = {{"q", "string", "what to look for (at most 500 characters)"},
                         {"k", "integer", "how many results, 1 to 50 (default 10)"},
                         {"path", "string", "only paths matching this pattern or below this folder"}}},
              search_routes_detail::searchSession);
}

}  // namespace codecrew::api
