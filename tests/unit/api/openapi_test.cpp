// The OpenAPI document and the router's routes never drift apart.
#include "api/openapi.h"
#include "api/gateway_routes.h"
#include "api/routes.h"
#include "api/schemas.h"

#include <gtest/gtest.h>
#include <boost/json/value.hpp>

#include <set>

namespace codecrew::api {
namespace json = boost::json;
namespace {

http::Router fullRouter() {
  http::Router router;
  auto ctx = std::make_shared<ApiContext>();
  // The /v1 routes too, as `serve` registers them (no gateway is called here).
  registerRoutes(router, ctx, [&](http::Router& r) { registerGatewayRoutes(r, ctx, nullptr); });
  return router;
}

std::string lower(std::string s) {
  for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

TEST(OpenApiTest, EveryRouteIsDocumentedAndNothingElse) {
  auto router = fullRouter();
  auto doc = buildOpenApi(router, "test");
  std::set<std::string> from_router, from_doc;
  for (const auto& r : router.routes()) from_router.insert(lower(r.method) + " " + openApiPath(r.pattern));
  for (const auto& [path, ops] : doc.at("paths").as_object())
    for (const auto& [method, op] : ops.as_object()) from_doc.insert(std::string(method) + " " + std::string(path));
  EXPECT_EQ(from_router, from_doc);
  EXPECT_GE(from_router.size(), 15u);
}

// Every $ref of a value, recursively.
void collectRefs(const json::value& v, std::set<std::string>& out) {
  if (v.is_object()) {
    for (const auto& [k, child] : v.as_object()) {
      if (k == "$ref" && child.is_string()) out.insert(std::string(child.as_string()));
      collectRefs(child, out);
    }
  } else if (v.is_array()) {
    for (const auto& child : v.as_array()) collectRefs(child, out);
  }
}

TEST(OpenApiTest, EveryReferenceResolvesToAComponent) {
  auto doc = buildOpenApi(fullRouter(), "test");
  std::set<std::string> refs;
  collectRefs(doc, refs);
  const auto& components = doc.at("components").at("schemas").as_object();
  EXPECT_GE(refs.size(), 40u);
  for (const auto& ref : refs) {
    ASSERT_TRUE(ref.starts_with("#/components/schemas/")) << ref;
    EXPECT_TRUE(components.contains(ref.substr(21))) << ref << " names no component";
  }
}

TEST(OpenApiTest, OperationIdsAreReadableAndUnique) {
  auto router = fullRouter();
  std::set<std::string> ids;
  for (const auto& r : router.routes()) {
    auto id = operationId(r);
    EXPECT_FALSE(r.options.doc.operation_id.empty()) << r.method << " " << r.pattern << " names no operationId";
    ASSERT_FALSE(id.empty());
    EXPECT_TRUE(std::islower(static_cast<unsigned char>(id[0]))) << id;
    for (char c : id) EXPECT_TRUE(std::isalnum(static_cast<unsigned char>(c))) << id;
    EXPECT_TRUE(ids.insert(id).second) << "operationId " << id << " is used twice";
  }
  auto doc = buildOpenApi(router, "test");
  const auto& paths = doc.at("paths").as_object();
  EXPECT_EQ(paths.at("/workflows").at("get").at("operationId").as_string(), "listWorkflows");
  EXPECT_EQ(paths.at("/workflows/{id}/executions/{eid}").at("get").at("operationId").as_string(), "getExecution");
  EXPECT_EQ(paths.at("/workflows/{id}/executions/start").at("post").at("operationId").as_string(), "startExecution");
}

TEST(OpenApiTest, AnOperationIdWithoutDocIsMadeFromThePath) {
  http::Router router;
  router.add("POST", "/v1/messages/count_tokens/{id:int}", [](http::Request&) { return http::Response{}; });
  EXPECT_EQ(operationId(router.routes().front()), "postV1MessagesCountTokens");
}

TEST(OpenApiTest, EveryJsonAnswerAndBodyIsASchema) {
  auto router = fullRouter();
  auto doc = buildOpenApi(router, "test");
  for (const auto& r : router.routes()) {
    const auto& d = r.options.doc;
    std::string what = r.method + " " + r.pattern;
    if (d.content_type == "application/json" && d.status != 204)
      EXPECT_FALSE(d.response.empty()) << what << " documents no success body";
    if (!d.response.empty()) EXPECT_TRUE(schemaComponents().contains(d.response)) << what;
    if (!d.request.empty()) EXPECT_TRUE(schemaComponents().contains(d.request)) << what;
    const auto& op = doc.at("paths").at(openApiPath(r.pattern)).at(lower(r.method)).as_object();
    bool has_2xx = false;
    for (const auto& [status, response] : op.at("responses").as_object()) has_2xx |= status.starts_with("2");
    if (!r.websocket_handler) EXPECT_TRUE(has_2xx) << what;
  }
  const auto& paths = doc.at("paths").as_object();
  for (const char* p : {"/workflows", "/sessions", "/generate", "/v1/chat/completions", "/v1/embeddings",
                        "/v1/messages", "/approvals/{id}/request-changes", "/sessions/{id}/update"})
    EXPECT_TRUE(paths.at(p).at("post").as_object().contains("requestBody")) << p;
  EXPECT_EQ(paths.at("/workflows")
                .at("get")
                .at("responses")
                .at("200")
                .at("content")
                .at("application/json")
                .at("schema")
                .at("$ref")
                .as_string(),
            "#/components/schemas/WorkflowPage");
  EXPECT_TRUE(paths.at("/v1/chat/completions")
                  .at("post")
                  .at("responses")
                  .at("200")
                  .at("content")
                  .as_object()
                  .contains("text/event-stream"));
}

std::set<std::string> queryNames(const json::object& doc, const char* path) {
  std::set<std::string> names;
  for (auto& p : doc.at("paths").at(path).at("get").at("parameters").as_array())
    if (p.at("in").as_string() == "query") names.insert(std::string(p.at("name").as_string()));
  return names;
}

TEST(OpenApiTest, QueryParametersOfApprovalsAndUsage) {
  auto doc = buildOpenApi(fullRouter(), "test");
  EXPECT_EQ(queryNames(doc, "/approvals"), (std::set<std::string>{"page", "page_size", "status", "execution_id"}));
  EXPECT_EQ(queryNames(doc, "/v1/usage"),
            (std::set<std::string>{"page", "page_size", "sort_by", "sort_dir", "model", "q", "date_from", "date_to"}));
  EXPECT_EQ(queryNames(doc, "/workflows"), (std::set<std::string>{"page", "page_size", "status"}));
}

TEST(OpenApiTest, PathParametersAndSecurity) {
  auto doc = buildOpenApi(fullRouter(), "1.2.3");
  EXPECT_EQ(doc.at("info").at("version").as_string(), "1.2.3");
  auto& op = doc.at("paths").at("/workflows/{id}/executions/{eid}").at("get").as_object();
  auto& params = op.at("parameters").as_array();
  ASSERT_GE(params.size(), 2u);
  EXPECT_EQ(params[0].at("name").as_string(), "id");
  EXPECT_EQ(params[0].at("schema").at("type").as_string(), "integer");
  EXPECT_FALSE(op.at("security").as_array().empty());
  EXPECT_TRUE(doc.at("paths").at("/health").at("get").at("security").as_array().empty());
  auto& llm = doc.at("paths").at("/conversations/{id}/llm-calls").at("get").at("parameters").as_array();
  std::set<std::string> names;
  for (auto& p : llm) names.insert(std::string(p.at("name").as_string()));
  for (const char* n : {"page", "page_size", "sort_by", "sort_dir", "model", "q", "date_from", "date_to"})
    EXPECT_TRUE(names.count(n)) << n;
}

TEST(OpenApiTest, WebUiCrewsAndWorkflowCalls) {
  auto doc = buildOpenApi(fullRouter(), "1.2.3");
  const auto& paths = doc.at("paths").as_object();
  for (const char* p : {"/", "/assets/{path}", "/{file}"})
    EXPECT_TRUE(paths.at(p).at("get").at("security").as_array().empty()) << p << " is public";
  EXPECT_FALSE(paths.at("/crews").at("get").at("security").as_array().empty());
  EXPECT_FALSE(paths.at("/crews/{name}").at("get").at("security").as_array().empty());
  std::set<std::string> names;
  for (auto& p : paths.at("/workflows/{id}/llm-calls").at("get").at("parameters").as_array())
    names.insert(std::string(p.at("name").as_string()));
  for (const char* n : {"id", "page", "page_size", "sort_by", "sort_dir", "model", "q", "date_from", "date_to",
                        "execution_id", "agent"})
    EXPECT_TRUE(names.count(n)) << n;
}

std::string refOf(const json::value& response) {
  return std::string(response.at("content").at("application/json").at("schema").at("$ref").as_string());
}

TEST(OpenApiTest, StreamTicketsHealthAndRateLimits) {
  auto doc = buildOpenApi(fullRouter(), "test");
  const auto& paths = doc.at("paths").as_object();
  const auto& ticket = paths.at("/workflows/{id}/stream-tickets").at("post").at("responses").as_object();
  EXPECT_EQ(refOf(ticket.at("201")), "#/components/schemas/StreamTicket");
  EXPECT_FALSE(ticket.contains("200"));
  EXPECT_EQ(refOf(ticket.at("429")), "#/components/schemas/Error");
  for (const char* p : {"/events/workflows/{id}", "/events/workflows/{id}/stream", "/ws/workflows/{id}"}) {
    std::set<std::string> names;
    for (auto& q : paths.at(p).at("get").at("parameters").as_array())
      names.insert(std::string(q.at("name").as_string()));
    EXPECT_TRUE(names.count("ticket")) << p;
  }
  const auto& health = paths.at("/health").at("get").at("responses").as_object();
  EXPECT_EQ(refOf(health.at("503")), "#/components/schemas/Health");
  EXPECT_FALSE(health.contains("429"));  // public
  EXPECT_FALSE(paths.at("/workflows/{id}").at("get").at("responses").as_object().contains("503"));
  EXPECT_EQ(refOf(paths.at("/workflows").at("get").at("responses").at("429")), "#/components/schemas/Error");
}

TEST(OpenApiTest, FromJiraAnswersInSeed001sShape) {
  auto doc = buildOpenApi(fullRouter(), "test");
  const auto& op = doc.at("paths").at("/workflows/from-jira/{story_id}").at("post").as_object();
  EXPECT_EQ(op.at("operationId").as_string(), "createWorkflowFromJira");
  const auto& answers = op.at("responses").as_object();
  EXPECT_EQ(refOf(answers.at("200")), "#/components/schemas/JiraWorkflowCreated");
  EXPECT_EQ(refOf(answers.at("404")), "#/components/schemas/JiraStoryFailure");
  EXPECT_EQ(refOf(answers.at("500")), "#/components/schemas/JiraStoryFailure");
  EXPECT_EQ(refOf(answers.at("403")), "#/components/schemas/Error");  // viewers: the house refusal
  // The optional body: where the story's work goes.
  ASSERT_TRUE(op.contains("requestBody"));
  EXPECT_FALSE(op.at("requestBody").at("required").as_bool());
  EXPECT_EQ(op.at("requestBody").at("content").at("application/json").at("schema").at("$ref").as_string(),
            "#/components/schemas/JiraWorkflowOptions");
}

TEST(OpenApiTest, GatewayRoutesInTheirDialects) {
  auto doc = buildOpenApi(fullRouter(), "test");
  const auto& paths = doc.at("paths").as_object();
  auto post = [&](const char* p) -> const json::object& { return paths.at(p).at("post").as_object(); };
  auto requestRef = [](const json::object& op) {
    return std::string(op.at("requestBody").at("content").at("application/json").at("schema").at("$ref").as_string());
  };
  EXPECT_EQ(requestRef(post("/v1/responses")), "#/components/schemas/ResponsesRequest");
  EXPECT_EQ(refOf(post("/v1/responses").at("responses").at("200")), "#/components/schemas/ResponsesResponse");
  EXPECT_TRUE(post("/v1/responses").at("responses").at("200").at("content").as_object().contains("text/event-stream"));
  EXPECT_EQ(requestRef(post("/v1/messages/count_tokens")), "#/components/schemas/CountTokensRequest");
  EXPECT_EQ(refOf(post("/v1/messages/count_tokens").at("responses").at("200")), "#/components/schemas/TokenCount");
  EXPECT_EQ(refOf(paths.at("/v1/models").at("get").at("responses").at("200")), "#/components/schemas/ModelList");
  // Errors in the dialect of the path.
  for (const char* p : {"/v1/messages", "/v1/messages/count_tokens"})
    EXPECT_EQ(refOf(post(p).at("responses").at("400")), "#/components/schemas/AnthropicError") << p;
  for (const char* p : {"/v1/chat/completions", "/v1/responses", "/v1/embeddings"}) {
    EXPECT_EQ(refOf(post(p).at("responses").at("401")), "#/components/schemas/OpenAiError") << p;
    EXPECT_EQ(refOf(post(p).at("responses").at("429")), "#/components/schemas/OpenAiError") << p;
  }
  const auto& schemas = doc.at("components").at("schemas").as_object();
  EXPECT_FALSE(schemas.contains("DialectError"));
  EXPECT_TRUE(schemas.contains("OpenAiError") && schemas.contains("AnthropicError"));
}

TEST(OpenApiTest, PathConversion) {
  EXPECT_EQ(openApiPath("/workflows/{id:int}/executions/{a:int}/compare/{b:int}"),
            "/workflows/{id}/executions/{a}/compare/{b}");
  EXPECT_EQ(openApiPath("/sessions/{sid}/files/{path:rest}"), "/sessions/{sid}/files/{path}");
}

}  // namespace
}  // namespace codecrew::api
