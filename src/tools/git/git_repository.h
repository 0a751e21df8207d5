// GitRepository: the git operations an execution needs, through libgit2 and
// never the network: open or init a repository, a branch per execution,
// staging everything and committing with an agent's identity, the diff
// against a base commit as unified text, the list of changed files, and the
// working tree status; and, for a host that must rebuild a workspace from
// what the store keeps (engine/workspace_rebuild.h), the commits made since
// one, each as its object and a patch, and their restoration
// (git_history.cpp).
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

  // Sets core.logAllRefUpdates: false keeps no reflogs (logs/ and a file per
  // branch that every ref update appends to) in a repository whose history
  // is kept elsewhere (an engine workspace: the store's workspace steps).
  core::Status setLogRefUpdates(bool log);

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

  // --- history kept elsewhere (git_history.cpp) ---
  // Patches are git's binary-safe format (binary files as "GIT binary
  // patch", full blob ids); a text file's lines are in them as they are, so
  // a patch is not always UTF-8.

  // The commits reachable from `head` and not from `since` (from the root
  // when since is empty), each after its parents.
  core::Result<std::vector<std::string>> commitsSince(const std::string& since, const std::string& head) const;
  // A commit's object as git stores it (headers and message, the bytes its
  // sha is the hash of).
  core::Result<std::string> commitObject(const std::string& commit) const;
  // The patch from a commit's first parent's tree (the empty tree for a
  // root commit) to its own tree.
  core::Result<std::string> commitPatch(const std::string& commit) const;
  // Stores a commit from its object and its commitPatch: its parents must be
  // here already, the patch is applied to the first parent's tree, and the
  // tree that makes must be the commit's. kFailedPrecondition, naming the
  // commit, when the object is not a commit, a parent is missing, the patch
  // does not apply or makes another tree. Returns the commit's sha (the
  // hash of the object). Idempotent.
  core::Result<std::string> restoreCommit(const std::string& object, const std::string& patch);
  // The patch from a commit's tree to the working tree (untracked files
  // included, ignored ones not); "" when they hold the same.
  core::Result<std::string> workingTreePatch(const std::string& base) const;
  // Applies a patch to the working tree only; the index is left as it is.
  // kFailedPrecondition when it does not apply.
  core::Status applyToWorkingTree(const std::string& patch);
  // Points branch `name` at `commit` (created or moved), makes it HEAD and
  // checks its tree out, discarding any other content of the working tree
  // that git tracks.
  core::Status resetBranch(const std::string& name, const std::string& commit);
  // Whether the repository has commit `ancestor` and it is `head` or one of
  // head's ancestors.
  bool descendsFrom(const std::string& head, const std::string& ancestor) const;

  const std::string& workdir() const { return workdir_; }

 private:
  explicit GitRepository(RepoPtr repo);
  core::Result<DiffPtr> diffToWorkdir(const std::string& baseCommit) const;
  core::Result<TreePtr> treeOf(const std::string& commit) const;
  core::Result<std::string> patchText(git_tree* from, git_tree* to, bool workdir) const;

  RepoPtr repo_;
  std::string workdir_;
};

}  // namespace codecrew::tools
