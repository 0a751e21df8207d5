// The JSON Schemas of the API's bodies, as the components of the OpenAPI
// document (#/components/schemas/<Name>). Each is declared once, beside the
// code that renders (or parses) that body: render.cpp beside toJson(), a
// route file beside the answer it composes. A route's registration names
// its request and response schemas (http::RouteDoc); the document and the
// tests that validate rendered samples (tests/unit/api/schemas_test.cpp)
// read the same map, so body and document cannot drift apart.
//
// Rendered objects are closed (additionalProperties false, every field
// required, nullable ones typed [T, "null"]): a field added to a renderer and
// not to its schema fails the tests.
// Thread-safety: schemaComponents() is built once, then read-only.
#pragma once

#include <boost/json/object.hpp>

#include <initializer_list>
#include <map>
#include <string>
#include <string_view>

namespace codecrew::api {

// Named schemas being declared. `set["Name"] = schema;` adds one; declaring a
// name twice, or reading one not declared yet, is a programmer error
// (std::logic_error).
class SchemaMap {
 public:
  struct Slot {
    SchemaMap& set;
    std::string name;
    void operator=(boost::json::object schema) { set.add(name, std::move(schema)); }
  };
  Slot operator[](std::string name) { return {*this, std::move(name)}; }
  void add(const std::string& name, boost::json::object schema);
  const boost::json::object& at(const std::string& name) const;
  bool contains(const std::string& name) const { return schemas_.count(name) > 0; }
  const std::map<std::string, boost::json::object>& all() const { return schemas_; }

 private:
  std::map<std::string, boost::json::object> schemas_;
};

// Every component: what the contributors below declare, in their order (a
// contributor may build on the schemas of those before it).
const SchemaMap& schemaComponents();

// {"$ref": "#/components/schemas/<name>"}.
boost::json::object schemaRef(std::string_view name);

// A closed object from its properties given as JSON text ({"id":
// {"type": "integer"}, ...}): every property required except those in
// `optional`, no others allowed.
boost::json::object closedObject(std::string_view properties, std::initializer_list<std::string_view> optional = {});

// `base` (a closed object schema) with more properties (JSON text), all required.
boost::json::object withProperties(boost::json::object base, std::string_view properties);

// {page, page_size, total, <key>: [item]}: the answer of api::pageJson().
boost::json::object pageSchema(std::string_view key, boost::json::object item);

// A JSON Schema written as JSON text.
boost::json::object parseSchema(std::string_view text);

// The contributors, one per file that renders or parses bodies.
void addRenderSchemas(SchemaMap& out);             // render.cpp
void addCrewRenderSchemas(SchemaMap& out);         // crew_render.cpp
void addCrewCodeRenderSchemas(SchemaMap& out);     // crewcode_render.cpp
void addMetricsSchemas(SchemaMap& out);            // workflow_metrics.cpp
void addWorkflowRouteSchemas(SchemaMap& out);      // workflow_routes.cpp
void addJiraRouteSchemas(SchemaMap& out);          // jira_routes.cpp
void addExecutionRouteSchemas(SchemaMap& out);     // execution_routes.cpp
void addApprovalRouteSchemas(SchemaMap& out);      // approval_routes.cpp
void addSearchRouteSchemas(SchemaMap& out);        // search_routes.cpp
void addConversationRouteSchemas(SchemaMap& out);  // conversation_routes.cpp
void addCrewRouteSchemas(SchemaMap& out);          // crew_routes.cpp
void addCrewCodeRouteSchemas(SchemaMap& out);      // crewcode_routes.cpp
void addOutputRouteSchemas(SchemaMap& out);        // output_routes.cpp
void addEventRouteSchemas(SchemaMap& out);         // event_routes.cpp
void addWebhookRouteSchemas(SchemaMap& out);       // webhook_routes.cpp
void addSystemRouteSchemas(SchemaMap& out);        // system_routes.cpp
void addGatewaySchemas(SchemaMap& out);            // gateway_schemas.cpp

}  // namespace codecrew::api
