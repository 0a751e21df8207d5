// Who owns a workspace when codecrew runs as root. The sandbox then runs
// commands as the workspace's owner, or as nobody when root owns it
// (bubblewrap_sandbox.h), so a workspace root owns is read-only to them.
// giveToSandboxUser hands a workspace tree codecrew has prepared (a clone, a
// new repository) to nobody, and LocalWorkspace gives what it creates later
// to the workspace's owner, so sandboxed commands (a build writing its
// outputs) can write where the agents' edits are.
// Thread-safety: a function of the file system only.
#pragma once

#include "core/result.h"

#include <sys/types.h>

#include <filesystem>

namespace codecrew::tools {

inline constexpr uid_t kSandboxNobody = 65534;

// Run as root: changes the owner of `dir` and everything under it to nobody
// (symbolic links themselves, never what they point to). Otherwise nothing.
core::Status giveToSandboxUser(const std::filesystem::path& dir);

// Run as root: whether nobody can reach `dir` (every existing directory
// from / down to it searchable by others), which sandboxed commands in
// workspaces under it need; kFailedPrecondition names the first directory
// that is not, and the chmod that fixes it. Otherwise ok.
core::Status checkReachableBySandboxUser(const std::filesystem::path& dir);

}  // namespace codecrew::tools
