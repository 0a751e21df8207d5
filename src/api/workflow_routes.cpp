// GET/POST /workflows, GET/DELETE /workflows/{id}, GET /workflows/{id}/compare.
#include "api/json_input.h"
#include "api/render.h"
#include "api/route_support.h"
#include "api/routes.h"
#include "api/schemas.h"
#include "api/workflow_metrics.h"
#include "engine/crew_inputs.h"

#include <map>
#include <vector>

namespace codecrew::api {
namespace json = boost::json;
using http::Response;

namespace {

core::Result<Response> listWorkflows(Call& call) {
  auto page = parsePage(call.req);
  if (!page) return page.error();
  store::WorkflowFilter filter{*page, std::nullopt};
  if (auto s = call.req.queryParam("status")) {
    filter.status = store::parseRunStatus(*s);
    if (!filter.status)
      return core::Error::invalidArgument(
          "status must be one of pending, running, waiting_approval, completed, failed, cancelled");
  }
  auto result = call.store().listWorkflows(call.tenant(), filter);
  if (!result) return result.error();
  // Each workflow with its newest execution (stage, tokens, cost) or null,
  // from one query for the page, so a list needs no request per row.
  std::vector<store::Id> ids;
  for (const auto& w : result->items) ids.push_back(w.id);
  auto latest = call.store().latestExecutions(call.tenant(), ids);
  if (!latest) return latest.error();
  std::map<store::Id, json::object> by_workflow;
  for (const auto& e : *latest) by_workflow.emplace(e.workflow_id, toJson(e));
  json::object out = pageJson("workflows", *result, *page);
  for (auto& item : out["workflows"].as_array()) {
    auto& w = item.as_object();
    auto it = by_workflow.find(w["id"].as_int64());
    w["latest_execution"] = it != by_workflow.end() ? json::value(std::move(it->second)) : json::value(nullptr);
  }
  return Response::json(200, out);
}

core::Result<store::Workflow> parseNewWorkflow(Call& call) {
  auto in = JsonInput::parse(call.req.body);
  if (!in) return in.error();
  store::Workflow w;
  w.tenant_id = call.tenant();
  auto name = in->string("name", true, 1, 200);
  auto description = in->string("description", false, 0, 100'000);
  auto jira = in->string("jira_story_id", false, 1, 64);
  auto repo = in->string("repository_url", false, 0, 2048);
  auto crew = in->string("crew", false, 1, 64);
  auto project = in->integer("project_id", false, 1, INT64_MAX);
  auto inputs = in->object("inputs", false);
  if (auto st = in->finish(); !st) return st.error();
  if (inputs) {
    auto parsed = engine::crewInputsFromJson(json::value(std::move(*inputs)));
    if (!parsed) return parsed.error();
    w.inputs = engine::crewInputsToJson(*parsed);
  }
  w.name = *name;
  w.description = description.value_or("");
  w.jira_story_id = jira;
  w.repository_url = repo.value_or("");
  if (crew) w.crew = *crew;
  if (project) {
    auto p = call.store().getProject(call.tenant(), *project);
    if (!p) return core::Error::invalidArgument("project_id " + std::to_string(*project) + " does not exist");
    w.project_id = *project;
  }
  return w;
}

core::Result<Response> createWorkflow(Call& call) {
  auto w = parseNewWorkflow(call);
  if (!w) return w.error();
  auto created = call.store().createWorkflow(*w);
  if (!created) return created.error();
  return Response::json(created->created ? 201 : 200, toJson(created->value));
}

core::Result<Response> getWorkflow(Call& call) {
  auto id = pathId(call.req, "id");
  auto w = call.store().getWorkflow(call.tenant(), id);
  if (!w) return w.error();
  auto convs = call.store().listConversations(call.tenant(), id);
  if (!convs) return convs.error();
  auto files = call.store().listCodeFiles(call.tenant(), id, std::nullopt);
  if (!files) return files.error();
  json::object out = toJson(*w);
  json::array conversations;
  for (const auto& c : *convs) {
    json::object cj = toJson(c);
    json::array cfiles;
    for (const auto& f : *files)
      if (f.conversation_id == c.id) cfiles.push_back(toJson(f));
    cj["code_files"] = std::move(cfiles);
    conversations.push_back(std::move(cj));
  }
  json::array all_files;
  for (const auto& f : *files) all_files.push_back(toJson(f));
  out["conversations"] = std::move(conversations);
  out["code_files"] = std::move(all_files);
  return Response::json(200, out);
}

core::Result<Response> deleteWorkflow(Call& call) {
  auto st = call.store().deleteWorkflow(call.tenant(), pathId(call.req, "id"));
  if (!st) return st.error();
  Response r;
  r.status = 204;
  r.content_type.clear();
  return r;
}

core::Result<Response> compareWorkflows(Call& call) {
  auto id = pathId(call.req, "id");
  auto with = call.req.queryParam("with");
  if (!with) return core::Error::invalidArgument("query parameter 'with' (the other workflow's id) is required");
  auto other = core::parseId(*with);
  if (!other) return core::Error::notFound("'" + *with + "' is not a valid workflow id: ids are positive integers");
  auto a = workflowMetrics(call.store(), call.store(), call.tenant(), id);
  if (!a) return a.error();
  auto b = workflowMetrics(call.store(), call.store(), call.tenant(), *other);
  if (!b) return b.error();
  json::object out{{"workflow", a->toJson()}, {"with", b->toJson()}, {"differences", differences(*a, *b)}};
  return Response::json(200, out);
}

}  // namespace

void addWorkflowRouteSchemas(SchemaMap& out) {
  out["NewWorkflow"] = parseSchema(R"({
      "type": "object", "additionalProperties": false, "required": ["name"],
      "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 200},
        "description": {"type": "string", "maxLength": 100000, "description": "the goal"},
        "jira_story_id": {"type": "string", "minLength": 1, "maxLength": 64},
        "repository_url": {"type": "string", "maxLength": 2048},
        "crew": {"type": "string", "minLength": 1, "maxLength": 64, "default": "sdlc"},
        "project_id": {"type": "integer", "minimum": 1},
        "inputs": {"$ref": "#/components/schemas/CrewInputs"}}})");
  out["WorkflowListItem"] = withProperties(out.at("Workflow"), R"({"latest_execution":
      {"oneOf": [{"$ref": "#/components/schemas/Execution"}, {"type": "null"}],
       "description": "its newest execution, null before the first"}})");
  out["WorkflowPage"] = pageSchema("workflows", schemaRef("WorkflowListItem"));
  out["WorkflowDetail"] = withProperties(out.at("Workflow"), R"({
      "conversations": {"type": "array", "items": {"$ref": "#/components/schemas/ConversationWithFiles"}},
      "code_files": {"type": "array", "items": {"$ref": "#/components/schemas/CodeFile"}}})");
  out["ConversationWithFiles"] = withProperties(out.at("Conversation"), R"({
      "code_files": {"type": "array", "items": {"$ref": "#/components/schemas/CodeFile"}}})");
  out["WorkflowComparison"] = closedObject(R"({"workflow": {"$ref": "#/components/schemas/RunMetrics"},
      "with": {"$ref": "#/components/schemas/RunMetrics"},
      "differences": {"$ref": "#/components/schemas/MetricsDifferences"}})");
}

void registerWorkflowRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx) {
  addApiRoute(router, ctx,
              {"GET", "/workflows", Access::kRead, "", "List workflows (paged, filter by status)", "workflows"},
              {.operation_id = "listWorkflows",
               .response = "WorkflowPage",
               .query = {kPageParam,
                         kPageSizeParam,
                         {"status", "string",
                          "only workflows of this status: pending, running, waiting_approval, completed, failed or "
                          "cancelled"}}},
              listWorkflows);
  addApiRoute(router, ctx,
              {"POST", "/workflows", Access::kWrite, "workflow.create",
               "Create a workflow (idempotent on jira_story_id)", "workflows"},
              {.operation_id = "createWorkflow",
               .request = "NewWorkflow",
               .response = "Workflow",
               .status = 201,
               .also_200 = true},
              createWorkflow);
  addApiRoute(router, ctx,
              {"GET", "/workflows/{id:int}", Access::kRead, "", "Get a workflow with its conversations and code files",
               "workflows"},
              {.operation_id = "getWorkflow", .response = "WorkflowDetail"}, getWorkflow);
  addApiRoute(router, ctx,
              {"DELETE", "/workflows/{id:int}", Access::kWrite, "workflow.delete",
               "Delete a workflow and everything in it", "workflows"},
              {.operation_id = "deleteWorkflow", .status = 204, .content_type = ""}, deleteWorkflow);
  addApiRoute(router, ctx,
              {"GET", "/workflows/{id:int}/compare", Access::kRead, "",
               "Compare two workflows' aggregate metrics (?with=<id2>)", "workflows"},
              {.operation_id = "compareWorkflows",
               .response = "WorkflowComparison",
               .query = {{"with", "integer", "the other workflow's id (required)"}}},
              compareWorkflows);
}

}  // namespace codecrew::api
