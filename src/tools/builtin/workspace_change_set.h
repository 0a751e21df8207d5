// WorkspaceChangeSet: the bridge between the code layer's edit appliers
// (unified diffs, search/replace blocks) and a Workspace. It hands the
// applier a FileSource that reads through the workspace (so path confinement
// holds for every file an edit looks at) and remembers what it read; then it
// writes the applier's changes back all or nothing: every target path is
// checked first, and if a write or delete still fails midway, the files
// already changed are put back as they were.
// Thread-safety: one change set belongs to one tool call on one thread.
#pragma once

#include "code/patch_apply.h"
#include "core/result.h"
#include "tools/workspace/workspace.h"

#include <boost/json/array.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace codecrew::tools {

// What happened to one path when a change set was committed.
struct CommittedChange {
  std::string path;
  std::string action;       // "created", "modified", "deleted" or "unchanged"
  std::string renamedFrom;  // set on the new path of a rename
  std::vector<code::HunkOutcome> hunks;
};

class WorkspaceChangeSet {
 public:
  explicit WorkspaceChangeSet(Workspace& workspace) : workspace_(workspace) {}
  WorkspaceChangeSet(const WorkspaceChangeSet&) = delete;
  WorkspaceChangeSet& operator=(const WorkspaceChangeSet&) = delete;

  // A FileSource reading through the workspace: nullopt for a missing file.
  // A refusal (escape, .git, size limit, not a regular file) is remembered and
  // reported by readFailure(); the source then answers nullopt. The returned
  // function refers to this object and must not outlive it.
  code::FileSource source();

  // The first refusal the source met, if any. It explains an edit better than
  // the applier's "file does not exist" that usually follows it.
  const std::optional<core::Error>& readFailure() const { return readFailure_; }

  // Writes `changes` to the workspace. Every path is checked before anything
  // is written (the workspace's rules for a mutable path, the size limit);
  // the first refusal is returned and nothing is changed. If a write or
  // delete fails after others succeeded, those are undone (best effort) and
  // the failure is returned with details.rolled_back = true.
  core::Result<std::vector<CommittedChange>> commit(const std::vector<code::FileChange>& changes);

 private:
  const std::optional<std::string>& original(const std::string& path);
  core::Status checkTarget(const code::FileChange& change);
  core::Status applyOne(const code::FileChange& change);
  void rollBack(const std::vector<const code::FileChange*>& done);

  Workspace& workspace_;
  std::map<std::string, std::optional<std::string>> originals_;  // path -> content before the edit
  std::optional<core::Error> readFailure_;
};

// The JSON form of committed changes: [{path, action, renamed_from?, hunks?}],
// each hunk as {hunk, line, offset, whitespace_fuzz}.
boost::json::array committedChangesToJson(const std::vector<CommittedChange>& changes);

}  // namespace codecrew::tools
