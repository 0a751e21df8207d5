// Executions of a workflow: list, get, start (Idempotency-Key), execute,
// cancel, resume, and compare two executions. With the crew engine attached
// (ctx.executions) start, cancel and resume drive it.
#include "api/json_input.h"
#include "api/render.h"
#include "api/route_support.h"
#include "api/routes.h"
#include "api/workflow_metrics.h"
#include "engine/execution_run.h"

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

core::Result<json::value> parseStartBody(const http::Request& req) {
  if (req.body.empty()) return json::value(json::object());
  auto in = JsonInput::parse(req.body);
  if (!in) return in.error();
  auto meta = in->object("meta", false);
  if (auto st = in->finish(); !st) return st.error();
  if (meta && meta->contains("workspace"))
    return core::Error::invalidArgument("meta.workspace is chosen by the server (each execution works in a "
                                        "workspace of its own); set the workflow's repository_url instead");
  return json::value(meta.value_or(json::object()));
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
        arr.push_back(json::object{{"attempt_no", a.attempt_no}, {"status", a.status}, {"worker", a.worker},
                                   {"error", a.error}});
    }
    jj["attempts_detail"] = std::move(arr);
    out["job"] = std::move(jj);
  }
  return out;
}

core::Result<Response> startExecution(Call& call) {
  auto wf = pathId(call.req, "id");
  auto key = idempotencyKey(call.req);
  if (!key) return key.error();
  auto meta = parseStartBody(call.req);
  if (!meta) return meta.error();
  auto workflow = call.store().getWorkflow(call.tenant(), wf);
  if (!workflow) return workflow.error();
  const auto& service = call.ctx.executions;
  if (service) {
    if (auto ok = service->checkStartable(*workflow); !ok) return ok.error();
  }
  auto created = call.store().createExecution(call.tenant(), wf, *key, *meta);
  if (!created) return created.error();
  store::Execution e = created->value;
  if (service && created->created) {
    auto started = service->start(call.tenant(), e);
    if (!started) return started.error();
    e = std::move(started).value();
  }
  auto job = call.store().getJobForExecution(call.tenant(), e.id);
  if (!job) return job.error();
  json::object out{{"execution", toJson(e)}, {"job", toJson(*job)}, {"created", created->created}};
  if (!service) {
    out["engine"] = json::object{
        {"attached", false},
        {"message", "the crew engine is not attached to this server: the execution is queued as pending and "
                    "will not advance until it is"}};
  }
  return Response::json(created->created ? 202 : 200, out);
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

// Without an engine there is nothing to stop: the execution is marked
// cancelled the way the engine marks one that is not running.
core::Status cancelStored(Call& call, core::Id wf, core::Id eid) {
  auto e = call.store().getExecution(call.tenant(), wf, eid);
  if (!e) return e.error();
  if (e->status == "completed" || e->status == "failed" || e->status == "cancelled")
    return core::Error::conflict("execution " + std::to_string(eid) + " has already ended (" + e->status + ")");
  return engine::ExecutionRun::markCancelled(call.store(), *call.ctx.clock, std::move(e).value());
}

core::Result<Response> cancelExecution(Call& call) {
  auto wf = pathId(call.req, "id");
  auto eid = pathId(call.req, "eid");
  auto e = call.store().getExecution(call.tenant(), wf, eid);
  if (!e) return e.error();
  auto st = call.ctx.executions ? call.ctx.executions->cancel(call.tenant(), eid) : cancelStored(call, wf, eid);
  if (!st) return st.error();
  auto now = call.store().getExecution(call.tenant(), wf, eid);
  if (!now) return now.error();
  // A running execution stops at its next step: 202 until it has.
  return Response::json(now->status == "cancelled" ? 200 : 202, withJob(call, *now));
}

core::Result<Response> resumeExecution(Call& call) {
  auto wf = pathId(call.req, "id");
  auto eid = pathId(call.req, "eid");
  auto e = call.store().getExecution(call.tenant(), wf, eid);
  if (!e) return e.error();
  if (!call.ctx.executions)
    return core::Error{core::ErrorCode::kFailedPrecondition,
                       "the crew engine is not attached to this server: nothing can resume", nullptr};
  if (auto st = call.ctx.executions->resume(call.tenant(), eid); !st) return st.error();
  auto now = call.store().getExecution(call.tenant(), wf, eid);
  if (!now) return now.error();
  return Response::json(202, withJob(call, *now));
}

core::Result<Response> compareExecutions(Call& call) {
  auto wf = pathId(call.req, "id");
  auto a = call.store().getExecution(call.tenant(), wf, pathId(call.req, "a"));
  if (!a) return a.error();
  auto b = call.store().getExecution(call.tenant(), wf, pathId(call.req, "b"));
  if (!b) return b.error();
  RunMetrics ma = executionMetrics(*a), mb = executionMetrics(*b);
  json::object out{{"workflow_id", wf},
                   {"a", ma.toJson()},
                   {"b", mb.toJson()},
                   {"differences", differences(ma, mb)}};
  return Response::json(200, out);
}

}  // namespace

void registerExecutionRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx) {
  const char* tag = "executions";
  addApiRoute(router, ctx, {"GET", "/workflows/{id:int}/executions", Access::kRead, "", "List a workflow's executions", tag}, listExecutions);
  addApiRoute(router, ctx, {"GET", "/workflows/{id:int}/executions/{eid:int}", Access::kRead, "", "Get an execution with its job and attempts", tag}, getExecution);
  addApiRoute(router, ctx, {"POST", "/workflows/{id:int}/executions/start", Access::kWrite, "execution.start", "Start an execution (Idempotency-Key header)", tag}, startExecution);
  addApiRoute(router, ctx, {"POST", "/workflows/{id:int}/execute", Access::kWrite, "execution.start", "Execute the workflow with its crew (same as executions/start)", tag}, startExecution);
  addApiRoute(router, ctx, {"POST", "/workflows/{id:int}/executions/{eid:int}/cancel", Access::kWrite, "execution.cancel", "Cancel an execution that has not ended", tag}, cancelExecution);
  addApiRoute(router, ctx, {"POST", "/workflows/{id:int}/executions/{eid:int}/resume", Access::kWrite, "execution.resume", "Resume an unfinished execution, or one that failed on its budget (raised)", tag}, resumeExecution);
  addApiRoute(router, ctx, {"GET", "/workflows/{id:int}/executions/{a:int}/compare/{b:int}", Access::kRead, "", "Compare two executions of a workflow", tag}, compareExecutions);
}

}  // namespace codecrew::api
