#include "code/patch_apply.h"
#include "code/search_replace.h"
#include "tools/builtin/builtin_tools.h"
#include "tools/builtin/schema_builder.h"
#include "tools/builtin/workspace_change_set.h"

#include <map>

namespace codecrew::tools {
namespace {

using boost::json::object;
using boost::json::value;
using core::Result;

constexpr std::string_view kApplyPatchDescription =
    "Apply a unified diff (as `git diff` or `diff -u` writes it) to the workspace. One patch may touch several "
    "files: modify them, create them (`--- /dev/null`), delete them (`+++ /dev/null`) or rename them (git's "
    "`rename from`/`rename to`). Hunks may sit a few lines away from their header's line numbers and context "
    "lines may differ in whitespace; anything else must match. All or nothing: if one hunk does not apply, no "
    "file is changed and the error names the file, the hunk, why, and the nearest lines of the file. Returns "
    "each file changed with its action and where each hunk applied.";

constexpr std::string_view kPatchArgument =
    "The unified diff. Each file starts with `--- a/<path>` and `+++ b/<path>` lines (paths relative to the "
    "workspace root), followed by hunks: a `@@ -<old start>,<old count> +<new start>,<new count> @@` header, "
    "then lines starting with ' ' (context), '-' (removed) or '+' (added). Include about three context lines "
    "around each change.";

constexpr std::string_view kEditFileDescription =
    "Edit files with search/replace blocks: each block replaces one exact, unique run of whole lines of a file "
    "with new lines. Give enough SEARCH lines to be unique; copy them exactly (small whitespace or "
    "indentation differences are tolerated). An empty SEARCH creates the file or appends to it. Several blocks "
    "may edit several files; they apply in order, all or nothing: if a SEARCH matches nowhere or more than "
    "once, no file is changed and the error names the block and shows the closest lines of the file.";

constexpr std::string_view kBlocksArgument =
    "One or more blocks, each in this form (the file's path on the line before the block; a fence line "
    "such as ```python between the path and the block is allowed; a block without a path line edits the same "
    "file as the block before it):\n"
    "path/to/file.py\n"
    "<<<<<<< SEARCH\n"
    "the existing lines to find\n"
    "=======\n"
    "the lines to put in their place\n"
    ">>>>>>> REPLACE";

std::string summarize(const std::vector<CommittedChange>& changes) {
  std::map<std::string, int> counts;
  for (const auto& c : changes) ++counts[c.action];
  std::string parts;
  for (std::string_view action : {"created", "modified", "deleted", "unchanged"}) {
    auto it = counts.find(std::string(action));
    if (it == counts.end()) continue;
    if (!parts.empty()) parts += ", ";
    parts += std::to_string(it->second) + " " + std::string(action);
  }
  return std::to_string(changes.size()) + (changes.size() == 1 ? " file: " : " files: ") + parts;
}

// Runs an applier through a change set and commits its result; the change
// set's read refusal (an escaping path) explains a failure better than the
// applier's own error, so it wins.
template <typename Apply>
Result<std::vector<CommittedChange>> applyAndCommit(Workspace& workspace, Apply&& apply) {
  WorkspaceChangeSet changeSet(workspace);
  Result<std::vector<code::FileChange>> applied = apply(changeSet.source());
  if (changeSet.readFailure()) return *changeSet.readFailure();
  if (!applied) return std::move(applied).error();
  return changeSet.commit(*applied);
}

Result<value> applyPatchTool(const object& args, ToolContext& ctx) {
  const std::string patch = schema::str(args, "patch");
  bool hadFiles = true;
  auto committed = applyAndCommit(ctx.workspace, [&](const code::FileSource& source) {
    auto changes = code::applyPatchText(patch, source);
    if (changes && changes->empty()) hadFiles = false;
    return changes;
  });
  if (!committed) return std::move(committed).error();
  if (!hadFiles) {
    return core::Error::invalidArgument(
        "the patch holds no file sections; each file needs `--- a/<path>` and `+++ b/<path>` lines before its "
        "hunks");
  }
  return value(object{{"files", committedChangesToJson(*committed)}, {"summary", summarize(*committed)}});
}

Result<value> editFileTool(const object& args, ToolContext& ctx) {
  auto blocks = code::parseSearchReplaceBlocks(schema::str(args, "blocks"));
  if (!blocks) return std::move(blocks).error();
  if (blocks->empty()) {
    return core::Error::invalidArgument(
        "no search/replace blocks found; each block is a path line, then `<<<<<<< SEARCH`, the lines to find, "
        "`=======`, the new lines, and `>>>>>>> REPLACE`");
  }
  auto committed = applyAndCommit(ctx.workspace, [&](const code::FileSource& source) {
    return code::applySearchReplaceBlocks(*blocks, source);
  });
  if (!committed) return std::move(committed).error();
  boost::json::array files = committedChangesToJson(*committed);
  for (auto& file : files) {
    boost::json::array indexes;
    for (const auto& block : *blocks) {
      if (block.path == file.as_object().at("path").as_string()) indexes.push_back(block.index);
    }
    file.as_object()["blocks"] = std::move(indexes);
  }
  return value(object{{"files", std::move(files)}, {"summary", summarize(*committed)}});
}

}  // namespace

void addEditTools(ToolRegistry& registry) {
  registry.add(std::make_unique<FunctionTool>(
      ToolSpec{"apply_patch", std::string(kApplyPatchDescription),
               schema::object({{"patch", schema::property("string", kPatchArgument)}}, {"patch"})},
      applyPatchTool));
  registry.add(std::make_unique<FunctionTool>(
      ToolSpec{"edit_file", std::string(kEditFileDescription),
               schema::object({{"blocks", schema::property("string", kBlocksArgument)}}, {"blocks"})},
      editFileTool));
}

}  // namespace codecrew::tools
