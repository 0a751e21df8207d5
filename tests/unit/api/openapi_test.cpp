// The OpenAPI document and the router's routes never drift apart.
#include "api/openapi.h"
#include "api/routes.h"

#include <gtest/gtest.h>

#include <set>

namespace codecrew::api {
namespace {

http::Router fullRouter() {
  http::Router router;
  registerRoutes(router, std::make_shared<ApiContext>());
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

TEST(OpenApiTest, BodySchemasNameRealRoutes) {
  auto router = fullRouter();
  std::set<std::string> keys;
  for (const auto& r : router.routes()) keys.insert(r.method + " " + r.pattern);
  for (const auto& [key, schema] : requestBodySchemas()) {
    EXPECT_TRUE(keys.count(key)) << "schema for a route that does not exist: " << key;
    EXPECT_EQ(schema.at("type").as_string(), "object");
  }
  EXPECT_TRUE(requestBodySchemas().count("POST /workflows"));
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

TEST(OpenApiTest, PathConversion) {
  EXPECT_EQ(openApiPath("/workflows/{id:int}/executions/{a:int}/compare/{b:int}"),
            "/workflows/{id}/executions/{a}/compare/{b}");
  EXPECT_EQ(openApiPath("/sessions/{sid}/files/{path:rest}"), "/sessions/{sid}/files/{path}");
}

}  // namespace
}  // namespace codecrew::api
