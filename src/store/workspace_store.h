// WorkspaceStore: an execution's workspace as the store keeps it, so that a
// worker on another host, whose disk does not have the workspace, can
// rebuild it before it resumes the execution: the commits the engine made
// (their objects and patches, in order) and the changes not yet committed
// at the last checkpoint. The engine writes them in the transaction of the
// checkpoint that names them.
// The contracts of store.h hold (tenant scoping, one transaction a call).
#pragma once

#include "store/store_types.h"

#include <vector>

namespace codecrew::store {

class WorkspaceStore {
 public:
  virtual ~WorkspaceStore() = default;

  // Records a commit of the execution (seq >= 1, commit set). kAlreadyExists
  // when the execution has a step of that seq; kNotFound for an execution
  // not in the tenant; kInvalidArgument for seq < 1 or no commit.
  virtual Result<WorkspaceStep> addWorkspaceStep(const WorkspaceStep& step) = 0;
  // Replaces the execution's uncommitted changes (step 0) by changes.patch
  // (and its encoding); an empty patch removes them. kNotFound for an
  // execution not in the tenant.
  virtual Status setWorkspaceChanges(const WorkspaceStep& changes) = 0;
  // Every step of the execution by seq: the uncommitted changes (seq 0)
  // first when there are any, then the commits.
  virtual Result<std::vector<WorkspaceStep>> listWorkspaceSteps(Id tenant_id, Id execution_id) = 0;
};

}  // namespace codecrew::store
