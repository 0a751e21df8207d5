// What a crew changed in its workspace: the files added, modified and
// deleted since a base commit (with their content now) and the unified diff
// of it all, leaving out the crew's own notes under docs/crew/.
// Thread-safety: reads the workspace; call once the execution has ended.
#pragma once

#include "core/result.h"
#include "engine/fenced_files.h"

#include <filesystem>
#include <string>
#include <vector>

namespace codecrew::engine {

struct WorkspaceChanges {
  std::vector<FileChange> files;  // by path
  std::string diff;               // unified, git style
};

core::Result<WorkspaceChanges> collectWorkspaceChanges(const std::filesystem::path& dir,
                                                       const std::string& base_commit);

// Creates dir as a git repository holding `files` (and an empty .gitignore
// when there is none) committed once; returns that commit.
core::Result<std::string> seedWorkspace(const std::filesystem::path& dir,
                                        const std::vector<std::pair<std::string, std::string>>& files);

}  // namespace codecrew::engine
