// The built-in tools agents get: files (read_file, write_file, list_files,
// move_file, delete_file), search (search_text, find_symbol, repo_map,
// semantic_search),
// edits (apply_patch for unified diffs, edit_file for search/replace blocks),
// run_command (in the sandbox) and git (git_status, git_diff, git_commit).
// Thread-safety: call during setup, before the registry is shared.
#pragma once

#include "tools/tool_registry.h"

namespace codecrew::tools {

void addFileTools(ToolRegistry& registry);
void addSearchTools(ToolRegistry& registry);
void addEditTools(ToolRegistry& registry);
void addCommandTool(ToolRegistry& registry);
void addGitTools(ToolRegistry& registry);

inline void addBuiltinTools(ToolRegistry& registry) {
  addFileTools(registry);
  addSearchTools(registry);
  addEditTools(registry);
  addCommandTool(registry);
  addGitTools(registry);
}

}  // namespace codecrew::tools
