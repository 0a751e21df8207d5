// Preparing an execution's workspace: the first step of every run of its
// job, never of the request that started it. It is idempotent, so a run
// that a crash interrupted anywhere (mid-clone included) prepares the same
// workspace again on the next run:
//  - a workspace that is already a repository is kept as it is; git lock
//    files a killed process left behind are removed (the job runs an
//    execution alone, so no live git process can hold them);
//  - otherwise a network repository_url (allowed by the policy) is cloned
//    with its host's token (tools/git/git_remote.h), the delivery branch
//    checked out when the remote has it (so reruns and fixes build on what
//    was pushed), else the remote's default branch;
//  - otherwise a local repository_url (allowed by the policy, checked again
//    here since configuration may have changed since the start) is cloned into a sibling directory
//    that is renamed into place once complete (a half-made clone is thrown
//    away and made again), and an empty one starts an empty repository.
// (Before this, a run rebuilds a workspace the server owns from the store
// when it is not the one its checkpoint describes: workspace_rebuild.h.)
// Workspaces the server owns (under its workspaces root) are handed to the
// sandbox's user; a directory that `codecrew run` was pointed at is the
// user's and is used in place: it is neither cloned over nor given away, and
// its lock files are left alone.
// Thread-safety: one call per workspace at a time (the job's run).
#pragma once

#include "core/result.h"
#include "engine/repository_location.h"

#include <filesystem>
#include <string>

namespace codecrew::engine {

struct WorkspaceSource {
  std::filesystem::path dir;                 // the execution's workspace
  std::string repository_url;                // the workflow's: "", a path or file:// URL
  std::filesystem::path workspaces_root;     // the server's; dir under it: owned by the server
  const RepositoryPolicy* policy = nullptr;  // checked again before a clone (null: none)
  std::string branch;                        // a network clone checks this branch out when it exists
  std::string tenant;                        // the tenant's name (its [github.tenants.*] owners)
};

core::Status prepareWorkspace(const WorkspaceSource& source);

// True when dir lies under root (lexically, after normalisation).
bool isUnder(const std::filesystem::path& dir, const std::filesystem::path& root);

// Removes the lock files a killed git process leaves in a repository's
// .git directory (index.lock, HEAD.lock, refs/**.lock, ...); returns how
// many it removed.
int removeStaleGitLocks(const std::filesystem::path& repository);

}  // namespace codecrew::engine
