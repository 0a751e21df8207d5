#include "tools/builtin/builtin_tools.h"
#include "tools/builtin/schema_builder.h"

#include <algorithm>

namespace codecrew::tools {
namespace {

using boost::json::object;
using boost::json::value;
using core::Result;

Result<value> runCommandTool(const object& args, ToolContext& ctx) {
  if (!ctx.sandbox) {
    return core::Error{core::ErrorCode::kFailedPrecondition, "run_command is not available: no sandbox is configured",
                       nullptr};
  }
  SandboxCommand command;
  command.argv = {"sh", "-c", schema::str(args, "command")};
  command.workspaceRoot = ctx.workspace.root();
  command.workingDirectory = schema::str(args, "working_directory");
  command.allowNetwork = ctx.allowNetwork;
  command.limits = ctx.limits;
  if (auto seconds = schema::num(args, "timeout_seconds", 0); seconds > 0) {
    command.limits.wallClock = std::min(command.limits.wallClock, std::chrono::milliseconds(seconds * 1000));
  }
  auto result = ctx.sandbox->run(command);
  if (!result) return result.error();
  object out{{"exit_code", result->exitCode ? value(*result->exitCode) : value(nullptr)},
             {"signal", result->signal ? value(*result->signal) : value(nullptr)},
             {"timed_out", result->timedOut},
             {"stdout", result->stdoutText},
             {"stderr", result->stderrText},
             {"stdout_truncated", result->stdoutTruncated},
             {"stderr_truncated", result->stderrTruncated},
             {"duration_ms", result->duration.count()}};
  return value(std::move(out));
}

}  // namespace

void addCommandTool(ToolRegistry& registry) {
  using schema::property;
  registry.add(std::make_unique<FunctionTool>(
      ToolSpec{"run_command",
               "Run a shell command (sh -c) in the sandbox, in the workspace (mounted at /workspace). "
               "No network unless the crew allows it; CPU, memory, process and time limits apply; output is capped.",
               schema::object({{"command", property("string", "The shell command line")},
                               {"working_directory", property("string", "Folder relative to the workspace root")},
                               {"timeout_seconds",
                                schema::integer("Wall-clock limit (capped by the crew's)", 1, 3600)}},
                              {"command"})},
      runCommandTool));
}

}  // namespace codecrew::tools
