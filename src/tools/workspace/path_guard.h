// Path guard: the rules that keep a workspace path inside its root. Paths are
// first checked as strings (no NUL bytes, not absolute, not too long, no `..`
// that climbs above the root) and then opened with openat2(RESOLVE_BENEATH),
// so the kernel itself refuses symlinks that leave the root and there is no
// window between checking a path and using it.
// Thread-safety: free functions without shared state.
#pragma once

#include "core/result.h"
#include "tools/process/scoped_fd.h"
#include "tools/workspace/workspace.h"

#include <string>
#include <string_view>

namespace codecrew::tools {

// An Error whose details are {"path": path, "rule": rule}.
core::Error pathError(core::ErrorCode code, std::string_view path, std::string_view rule, std::string_view reason);

// The path in canonical relative form ("a/b"; "" for the root), or an error
// naming the rule it breaks.
core::Result<std::string> normalizeRelativePath(std::string_view path, const WorkspaceLimits& limits);

// True when a normalized path is .git or lies inside it.
bool isInsideGitDir(std::string_view normalized);

// Opens a normalized path beneath rootFd (flags as for open(2); O_CLOEXEC is
// added). Errors name the path and why: escapes, symlink loops, not found.
core::Result<ScopedFd> openBeneath(int rootFd, std::string_view normalized, int flags, int mode = 0);

// Splits a normalized path into its parent ("" for the root) and last name.
std::pair<std::string, std::string> splitParent(std::string_view normalized);

}  // namespace codecrew::tools
