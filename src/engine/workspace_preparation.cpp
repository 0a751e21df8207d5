#include "engine/workspace_preparation.h"

#include "engine/repository_location.h"
#include "tools/git/git_remote.h"
#include "tools/git/git_repository.h"
#include "tools/sandbox/sandbox_owner.h"

#include <functional>
#include <system_error>

namespace codecrew::engine {
namespace fs = std::filesystem;

bool isUnder(const fs::path& dir, const fs::path& root) {
  if (root.empty()) return false;
  auto d = dir.lexically_normal();
  auto r = root.lexically_normal();
  auto rel = d.lexically_relative(r);
  return !rel.empty() && *rel.begin() != ".." && rel != ".";
}

int removeStaleGitLocks(const fs::path& repository) {
  fs::path git = repository / ".git";
  std::error_code ec;
  if (!fs::is_directory(git, ec)) return 0;
  int removed = 0;
  for (auto it = fs::recursive_directory_iterator(git, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_symlink(ec) || !it->is_regular_file(ec)) continue;
    const auto& p = it->path();
    if (p.extension() != ".lock") continue;
    // Objects are written under temporary names, never *.lock: only the
    // ref, index, config and HEAD locks are git's.
    if (fs::remove(p, ec)) ++removed;
  }
  return removed;
}

namespace {

core::Status cloneInto(const std::function<core::Status(const fs::path&)>& clone, const fs::path& dir) {
  std::error_code ec;
  fs::path partial = dir;
  partial += ".partial";
  fs::remove_all(partial, ec);  // a clone a crash interrupted
  if (auto cloned = clone(partial); !cloned) return cloned;
  fs::remove_all(dir, ec);  // a workspace directory without its .git: never complete
  fs::rename(partial, dir, ec);
  if (ec) return core::Error::internal("cannot move the clone into '" + dir.string() + "': " + ec.message());
  return core::okStatus();
}

// The store keeps an owned workspace's history (workspace_recorder.h): no
// reflogs, which cost seven files and directories an execution. Then the
// workspace goes to the sandbox's user.
core::Status finishOwnedWorkspace(tools::GitRepository& repo, const fs::path& dir) {
  if (auto ok = repo.setLogRefUpdates(false); !ok) return ok;
  return tools::giveToSandboxUser(dir);
}

}  // namespace

core::Status prepareWorkspace(const WorkspaceSource& source) {
  const fs::path& dir = source.dir;
  if (dir.empty() || !dir.is_absolute())
    return core::Error::invalidArgument("the execution has no workspace directory");
  const bool owned = isUnder(dir, source.workspaces_root);
  std::error_code ec;
  if (fs::exists(dir / ".git", ec)) {
    if (owned) {
      removeStaleGitLocks(dir);
      return tools::giveToSandboxUser(dir);
    }
    return core::okStatus();
  }
  fs::create_directories(dir.parent_path(), ec);
  if (ec) return core::Error::internal("cannot create '" + dir.parent_path().string() + "': " + ec.message());
  auto local = localRepositoryPath(source.repository_url);
  if (!local) {
    const RemoteHost* host = source.policy ? source.policy->remoteFor(source.repository_url) : nullptr;
    if (!owned || !host)
      return core::Error::invalidArgument("repository_url '" + source.repository_url + "' is not allowed");
    if (auto allowed = source.policy->check(source.repository_url, source.tenant); !allowed) return allowed;
    tools::RemoteAccess remote{source.repository_url, host->token};
    auto clone = [&](const fs::path& into) -> core::Status {
      auto cloned = tools::cloneRemote(remote, into.string(), source.branch);
      if (!cloned) return cloned.error();
      return core::okStatus();
    };
    if (auto ok = cloneInto(clone, dir); !ok) return ok;
  } else if (owned && !local->empty()) {
    if (source.policy)
      if (auto allowed = source.policy->check(source.repository_url); !allowed) return allowed;
    auto clone = [&](const fs::path& into) -> core::Status {
      auto cloned = tools::GitRepository::cloneLocal(local->string(), into.string());
      if (!cloned) return cloned.error();
      return core::okStatus();
    };
    if (auto ok = cloneInto(clone, dir); !ok) return ok;
  } else {
    fs::create_directories(dir, ec);
    auto repo = tools::GitRepository::openOrInit(dir.string());
    if (!repo) return repo.error();
    if (!owned) return core::okStatus();
    return finishOwnedWorkspace(*repo, dir);
  }
  if (!owned) return core::okStatus();
  auto repo = tools::GitRepository::open(dir.string());
  if (!repo) return repo.error();
  return finishOwnedWorkspace(*repo, dir);
}

}  // namespace codecrew::engine
