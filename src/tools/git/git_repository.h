// GitRepository: the git operations an execution needs, through libgit2 and
// never the network: open or init a repository, a branch per execution,
// staging everything and committing with an agent's identity, the diff
// against a base commit as unified text, the list of changed files, and the
// working tree status.
// Thread-safety: one GitRepository must not be used from two threads at once
// (libgit2 repository handles are not thread-safe); separate instances on the
// same directory are fine.
#pragma once

#include "core/result.h"
#include "tools/git/libgit.h"

#include <string>
#include <vector>

namespace codecrew::tools {

struct GitAuthor {
  std::string name;
  std::string email;
};

enum class ChangeKind { kAdded, kModified, kDeleted, kRenamed, kTypeChanged, kUntracked };

std::string_view changeKindName(ChangeKind kind);

struct ChangedFile {
  std::string path;
  std::string oldPath;  // differs from path for renames
  ChangeKind kind = ChangeKind::kModified;
};

class GitRepository {
 public:
  // Opens the repository whose working tree is exactly dir (no upward search).
  static core::Result<GitRepository> open(const std::string& dir);
  // Opens dir's repository, creating one (with an initial branch named
  // initialBranch) when there is none.
  static core::Result<GitRepository> openOrInit(const std::string& dir, const std::string& initialBranch = "main");
  // Clones the local repository at source (a path, never a network URL) into
  // dir, which must not exist or be empty; the clone checks out source's HEAD.
  static core::Result<GitRepository> cloneLocal(const std::string& source, const std::string& dir);

  // The commit HEAD points at (40 hex digits); kNotFound on an unborn branch.
  core::Result<std::string> headCommit() const;
  // The short name of the current branch ("main"), or "HEAD" when detached.
  core::Result<std::string> currentBranch() const;

  // Creates branch `name` at commit `from` (HEAD when empty) unless it exists,
  // then checks it out, keeping changes in the working tree.
  core::Status checkoutBranch(const std::string& name, const std::string& from = "");

  // Stages every change (new, modified and deleted files, .gitignore
  // respected) and commits it on the current branch. Returns the new commit's
  // sha. kFailedPrecondition ("nothing to commit") when the tree is unchanged.
  core::Result<std::string> commitAll(const GitAuthor& author, const std::string& message);

  // Unified diff of the working tree (with untracked files) against a commit;
  // renames detected.
  core::Result<std::string> diffAgainst(const std::string& baseCommit) const;
  // Files changed in the working tree against a commit.
  core::Result<std::vector<ChangedFile>> changedFilesSince(const std::string& baseCommit) const;
  // Working tree and index changes against HEAD, untracked files included.
  core::Result<std::vector<ChangedFile>> status() const;

  const std::string& workdir() const { return workdir_; }

 private:
  explicit GitRepository(RepoPtr repo);
  core::Result<DiffPtr> diffToWorkdir(const std::string& baseCommit) const;
  core::Result<TreePtr> treeOf(const std::string& commit) const;

  RepoPtr repo_;
  std::string workdir_;
};

}  // namespace codecrew::tools
