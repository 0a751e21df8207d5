// WorkspaceRecorder: keeps the store's copy of an execution's workspace
// (store/workspace_store.h) up with its checkpoint, so that a worker on
// another host can rebuild the workspace (workspace_rebuild.h). What changed
// since the last checkpoint is noted, then written in the transaction of the
// next one with the checkpoint's WorkspaceLog saying what the store holds:
//  - the base, as step 1, when no repository has it (a workspace made by
//    codecrew: an initial import, CrewCode's seeded files);
//  - every commit made since the log's head (a stage's commit, an agent's
//    git_commit), each as its object and its patch, so the same commit, sha
//    and all, is made again;
//  - the changes not committed yet (step 0), replaced when they differ from
//    those held (after tool calls, after a task wrote its files).
// A stage costs one row; the uncommitted changes one row an execution.
// Thread-safety: one recorder per run, used on the run's strand.
#pragma once

#include "core/result.h"
#include "engine/checkpoint.h"
#include "store/store.h"
#include "tools/git/git_repository.h"

#include <optional>
#include <vector>

namespace codecrew::engine {

class WorkspaceRecorder {
 public:
  WorkspaceRecorder(core::Id tenant_id, core::Id execution_id) : tenant_id_(tenant_id), execution_id_(execution_id) {}

  // Starts the log at `base`: its commits become steps when base_in_store.
  core::Status noteBase(tools::GitRepository& git, WorkspaceLog& log, const std::string& base, bool base_in_store);
  // The commits since the log's head up to `head`; the log's head moves there.
  core::Status noteCommits(tools::GitRepository& git, WorkspaceLog& log, const std::string& head);
  // The working tree's changes against the log's head, when they differ
  // from those the log holds.
  core::Status noteChanges(tools::GitRepository& git, WorkspaceLog& log);
  // The working tree holds no change against the log's head (everything was
  // just committed, GitRepository::commitAll): what noteChanges would note,
  // without comparing the tree.
  void noteNoChanges(WorkspaceLog& log);

  // Writes what was noted and not yet written, in the checkpoint's
  // transaction; written() once that transaction has committed.
  core::Status write(store::Store& tx) const;
  void written();

 private:
  core::Id tenant_id_;
  core::Id execution_id_;
  std::vector<store::WorkspaceStep> steps_;
  std::optional<store::WorkspaceStep> changes_;
};

// A step's object and patch as the store keeps them: as they are when they
// are storable text, else hex-encoded (encoding "hex"); and back.
void encodeWorkspaceStep(store::WorkspaceStep& step);
core::Status decodeWorkspaceStep(store::WorkspaceStep& step);

}  // namespace codecrew::engine
