// WorkflowStore: workflows, the root of everything a run produces
// (executions, conversations, outputs, events and the pull request all
// belong to one). The contracts of store.h hold (tenant scoping, one
// transaction a call).
#pragma once

#include "store/store_types.h"

#include <optional>
#include <string>

namespace codecrew::store {

struct WorkflowFilter {
  PageRequest page;
  std::optional<RunStatus> status;
};

class WorkflowStore {
 public:
  virtual ~WorkflowStore() = default;

  // Idempotent on (tenant, jira_story_id): an existing workflow with that
  // story id is returned with created=false and left unchanged.
  virtual Result<Created<Workflow>> createWorkflow(const Workflow& w) = 0;
  virtual Result<Workflow> getWorkflow(Id tenant_id, Id id) = 0;
  // The tenant's workflow of a Jira story (exact jira_story_id), if any.
  virtual Result<std::optional<Workflow>> findWorkflowByStory(Id tenant_id, const std::string& jira_story_id) = 0;
  virtual Result<Page<Workflow>> listWorkflows(Id tenant_id, const WorkflowFilter& filter) = 0;
  // Deletes the workflow and everything that belongs to it.
  virtual Status deleteWorkflow(Id tenant_id, Id id) = 0;
  virtual Result<Workflow> updateWorkflowStatus(Id tenant_id, Id id, RunStatus status) = 0;
};

}  // namespace codecrew::store
