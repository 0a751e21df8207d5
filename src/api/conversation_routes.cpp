// GET /conversations/{id} and GET /conversations/{id}/llm-calls (seed 001),
// and GET /workflows/{id}/llm-calls: every call of a workflow, with its agent.
#include "api/render.h"
#include "api/route_support.h"
#include "api/routes.h"
#include "api/schemas.h"
#include "core/time_format.h"

namespace codecrew::api {
namespace json = boost::json;
using http::Response;

namespace {

core::Result<Response> getConversation(Call& call) {
  auto id = pathId(call.req, "id");
  auto c = call.store().getConversation(call.tenant(), id);
  if (!c) return c.error();
  auto messages = call.store().listMessages(call.tenant(), id);
  if (!messages) return messages.error();
  store::LlmCallQuery q;
  q.conversation_id = id;
  auto totals = call.store().llmCallTotals(call.tenant(), q);
  if (!totals) return totals.error();
  json::object out = toJson(*c);
  json::array msgs;
  for (const auto& m : *messages) msgs.push_back(toJson(m));
  out["messages"] = std::move(msgs);
  out["llm_call_count"] = totals->calls;
  return Response::json(200, out);
}

}  // namespace

static core::Result<std::optional<core::Millis>> dateParam(const http::Request& req, const char* name) {
  auto v = req.queryParam(name);
  if (!v || v->empty()) return std::optional<core::Millis>();
  auto t = core::parseIso8601(*v);
  if (!t)
    return core::Error::invalidArgument(
        std::string(name) + " must be an ISO-8601 date or date-time (e.g. 2026-01-31 or 2026-01-31T12:00:00Z), got '" +
        *v + "'");
  return std::optional<core::Millis>(*t);
}

core::Result<store::LlmCallQuery> parseLlmCallQuery(const http::Request& req) {
  store::LlmCallQuery q;
  auto page = parsePage(req);
  if (!page) return page.error();
  q.page = *page;
  if (auto s = req.queryParam("sort_by")) q.sort_by = *s;
  static const char* kSorts[] = {"timestamp", "model", "total_tokens", "response_time_ms", "cost", "id"};
  bool known = false;
  for (auto* s : kSorts) known |= q.sort_by == s;
  if (!known)
    return core::Error::invalidArgument(
        "sort_by must be one of timestamp, model, total_tokens, response_time_ms, cost, id; got '" + q.sort_by + "'");
  if (auto d = req.queryParam("sort_dir")) {
    if (*d != "asc" && *d != "desc")
      return core::Error::invalidArgument("sort_dir must be asc or desc, got '" + *d + "'");
    q.descending = *d == "desc";
  }
  if (auto m = req.queryParam("model"); m && !m->empty()) q.model = *m;
  if (auto s = req.queryParam("q"); s && !s->empty()) {
    if (s->size() > 500) return core::Error::invalidArgument("q must be at most 500 characters");
    q.q = *s;
  }
  auto from = dateParam(req, "date_from");
  if (!from) return from.error();
  auto to = dateParam(req, "date_to");
  if (!to) return to.error();
  q.date_from = *from;
  q.date_to = *to;
  // A bare date as date_to means "through the end of that day".
  if (q.date_to && req.queryParam("date_to")->size() == 10) *q.date_to += 86'400'000 - 1;
  if (q.date_from && q.date_to && *q.date_from > *q.date_to)
    return core::Error::invalidArgument("date_from must not be after date_to");
  return q;
}

std::vector<http::QueryParamDoc> llmCallQueryDocs() {
  return {
      kPageParam,
      kPageSizeParam,
      {"sort_by", "string", "timestamp|model|total_tokens|response_time_ms|cost|id (default timestamp)"},
      {"sort_dir", "string", "asc|desc (default desc)"},
      {"model", "string", "exact model name"},
      {"q", "string",
       "substring of model, status, error code, request id, trace id or request/response data (at most 500 characters)"},
      {"date_from", "string", "ISO-8601 date or date-time, inclusive"},
      {"date_to", "string", "ISO-8601 date or date-time, inclusive (a bare date: through its end)"}};
}

namespace {

// {<owner>: id, total_tokens_used, total_cost, page, page_size, total, calls}.
Response callsPage(const char* owner, core::Id id, const store::LlmCallTotals& totals, const store::LlmCallQuery& q,
                   std::int64_t total, json::array calls) {
  json::object out{{owner, id},
                   {"total_tokens_used", totals.total_tokens},
                   {"total_cost", totals.total_cost},
                   {"page", q.page.page},
                   {"page_size", q.page.page_size},
                   {"total", total},
                   {"calls", std::move(calls)}};
  return Response::json(200, out);
}

core::Result<Response> listLlmCalls(Call& call) {
  auto id = pathId(call.req, "id");
  auto conv = call.store().getConversation(call.tenant(), id);
  if (!conv) return conv.error();
  auto q = parseLlmCallQuery(call.req);
  if (!q) return q.error();
  q->conversation_id = id;
  auto page = call.store().listLlmCalls(call.tenant(), *q);
  if (!page) return page.error();
  store::LlmCallQuery all;
  all.conversation_id = id;
  auto totals = call.store().llmCallTotals(call.tenant(), all);
  if (!totals) return totals.error();
  json::array calls;
  for (const auto& c : page->items) calls.push_back(toJson(c));
  return callsPage("conversation_id", id, *totals, *q, page->total, std::move(calls));
}

// The same listing over a whole workflow, with the execution_id and agent
// filters; each call says its agent.
core::Result<Response> listWorkflowLlmCalls(Call& call) {
  auto id = pathId(call.req, "id");
  auto q = parseLlmCallQuery(call.req);
  if (!q) return q.error();
  auto execution = queryId(call.req, "execution_id");
  if (!execution) return execution.error();
  q->execution_id = *execution;
  if (auto a = call.req.queryParam("agent"); a && !a->empty()) q->agent = *a;
  auto page = call.store().listWorkflowLlmCalls(call.tenant(), id, *q);
  if (!page) return page.error();
  store::LlmCallQuery all;
  all.workflow_id = id;
  auto totals = call.store().llmCallTotals(call.tenant(), all);
  if (!totals) return totals.error();
  json::array calls;
  for (const auto& c : page->items) {
    json::object one = toJson(c.call);
    one["agent"] = c.agent.empty() ? json::value(nullptr) : json::value(c.agent);
    calls.push_back(std::move(one));
  }
  return callsPage("workflow_id", id, *totals, *q, page->total, std::move(calls));
}

}  // namespace

void addConversationRouteSchemas(SchemaMap& out) {
  out["ConversationDetail"] = withProperties(out.at("Conversation"), R"({
      "messages": {"type": "array", "items": {"$ref": "#/components/schemas/Message"}},
      "llm_call_count": {"type": "integer"}})");
  constexpr std::string_view kTotals = R"({
      "total_tokens_used": {"type": "integer", "description": "over every call, whatever the filters"},
      "total_cost": {"type": "number", "description": "over every call, whatever the filters"}})";
  out["ConversationLlmCallPage"] = withProperties(withProperties(pageSchema("calls", schemaRef("LlmCall")),
                                                                 R"({"conversation_id": {"type": "integer"}})"),
                                                  kTotals);
  out["WorkflowLlmCall"] = withProperties(out.at("LlmCall"), R"({"agent": {"type": ["string", "null"],
      "description": "the agent of its conversation"}})");
  out["WorkflowLlmCallPage"] = withProperties(withProperties(pageSchema("calls", schemaRef("WorkflowLlmCall")),
                                                             R"({"workflow_id": {"type": "integer"}})"),
                                              kTotals);
}

void registerConversationRoutes(http::Router& router, std::shared_ptr<const ApiContext> ctx) {
  addApiRoute(router, ctx,
              {"GET", "/conversations/{id:int}", Access::kRead, "",
               "Get a conversation (one agent step) with its messages", "conversations"},
              {.operation_id = "getConversation", .response = "ConversationDetail"}, getConversation);
  addApiRoute(
      router, ctx,
      {"GET", "/conversations/{id:int}/llm-calls", Access::kRead, "",
       "A conversation's LLM calls: page, page_size, sort_by, sort_dir, model, q, date_from, date_to", "conversations"},
      {.operation_id = "listConversationLlmCalls", .response = "ConversationLlmCallPage", .query = llmCallQueryDocs()},
      listLlmCalls);
  auto workflow_query = llmCallQueryDocs();
  workflow_query.push_back({"execution_id", "integer", "only this execution's"});
  workflow_query.push_back({"agent", "string", "only the calls of this agent (its conversation's agent)"});
  addApiRoute(router, ctx,
              {"GET", "/workflows/{id:int}/llm-calls", Access::kRead, "",
               "A workflow's LLM calls with their agents: the conversation filters plus execution_id and agent",
               "workflows"},
              {.operation_id = "listWorkflowLlmCalls", .response = "WorkflowLlmCallPage", .query = workflow_query},
              listWorkflowLlmCalls);
}

}  // namespace codecrew::api
