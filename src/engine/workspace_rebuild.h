// Rebuilding an execution's workspace from what the store holds, on a host
// whose disk does not have it (a worker that took the execution over), so
// that a workspace is never the only copy of an execution's state.
//
// A workspace copy has an id, kept in its .git directory and recorded in the
// checkpoint's WorkspaceLog by each run that works on it. A run keeps the
// directory it finds when it is the copy the checkpoint was written from and
// its HEAD is, or descends from, the log's head: what one host did after its
// last checkpoint stays, as before. Any other directory (missing, half-made,
// another host's older copy) is made again:
//  1. the base: an empty repository when the store holds the base itself,
//     else repository_url cloned as workspace_preparation.h does;
//  2. every commit the store holds, in order, from its object and patch: the
//     same commits (shas included) on the same branch, each checked to make
//     the tree its commit names;
//  3. the uncommitted changes of the last checkpoint, checked against the
//     log's checksum, applied to the working tree.
// The copy is made beside the directory and moved into place only when it is
// whole, so a rebuild that fails (a step missing or corrupt, a base no
// repository has) leaves nothing to run on; its error (kFailedPrecondition,
// or the clone's) says why.
// Thread-safety: one call per workspace at a time (the job's run).
#pragma once

#include "core/result.h"
#include "engine/checkpoint.h"
#include "engine/workspace_preparation.h"
#include "store/models.h"

#include <filesystem>
#include <string>
#include <vector>

namespace codecrew::engine {

// The id of the workspace copy in dir ("" when it has none).
std::string workspaceCopyId(const std::filesystem::path& dir);
// Gives the repository in dir a copy id when it has none; returns it.
core::Result<std::string> ensureWorkspaceCopyId(const std::filesystem::path& dir);

// Whether dir holds the workspace `log` describes: the copy it was written
// from (log.copy), at its head or past it.
bool workspaceHolds(const std::filesystem::path& dir, const WorkspaceLog& log);

struct WorkspaceRebuild {
  WorkspaceSource source;                   // the directory and where its base comes from
  std::string branch;                       // the execution's branch
  std::string base_commit;                  // the checkpoint's
  WorkspaceLog log;                         // what the store holds
  std::vector<store::WorkspaceStep> steps;  // as WorkspaceStore::listWorkspaceSteps gives them
};

core::Status rebuildWorkspace(const WorkspaceRebuild& rebuild);

}  // namespace codecrew::engine
