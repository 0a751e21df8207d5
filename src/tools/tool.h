// Tool: one action an agent can take on its workspace, in the shape the
// engine's function calling needs: a spec (name, description and a JSON
// Schema for the arguments, which is what the model sees) and invoke(), which
// takes the validated arguments and returns a structured JSON result.
// ToolContext carries what a call may touch: the workspace, the sandbox, the
// git identity of the agent. Thread-safety: a Tool is immutable and may be
// invoked concurrently with different contexts; a ToolContext belongs to one
// call at a time.
#pragma once

#include "core/result.h"
#include "tools/git/git_repository.h"
#include "tools/sandbox/sandbox.h"
#include "tools/workspace/workspace.h"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <functional>
#include <string>

namespace codecrew::tools {

class SemanticSearch;

struct ToolSpec {
  std::string name;
  std::string description;
  boost::json::object parameters;  // JSON Schema (draft 7) of the arguments object
};

struct ToolContext {
  Workspace& workspace;
  Sandbox* sandbox = nullptr;  // run_command is refused when null
  bool allowNetwork = false;   // whether commands may use the network
  SandboxLimits limits;        // for run_command
  GitAuthor author{"codecrew agent", "agent@codecrew.local"};
  std::string baseCommit;  // git_diff's default base; empty: HEAD
  // The repository's semantic index (semantic_search); null: the tool ranks
  // the workspace by BM25 on the spot.
  SemanticSearch* semantic = nullptr;
};

class Tool {
 public:
  virtual ~Tool() = default;
  virtual const ToolSpec& spec() const = 0;
  // Runs the tool. args has already been validated against spec().parameters.
  virtual core::Result<boost::json::value> invoke(const boost::json::object& args, ToolContext& context) const = 0;
};

// A Tool made of a spec and a function; how the built-in tools are defined.
class FunctionTool : public Tool {
 public:
  using Function = std::function<core::Result<boost::json::value>(const boost::json::object&, ToolContext&)>;
  FunctionTool(ToolSpec spec, Function function) : spec_(std::move(spec)), function_(std::move(function)) {}
  const ToolSpec& spec() const override { return spec_; }
  core::Result<boost::json::value> invoke(const boost::json::object& args, ToolContext& context) const override {
    return function_(args, context);
  }

 private:
  ToolSpec spec_;
  Function function_;
};

}  // namespace codecrew::tools
