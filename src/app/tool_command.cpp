#include "app/tool_command.h"

#include "tools/sandbox/bubblewrap_sandbox.h"
#include "tools/tool_registry.h"
#include "tools/workspace/local_workspace.h"

#include <boost/json.hpp>

namespace codecrew::app {
using namespace codecrew::tools;
namespace {

void printSpecs(const ToolRegistry& registry, std::ostream& out) {
  boost::json::array specs;
  for (const auto& spec : registry.specs()) {
    specs.push_back(
        boost::json::object{{"name", spec.name}, {"description", spec.description}, {"parameters", spec.parameters}});
  }
  out << boost::json::serialize(specs) << "\n";
}

}  // namespace

int runToolCommand(const std::string& name, const std::string& workspace, const std::string& jsonArgs,
                   std::ostream& out, std::ostream& err) {
  const ToolRegistry registry = makeDefaultToolRegistry();
  if (name == "list") {
    printSpecs(registry, out);
    return 0;
  }
  if (!registry.find(name)) {
    err << "unknown tool '" << name << "'; `codecrew tool list` shows the tools\n";
    return 2;
  }
  boost::system::error_code ec;
  boost::json::value args = boost::json::parse(jsonArgs.empty() ? "{}" : jsonArgs, ec);
  if (ec) {
    err << "the arguments are not valid JSON: " << ec.message() << "\n";
    return 2;
  }
  auto ws = LocalWorkspace::open(workspace.empty() ? "." : workspace);
  if (!ws) {
    err << ws.error().message << "\n";
    return 2;
  }
  BubblewrapSandbox sandbox;
  ToolContext context{.workspace = **ws, .sandbox = &sandbox};
  auto result = registry.invoke(name, args, context);
  if (!result) {
    const core::Error& e = result.error();
    out << boost::json::serialize(boost::json::object{
               {"error", {{"code", core::errorCodeName(e.code)}, {"message", e.message}, {"details", e.details}}}})
        << "\n";
    return 1;
  }
  out << boost::json::serialize(*result) << "\n";
  return 0;
}

}  // namespace codecrew::app
