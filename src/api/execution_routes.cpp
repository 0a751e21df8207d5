// Executions of a workflow: list, get, start (Idempotency-Key), execute,
// cancel, resume, and compare two executions. Start, cancel and resume are
// the ExecutionService's (ctx.executions); the handlers parse and render.
#include "api/json_input.h"
#include "api/render.h"
#include "api/route_support.h"
#include "api/routes.h"
#include "api/schemas.h"
#include "api/workflow_metrics.h"
#include "engine/crew_inputs.h"
#include "engine/execution_service.h"

#include <boost/json/serialize.hpp>

#include <algorithm>

namespace codecrew::api {
namespace json = boost::json;
using http::Response;

namespace {

constexpr std::size_t kMaxIdempotencyKey = 200;

core::Result<std::optional<std::string>> idempotencyKey(const http::Request& req) {
  auto key = req.header("Idempotency-Key");
  if (!key) return std::optional<std::string>();
  if (key->empty() || key->size() > kMaxIdempotencyKey)
    return core::Error::invalidArgument("Idempotency-Key must be 1 to 200 characters");
  for (unsigned char c : *key)
    if (c < 0x21 || c > 0x7e)
      return core::Error::invalidArgument("Idempotency-Key must be printable ASCII without spaces");
  return std::optional<std::string>(*key);
}

// The start body's client-settable fields: meta, the client's own labels
// (an object of at most kMaxMetaBytes as JSON), kept with the execution and
// never read by the engine; and inputs, a CrewAI crew's {name} placeholders
// (an object of strings, over the workflow's), which only fill its texts.
// The engine's state (checkpoint, workspace, budgets) is not the client's to
// set: those names are refused rather than silently kept, and so is any
// other field.
constexpr std::size_t kMaxMetaBytes = 16 * 1024;

struct StartBody {
  json::value meta = json::object();
  engine::CrewInputs inputs;
};

core::Result<json::value> parseMeta(std::optional<json::object> meta) {
  if (!meta) return json::value(json::object());
  for (const char* owned : {"checkpoint", "workspace", "budget", "budgets"})
    if (meta->contains(owned))
      return core::Error::invalidArgument(std::string("meta.") + owned +
                                              " is the server's: an execution's checkpoint, workspace and budgets "
                                              "come from the engine, its crew and the server's configuration",
                                          json::object{{"field", std::string("meta.") + owned}});
  if (json::serialize(*meta).size() > kMaxMetaBytes)
    return core::Error::invalidArgument("meta must be at most 16 KiB as JSON", json::object{{"field", "meta"}});
  return json::value(std::move(*meta));
}

core::Result<StartBody> parseStartBody(const http::Request& req) {
  StartBody out;
  if (req.body.empty()) return out;
  auto in = JsonInput::parse(req.body);
  if (!in) return in.error();
  auto meta = in->object("meta", false);
  auto inputs = in->object("inputs", false);
  if (auto st = in->finish(); !st) return st.error();
  auto m = parseMeta(std::move(meta));
  if (!m) return m.error();
  out.meta = std::move(m).value();
  if (inputs) {
    auto parsed = engine::crewInputsFromJson(json::value(std::move(*inputs)));
    if (!parsed) return parsed.error();
    out.inputs = std::move(parsed).value();
  }
  return out;
}

json::object withJob(Call& call, const store::Execution& e) {
  json::object out = toJson(e);
  auto job = call.store().getJobForExecution(call.tenant(), e.id);
  if (job) {
    json::object jj = toJson(*job);
    auto attempts = call.store().listJobAttempts(call.tenant(), job->id);
    json::array arr;
    if (attempts) {
      for (const auto& a : *attempts)
        arr.push_back(json::object{{"attempt_no", a.attempt_no},
                                   {"status", store::attemptStatusName(a.status)},
                                   {"worker", a.worker},
                                   {"error", a.error}});
    }
    jj["attempts_detail"] = std::move(arr);
    out["job"] = std::move(jj);
  }
  return out;
}

core::Result<Response> startExecution(Call& call) {
  auto key = idempotencyKey(call.req);
  if (!key) return key.error();
  auto body = parseStartBody(call.req);
  if (!body) return body.error();
  engine::StartRequest request;
  request.tenant_id = call.tenant();
  request.workflow_id = pathId(call.req, "id");
  request.idempotency_key = *key;
  request.meta = std::move(body->meta);
  request.inputs = std::move(body->inputs);
  request.origin = engine::StartOrigin::kApi;
  request.request_id = call.req.request_id;
  request.trace_parent = call.req.trace.traceparent();
  auto started = call.ctx.executions->start(std::move(request));
  if (!started) return started.error();
  json::object out{{"execution", toJson(started->execution)},
                   {"job", toJson(started->job)},
                   {"created", started->created}};
  if (!call.ctx.executions->attached()) {
    out["engine"] =
        json::object{{"attached", false},
                     {"message",
                      "the crew engine is not attached to this server: the execution is queued as pending and "
                      "will not advance until it is"}};
  }
  return Response::json(started->created ? 202 : 200, out);
}

core::Result<Response> listExecutions(Call& call) {
  auto page = parsePage(call.req);
  if (!page) return page.error();
  auto list = call.store().listExecutions(call.tenant(), pathId(call.req, "id"), *page);
  if (!list) return list.error();
  return Response::json(200, pageJson("executions", *list, *page));
}

core::Result<Response> getExecution(Call& call) {
  auto e = call.store().getExecution(call.tenant(), pathId(call.req, "id"), pathId(call.req, "eid"));
  if (!e) return e.error();
  return Response::json(200, withJob(call, *e));
}

core::Result<Response> cancelExecution(Call& call) {
  auto cancelled = call.ctx.executions->cancel(call.tenant(), pathId(call.req, "eid"), pathId(call.req, "id"));
  if (!cancelled) return cancelled.error();
  return Response::json(200, withJob(call, *cancelled));
}

core::Result<Response> resumeExecution(Call& call) {
  auto wf = pathId(call.req, "id");
  auto eid = pathId(call.req, "eid");
  auto e = call.store().getExecution(call.tenant(), wf, eid);
  if (!e) return e.error();
  auto resumed = call.ctx.executions->resume(call.tenant(), eid);
  if (!resumed) return resumed.error();
  return Response::json(202, withJob(call, *resumed));
}

core::Result<Response> compareExecutions(Call& call) {
  auto wf = pathId(call.req, "id");
  auto a = call.store().getExecution(call.tenant(), wf, pathId(call.req, "a"));
  if (!a) return a.error();
  auto b = call.store().getExecution(call.tenant(), wf, pathId(call.req, "b"));
  if (!b) return b.error();
  RunMetrics ma = executionMetrics(*a), mb = executionMetrics(*b);
  json::object out{{"workflow_id", wf}, {"a", ma.toJson()}, {"b", mb.toJson()}, {"differences", differences(ma, mb)}};
  return Response::json(200, out);
}

}  // namespace

void addExecutionRouteSchemas(SchemaMap& out) {
  out["StartExecution"] = parseSchema(R"({
      "type": "object", "additionalProperties": false,
      "properties": {"meta": {"type": "object", "description": "the client's labels (at most 16 KiB as JSON), kept with the execution and never read by the engine"},
        "inputs": {"$ref": "#/components/schemas/CrewInputs", "description": "a CrewAI crew's inputs, over the workflow's"}}})");
  out["JobWithAttempts"] = withProperties(out.at("ExecutionJob"), R"({"attempts_detail": {"type": "array",
      "items": {"type": "object", "additionalProperties": false, "required": ["attempt_no", "status", "worker", "error"],
        "properties": {"attempt_no": {"type": "integer"},
          "status": {"type": "string", "enum": ["running", "succeeded", "failed"]},
          "worker": {"type": "string"}, "error": {"type": "string"}}}}})");
  auto detail = withProperties(out.at("Execution"), R"({"job": {"$ref": "#/components/schemas/JobWithAttempts"}})");
  // An execution has a job unless it was made before jobs existed.
  auto& required = detail["required"].as_array();
  required.erase(std::find(required.begin(), required.end(), json::value("job")));
  out["ExecutionDetail"] = std::move(detail);
  out["ExecutionPage"] = pageSchema("executions", schemaRef("Execution"));
  out["StartedExecution"] = closedObject(R"({
      "execution": {"$ref": "#/components/schemas/Execution"}, "job": {"$ref": "#/components/schemas/ExecutionJob"},
      "created": {"type": "boolean", "description": "false: the Idempotency-Key named an existing execution"},
      "engine": {"type": "object", "additionalProperties": false, "required": ["attached", "message"],
        "properties": {"attached": {"type": "boolean"}, "message": {"type": "string"}},
        "description": "only when the crew engine is not attached"}})",
                                         {"engine"});
  out["ExecutionComparison"] = closedObject(R"({"workflow_id": {"type": "integer"},
      "a": {"$ref": "#/components/schemas/RunMetrics"}, "b": {"$ref": "#/components/schemas/RunMetrics"},
      "differences": {"$ref": "#/components/schemas/MetricsDifferences"}})");
}

void registerExecutionRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx) {
  const char* tag = "executions";
  addApiRoute(router, ctx,
              {"GET", "/workflows/{id:int}/executions", Access::kRead, "", "List a workflow's executions", tag},
              {.operation_id = "listExecutions", .response = "ExecutionPage", .query = {kPageParam, kPageSizeParam}},
              listExecutions);
  addApiRoute(router, ctx,
              {"GET", "/workflows/{id:int}/executions/{eid:int}", Access::kRead, "",
               "Get an execution with its job and attempts", tag},
              {.operation_id = "getExecution", .response = "ExecutionDetail"}, getExecution);
  addApiRoute(router, ctx,
              {"POST", "/workflows/{id:int}/executions/start", Access::kWrite, "execution.start",
               "Start an execution (Idempotency-Key header)", tag},
              {.operation_id = "startExecution",
               .request = "StartExecution",
               .request_required = false,
               .response = "StartedExecution",
               .status = 202,
               .also_200 = true},
              startExecution);
  addApiRoute(router, ctx,
              {"POST", "/workflows/{id:int}/execute", Access::kWrite, "execution.start",
               "Execute the workflow with its crew (same as executions/start)", tag},
              {.operation_id = "executeWorkflow",
               .request = "StartExecution",
               .request_required = false,
               .response = "StartedExecution",
               .status = 202,
               .also_200 = true},
              startExecution);
  addApiRoute(router, ctx,
              {"POST", "/workflows/{id:int}/executions/{eid:int}/cancel", Access::kWrite, "execution.cancel",
               "Cancel an execution that has not ended", tag},
              {.operation_id = "cancelExecution", .response = "ExecutionDetail"}, cancelExecution);
  addApiRoute(router, ctx,
              {"POST", "/workflows/{id:int}/executions/{eid:int}/resume", Access::kWrite, "execution.resume",
               "Resume an unfinished execution, or one that failed on its budget (raised)", tag},
              {.operation_id = "resumeExecution", .response = "ExecutionDetail", .status = 202}, resumeExecution);
  addApiRoute(router, ctx,
              {"GET", "/workflows/{id:int}/executions/{a:int}/compare/{b:int}", Access::kRead, "",
               "Compare two executions of a workflow", tag},
              {.operation_id = "compareExecutions", .response = "ExecutionComparison"}, compareExecutions);
}

}  // namespace codecrew::api
