// ToolRegistry: the set of tools offered to agents, looked up by name. It
// validates a call's arguments against the tool's JSON Schema before invoking
// it, so tools only ever see well-formed arguments and a model gets a clear
// message when its call does not fit the schema.
// Thread-safety: add() during setup only; afterwards specs(), find() and
// invoke() may be called concurrently.
#pragma once

#include "tools/tool.h"

#include <map>
#include <memory>
#include <vector>

namespace codecrew::tools {

class ToolRegistry {
 public:
  // Adds a tool; a second tool with the same name is a programmer error.
  void add(std::unique_ptr<Tool> tool);
  std::vector<ToolSpec> specs() const;
  const Tool* find(std::string_view name) const;
  // kNotFound for an unknown tool; kInvalidArgument (details.errors lists each
  // schema violation) for arguments that do not match the schema.
  core::Result<boost::json::value> invoke(std::string_view name, const boost::json::value& args,
                                          ToolContext& context) const;

 private:
  std::map<std::string, std::unique_ptr<Tool>, std::less<>> tools_;
};

// Checks a JSON value against a JSON Schema (valijson); kInvalidArgument lists
// every violation with its location.
core::Status validateAgainstSchema(const boost::json::object& schema, const boost::json::value& value);

// A registry with every built-in tool (see builtin/builtin_tools.h).
ToolRegistry makeDefaultToolRegistry();

}  // namespace codecrew::tools
