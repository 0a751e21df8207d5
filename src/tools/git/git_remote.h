// GitRemote: the git operations that reach a network remote (clone, the
// sha of a remote branch, push), run with the git program, since the
// libgit2 of Debian 12 has no smart-HTTP proxy and credential story to
// match git's. The token travels only in an Authorization header given to
// that one git process through its environment (GIT_CONFIG_COUNT), so it
// is never written to the clone's .git/config, never on a command line
// (visible in ps) and never in a URL; user and system git configuration
// are not read. Pushes never force: a remote branch that moved elsewhere
// refuses the push (kFailedPrecondition). Messages from git are passed on
// with the token removed.
// Clones are full, not shallow: the workspace's repository is then worked
// on with libgit2 (GitRepository), which in Debian 12's version (1.5) does
// not support shallow repositories.
// Thread-safety: the functions may be called from any thread; each runs one
// git process and blocks until it ends.
#pragma once

#include "core/result.h"

#include <chrono>
#include <optional>
#include <string>

namespace codecrew::tools {

struct RemoteAccess {
  std::string url;    // https://host/owner/repo(.git); never with credentials
  std::string token;  // "" for an anonymous remote
  std::chrono::seconds timeout{600};
};

struct CloneOutcome {
  std::string branch;       // the branch checked out
  bool had_branch = false;  // the branch asked for existed on the remote
};

// Clones into dir (which must not exist). With branch set and present on
// the remote, that branch is checked out; otherwise the remote's default.
core::Result<CloneOutcome> cloneRemote(const RemoteAccess& remote, const std::string& dir,
                                       const std::string& branch = "");

// The commit a remote branch points at; nullopt when there is none.
core::Result<std::optional<std::string>> remoteBranchSha(const RemoteAccess& remote, const std::string& branch);

// Pushes the local repository's HEAD to refs/heads/<branch> of the remote,
// fast-forward only. kFailedPrecondition when the remote branch is not an
// ancestor; kPermissionDenied when the host refuses (its message kept: e.g.
// GitHub's "without `workflow` scope" for a change to .github/workflows/).
core::Status pushHead(const RemoteAccess& remote, const std::string& dir, const std::string& branch);

}  // namespace codecrew::tools
