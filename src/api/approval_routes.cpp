// Approval gates (SPEC §7, seed 002 HITL): list and get them, and approve,
// reject or request changes; a decision wakes the waiting execution.
#include "api/json_input.h"
#include "api/render.h"
#include "api/route_support.h"
#include "api/routes.h"
#include "api/schemas.h"
#include "engine/execution_service.h"

namespace codecrew::api {
namespace json = boost::json;
using http::Response;

namespace {

constexpr std::size_t kMaxComment = 20000;

core::Result<Response> listApprovals(Call& call) {
  auto page = parsePage(call.req);
  if (!page) return page.error();
  std::optional<store::ApprovalStatus> status = store::ApprovalStatus::kPending;
  if (auto s = call.req.queryParam("status")) {
    if (*s == "all") status.reset();
    else if (!(status = store::parseApprovalStatus(*s)))
      return core::Error::invalidArgument("status must be pending, approved, rejected, changes_requested or all");
  }
  auto execution = queryId(call.req, "execution_id");
  if (!execution) return execution.error();
  auto list = call.store().listApprovals(call.tenant(), status, *execution, *page);
  if (!list) return list.error();
  return Response::json(200, pageJson("approvals", *list, *page));
}

core::Result<Response> getApproval(Call& call) {
  auto a = call.store().getApproval(call.tenant(), pathId(call.req, "id"));
  if (!a) return a.error();
  return Response::json(200, toJson(*a));
}

std::string reviewerOf(const Call& call) {
  return call.principal.api_key_id ? "key:" + std::to_string(*call.principal.api_key_id) : "dev";
}

core::Result<Response> decide(Call& call, engine::ApprovalDecision decision) {
  std::string comment;
  if (!call.req.body.empty()) {
    auto in = JsonInput::parse(call.req.body);
    if (!in) return in.error();
    const bool changes = decision == engine::ApprovalDecision::kRequestChanges;
    auto c = in->string("comment", changes, changes ? 1 : 0, kMaxComment);
    if (auto st = in->finish(); !st) return st.error();
    comment = c.value_or("");
  } else if (decision == engine::ApprovalDecision::kRequestChanges) {
    return core::Error::invalidArgument("a request for changes needs a body {\"comment\": \"what to change\"}");
  }
  engine::DecideRequest request;
  request.tenant_id = call.tenant();
  request.approval_id = pathId(call.req, "id");
  request.decision = decision;
  request.reviewer = reviewerOf(call);
  request.comment = std::move(comment);
  auto decided = call.ctx.executions->decide(request);
  if (!decided) return decided.error();
  return Response::json(200, toJson(*decided));
}

}  // namespace

void addApprovalRouteSchemas(SchemaMap& out) {
  out["ApprovalPage"] = pageSchema("approvals", schemaRef("Approval"));
  out["ApprovalDecision"] = parseSchema(R"({
      "type": "object", "additionalProperties": false,
      "properties": {"comment": {"type": "string", "maxLength": 20000,
        "description": "the reviewer's comment; required (non-empty) to request changes"}}})");
}

void registerApprovalRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx) {
  const char* tag = "approvals";
  addApiRoute(
      router, ctx,
      {"GET", "/approvals", Access::kRead, "",
       "List approval gates (status=pending|approved|rejected|changes_requested|all, execution_id, page, page_size)",
       tag},
      {.operation_id = "listApprovals",
       .response = "ApprovalPage",
       .query = {kPageParam,
                 kPageSizeParam,
                 {"status", "string", "pending (the default), approved, rejected, changes_requested or all"},
                 {"execution_id", "integer", "only this execution's"}}},
      listApprovals);
  addApiRoute(router, ctx, {"GET", "/approvals/{id:int}", Access::kRead, "", "Get an approval gate", tag},
              {.operation_id = "getApproval", .response = "Approval"}, getApproval);
  auto decision = [](const char* id, bool comment_required) {
    return http::RouteDoc{.operation_id = id,
                          .request = "ApprovalDecision",
                          .request_required = comment_required,
                          .response = "Approval"};
  };
  addApiRoute(router, ctx,
              {"POST", "/approvals/{id:int}/approve", Access::kWrite, "approval.approve",
               "Approve a pending gate; the execution continues", tag},
              decision("approveGate", false),
              [](Call& call) { return decide(call, engine::ApprovalDecision::kApprove); });
  addApiRoute(router, ctx,
              {"POST", "/approvals/{id:int}/reject", Access::kWrite, "approval.reject",
               "Reject a pending gate; the execution fails", tag},
              decision("rejectGate", false),
              [](Call& call) { return decide(call, engine::ApprovalDecision::kReject); });
  addApiRoute(router, ctx,
              {"POST", "/approvals/{id:int}/request-changes", Access::kWrite, "approval.request_changes",
               "Ask for changes (comment required); the stage loops back with it", tag},
              decision("requestChanges", true),
              [](Call& call) { return decide(call, engine::ApprovalDecision::kRequestChanges); });
}

}  // namespace codecrew::api
