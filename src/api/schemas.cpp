#include "api/schemas.h"

#include <boost/json/parse.hpp>

#include <stdexcept>

namespace codecrew::api {
namespace json = boost::json;

json::object parseSchema(std::string_view text) { return json::parse(text).as_object(); }

json::object schemaRef(std::string_view name) { return {{"$ref", "#/components/schemas/" + std::string(name)}}; }

json::object closedObject(std::string_view properties, std::initializer_list<std::string_view> optional) {
  json::object props = parseSchema(properties);
  json::array required;
  for (const auto& [name, schema] : props) {
    bool is_optional = false;
    for (auto o : optional) is_optional |= o == std::string_view(name);
    if (!is_optional) required.emplace_back(name);
  }
  return {{"type", "object"},
          {"additionalProperties", false},
          {"required", std::move(required)},
          {"properties", std::move(props)}};
}

json::object withProperties(json::object base, std::string_view properties) {
  auto& props = base["properties"].as_object();
  auto& required = base["required"].as_array();
  for (auto& [name, schema] : parseSchema(properties)) {
    props[name] = schema;
    required.emplace_back(name);
  }
  return base;
}

json::object pageSchema(std::string_view key, json::object item) {
  json::object out = closedObject(R"({"page": {"type": "integer", "minimum": 1},
      "page_size": {"type": "integer", "minimum": 1, "maximum": 200},
      "total": {"type": "integer", "minimum": 0, "description": "items in every page"}})");
  out["properties"].as_object()[key] = json::object{{"type", "array"}, {"items", std::move(item)}};
  out["required"].as_array().emplace_back(key);
  return out;
}

void SchemaMap::add(const std::string& name, json::object schema) {
  if (!schemas_.emplace(name, std::move(schema)).second)
    throw std::logic_error("schema component " + name + " is declared twice");
}

const json::object& SchemaMap::at(const std::string& name) const {
  auto it = schemas_.find(name);
  if (it == schemas_.end()) throw std::logic_error("schema component " + name + " is not declared (yet)");
  return it->second;
}

const SchemaMap& schemaComponents() {
  static const SchemaMap kAll = [] {
    SchemaMap all;
    using Contributor = void (*)(SchemaMap&);
    for (Contributor add :
         {addRenderSchemas, addCrewRenderSchemas, addCrewCodeRenderSchemas, addMetricsSchemas, addWorkflowRouteSchemas,
          addJiraRouteSchemas, addExecutionRouteSchemas, addApprovalRouteSchemas, addConversationRouteSchemas,
          addSearchRouteSchemas, addCrewRouteSchemas, addCrewCodeRouteSchemas, addOutputRouteSchemas,
          addEventRouteSchemas, addWebhookRouteSchemas, addSystemRouteSchemas, addGatewaySchemas})
      add(all);
    return all;
  }();
  return kAll;
}

}  // namespace codecrew::api
