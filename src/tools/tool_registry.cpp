#include "tools/tool_registry.h"

#include "tools/builtin/builtin_tools.h"

#include <valijson/adapters/boost_json_adapter.hpp>
#include <valijson/schema.hpp>
#include <valijson/schema_parser.hpp>
#include <valijson/validator.hpp>

#include <stdexcept>

namespace codecrew::tools {

void ToolRegistry::add(std::unique_ptr<Tool> tool) {
  std::string name = tool->spec().name;
  if (!tools_.emplace(name, std::move(tool)).second) throw std::logic_error("duplicate tool name: " + name);
}

std::vector<ToolSpec> ToolRegistry::specs() const {
  std::vector<ToolSpec> out;
  for (const auto& [name, tool] : tools_) out.push_back(tool->spec());
  return out;
}

const Tool* ToolRegistry::find(std::string_view name) const {
  auto it = tools_.find(name);
  return it == tools_.end() ? nullptr : it->second.get();
}

core::Result<boost::json::value> ToolRegistry::invoke(std::string_view name, const boost::json::value& args,
                                                      ToolContext& context) const {
  const Tool* tool = find(name);
  if (!tool) return core::Error::notFound("no tool named '" + std::string(name) + "'");
  if (auto valid = validateAgainstSchema(tool->spec().parameters, args); !valid) {
    core::Error error = valid.error();
    error.message = "invalid arguments for " + std::string(name) + ": " + error.message;
    return error;
  }
  return tool->invoke(args.as_object(), context);
}

core::Status validateAgainstSchema(const boost::json::object& schemaJson, const boost::json::value& value) {
  valijson::Schema schema;
  valijson::SchemaParser parser;
  boost::json::value schemaValue(schemaJson);
  valijson::adapters::BoostJsonAdapter schemaAdapter(schemaValue);
  parser.populateSchema(schemaAdapter, schema);
  valijson::Validator validator;
  valijson::ValidationResults results;
  valijson::adapters::BoostJsonAdapter target(value);
  if (validator.validate(schema, target, &results)) return core::okStatus();
  boost::json::array errors;
  std::string message;
  valijson::ValidationResults::Error error;
  while (results.popError(error)) {
    std::string where;
    for (const auto& part : error.context) where += part;
    errors.push_back(boost::json::object{{"at", where}, {"problem", error.description}});
    if (!message.empty()) message += "; ";
    message += where + ": " + error.description;
  }
  return core::Error::invalidArgument(message, boost::json::object{{"errors", std::move(errors)}});
}

ToolRegistry makeDefaultToolRegistry() {
  ToolRegistry registry;
  addBuiltinTools(registry);
  return registry;
}

}  // namespace codecrew::tools
