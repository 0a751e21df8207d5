#include "tools/builtin/builtin_tools.h"
#include "tools/builtin/schema_builder.h"

namespace codecrew::tools {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;
using core::Result;

array filesJson(const std::vector<ChangedFile>& files) {
  array out;
  for (const auto& f : files) {
    object entry{{"path", f.path}, {"change", changeKindName(f.kind)}};
    if (f.oldPath != f.path) entry["old_path"] = f.oldPath;
    out.push_back(std::move(entry));
  }
  return out;
}

Result<value> gitStatusTool(const object&, ToolContext& ctx) {
  auto repo = GitRepository::open(ctx.workspace.root());
  if (!repo) return repo.error();
  auto files = repo->status();
  if (!files) return files.error();
  auto branch = repo->currentBranch();
  auto head = repo->headCommit();
  return value(object{{"branch", branch ? value(*branch) : value(nullptr)},
                      {"head", head ? value(*head) : value(nullptr)},
                      {"files", filesJson(*files)}});
}

Result<value> gitDiffTool(const object& args, ToolContext& ctx) {
  auto repo = GitRepository::open(ctx.workspace.root());
  if (!repo) return repo.error();
  std::string base = schema::str(args, "base", ctx.baseCommit);
  if (base.empty()) {
    auto head = repo->headCommit();
    if (!head) return head.error();
    base = *head;
  }
  auto diff = repo->diffAgainst(base);
  if (!diff) return diff.error();
  auto files = repo->changedFilesSince(base);
  if (!files) return files.error();
  return value(object{{"base", base}, {"files", filesJson(*files)}, {"diff", *diff}});
}

Result<value> gitCommitTool(const object& args, ToolContext& ctx) {
  auto repo = GitRepository::open(ctx.workspace.root());
  if (!repo) return repo.error();
  auto sha = repo->commitAll(ctx.author, schema::str(args, "message"));
  if (!sha) return sha.error();
  auto branch = repo->currentBranch();
  return value(object{{"commit", *sha}, {"branch", branch ? value(*branch) : value(nullptr)}});
}

}  // namespace

void addGitTools(ToolRegistry& registry) {
  using schema::property;
  registry.add(
      std::make_unique<FunctionTool>(ToolSpec{"git_status",
                                              "The current branch, HEAD commit and the files changed since HEAD.",
                                              schema::object({}, {})},
                                     gitStatusTool));
  registry.add(std::make_unique<FunctionTool>(
      ToolSpec{"git_diff", "Unified diff of the working tree against a base commit (default: the execution's base).",
               schema::object({{"base", property("string", "Commit sha or ref to diff against")}}, {})},
      gitDiffTool));
  registry.add(std::make_unique<FunctionTool>(
      ToolSpec{"git_commit", "Stage every change and commit it as the agent on the current branch.",
               schema::object({{"message", {{"type", "string"}, {"minLength", 1}, {"description", "Commit message"}}}},
                              {"message"})},
      gitCommitTool));
}

}  // namespace codecrew::tools
