// CrewCode (SPEC §7, seed 000): POST /generate (stateless code generation
// through the codegen crew) and sessions holding a user's files, updated in
// diff mode through the update crew. The rules live in
// engine::CrewCodeService; these handlers parse, authorize and render. The
// crew runs wait on the blocking pool for at most [crewcode]
// run_timeout_seconds, then answer 504 naming the execution.
#include "api/crewcode_render.h"
#include "api/json_input.h"
#include "api/route_support.h"
#include "api/routes.h"
#include "api/schemas.h"

namespace codecrew::api {
namespace json = boost::json;
using http::Response;

namespace {

constexpr std::size_t kMaxRequest = 20000;
constexpr std::size_t kMaxName = 200;

core::Result<engine::CrewCodeService*> service(const Call& call) {
  if (!call.ctx.crewcode)
    return core::Error{core::ErrorCode::kFailedPrecondition,
                       "the crew engine is not attached to this server: CrewCode cannot run crews", nullptr};
  return call.ctx.crewcode.get();
}

// "files": {"path": "content", ...}, each checked by the service.
core::Result<std::vector<std::pair<std::string, std::string>>> filesOf(const std::optional<json::object>& files) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!files) return out;
  for (const auto& [path, content] : *files) {
    if (!content.is_string())
      return core::Error::invalidArgument("files['" + std::string(path) + "'] must be a string (the file's content)");
    out.emplace_back(std::string(path), std::string(content.as_string()));
  }
  return out;
}

core::Result<Response> generate(Call& call) {
  auto svc = service(call);
  if (!svc) return svc.error();
  auto in = JsonInput::parse(call.req.body);
  if (!in) return in.error();
  auto request = in->string("request", true, 1, kMaxRequest);
  auto language = in->string("language", false, 1, 100);
  if (auto st = in->finish(); !st) return st.error();
  auto run = (*svc)->generate(call.tenant(), *request, language.value_or(""));
  if (!run) return run.error();
  return Response::json(200, toJson(*run));
}

core::Result<Response> createSession(Call& call) {
  auto svc = service(call);
  if (!svc) return svc.error();
  std::string name;
  std::optional<json::object> files;
  if (!call.req.body.empty()) {
    auto in = JsonInput::parse(call.req.body);
    if (!in) return in.error();
    auto n = in->string("name", false, 0, kMaxName);
    files = in->object("files", false);
    if (auto st = in->finish(); !st) return st.error();
    name = n.value_or("");
  }
  auto list = filesOf(files);
  if (!list) return list.error();
  auto s = (*svc)->createSession(call.tenant(), name, *list);
  if (!s) return s.error();
  auto rows = (*svc)->listFiles(call.tenant(), s->id);
  if (!rows) return rows.error();
  return Response::json(201, toJson(*s, &*rows));
}

core::Result<Response> getSession(Call& call) {
  auto svc = service(call);
  if (!svc) return svc.error();
  auto id = pathId(call.req, "id");
  auto s = (*svc)->getSession(call.tenant(), id);
  if (!s) return s.error();
  auto rows = (*svc)->listFiles(call.tenant(), id);
  if (!rows) return rows.error();
  return Response::json(200, toJson(*s, &*rows));
}

core::Result<Response> putFile(Call& call) {
  auto svc = service(call);
  if (!svc) return svc.error();
  auto id = pathId(call.req, "id");
  const std::string& path = call.req.param("path");
  auto s = (*svc)->putFile(call.tenant(), id, path, call.req.body);
  if (!s) return s.error();
  return Response::json(200, json::object{{"session", toJson(*s)},
                                          {"path", path},
                                          {"size", static_cast<std::int64_t>(call.req.body.size())}});
}

core::Result<Response> getFile(Call& call) {
  auto svc = service(call);
  if (!svc) return svc.error();
  auto f = (*svc)->getFile(call.tenant(), pathId(call.req, "id"), call.req.param("path"));
  if (!f) return f.error();
  return Response::text(200, std::move(f->content));
}

core::Result<Response> updateSession(Call& call) {
  auto svc = service(call);
  if (!svc) return svc.error();
  auto in = JsonInput::parse(call.req.body);
  if (!in) return in.error();
  auto requirement = in->string("requirement", true, 1, kMaxRequest);
  if (auto st = in->finish(); !st) return st.error();
  auto id = pathId(call.req, "id");
  auto run = (*svc)->update(call.tenant(), id, *requirement);
  if (!run) return run.error();
  auto out = toJson(*run);
  out["session_id"] = id;
  return Response::json(200, out);
}

}  // namespace

void addCrewCodeRouteSchemas(SchemaMap& out) {
  out["GenerateRequest"] = parseSchema(R"({
      "type": "object", "additionalProperties": false, "required": ["request"],
      "properties": {
        "request": {"type": "string", "minLength": 1, "maxLength": 20000, "description": "what to generate"},
        "language": {"type": "string", "minLength": 1, "maxLength": 100}}})");
  out["NewSession"] = parseSchema(R"({
      "type": "object", "additionalProperties": false,
      "properties": {
        "name": {"type": "string", "maxLength": 200},
        "files": {"type": "object", "additionalProperties": {"type": "string"},
                  "description": "relative path -> text content"}}})");
  out["SessionUpdate"] = parseSchema(R"({
      "type": "object", "additionalProperties": false, "required": ["requirement"],
      "properties": {"requirement": {"type": "string", "minLength": 1, "maxLength": 20000}}})");
  out["StoredFile"] = closedObject(R"({"session": {"$ref": "#/components/schemas/Session"},
      "path": {"type": "string"}, "size": {"type": "integer"}})");
  out["SessionRun"] = withProperties(out.at("CrewRun"), R"({"session_id": {"type": "integer"}})");
}

void registerCrewCodeRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx) {
  const char* tag = "crewcode";
  addApiRoute(router, ctx,
              {"POST", "/generate", Access::kWrite, "crewcode.generate",
               "Generate code for a request through the codegen crew (stateless): markdown code blocks, files, usage",
               tag},
              {.operation_id = "generateCode", .request = "GenerateRequest", .response = "CrewRun"}, generate);
  addApiRoute(
      router, ctx,
      {"POST", "/sessions", Access::kWrite, "session.create",
       "Create a session holding project files (optional name and files {path: content}); it expires after [crewcode] session_ttl_seconds without use",
       tag},
      {.operation_id = "createSession",
       .request = "NewSession",
       .request_required = false,
       .response = "Session",
       .status = 201},
      createSession);
  addApiRoute(router, ctx, {"GET", "/sessions/{id:int}", Access::kRead, "", "A session and its file list", tag},
              {.operation_id = "getSession", .response = "Session"}, getSession);
  addApiRoute(router, ctx,
              {"PUT", "/sessions/{id:int}/files/{path:rest}", Access::kWrite, "session.put_file",
               "Store a file in a session: the body is the file's text (relative path; no '..')", tag, false},
              {.operation_id = "putSessionFile", .response = "StoredFile"}, putFile);
  addApiRoute(router, ctx,
              {"GET", "/sessions/{id:int}/files/{path:rest}", Access::kRead, "", "A session file's text", tag},
              {.operation_id = "getSessionFile", .content_type = "text/plain"}, getFile);
  addApiRoute(
      router, ctx,
      {"POST", "/sessions/{id:int}/update", Access::kWrite, "session.update",
       "Diff mode: run the update crew on the session's files for a new requirement; answers the changed files and a unified diff and stores them back",
       tag},
      {.operation_id = "updateSession", .request = "SessionUpdate", .response = "SessionRun"}, updateSession);
}

}  // namespace codecrew::api
