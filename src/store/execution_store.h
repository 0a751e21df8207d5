// ExecutionStore: the runs of a workflow, each with its ExecutionJob (the
// queue's record of it) and the job's attempts. The engine drives them; the
// API reads them. The contracts of store.h hold (tenant scoping, one
// transaction a call), except listJobsByStatus, which spans tenants.
#pragma once

#include "store/store_types.h"

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <vector>

namespace codecrew::store {

class ExecutionStore {
 public:
  virtual ~ExecutionStore() = default;

  // Creates a pending execution of the workflow and its queued ExecutionJob in
  // one transaction. With an idempotency key already used for this workflow,
  // returns that execution with created=false. kNotFound if no such workflow.
  virtual Result<Created<Execution>> createExecution(Id tenant_id, Id workflow_id,
                                                     const std::optional<std::string>& idempotency_key,
                                                     const boost::json::value& meta) = 0;
  virtual Result<Execution> getExecution(Id tenant_id, Id workflow_id, Id id) = 0;
  // The execution by id alone (engine use), still tenant-scoped.
  virtual Result<Execution> getExecutionById(Id tenant_id, Id id) = 0;
  virtual Result<Page<Execution>> listExecutions(Id tenant_id, Id workflow_id, const PageRequest& page) = 0;
  // The newest execution (highest id) of each of the tenant's workflows in
  // `workflow_ids` that has one, in no particular order: one query for a page
  // of workflows. Ids of other tenants' workflows, or unknown ones, add nothing.
  virtual Result<std::vector<Execution>> latestExecutions(Id tenant_id, const std::vector<Id>& workflow_ids) = 0;
  // Writes status, stage, started_at, finished_at, totals, models, meta and error.
  virtual Result<Execution> updateExecution(const Execution& e) = 0;
  // Recomputes total_calls, total_tokens, total_cost, avg_latency_ms and models
  // from the execution's LLM calls and stores them.
  virtual Result<Execution> refreshExecutionTotals(Id tenant_id, Id execution_id) = 0;

  virtual Result<ExecutionJob> getJobForExecution(Id tenant_id, Id execution_id) = 0;
  virtual Result<ExecutionJob> updateJob(const ExecutionJob& job) = 0;
  // Starts the execution's job's next attempt, in one transaction: adds 1
  // to its attempts only while they are under max_attempts, marks it running
  // under `worker` and records the attempt (numbered after the last one, so
  // numbers stay unique when attempts is reset). kResourceExhausted when the
  // attempts are spent (nothing changes); kNotFound without such a job.
  virtual Result<JobAttempt> claimJobAttempt(Id tenant_id, Id execution_id, const std::string& worker) = 0;
  virtual Result<JobAttempt> addJobAttempt(const JobAttempt& attempt) = 0;
  virtual Result<JobAttempt> updateJobAttempt(const JobAttempt& attempt) = 0;
  virtual Result<std::vector<JobAttempt>> listJobAttempts(Id tenant_id, Id job_id) = 0;
  // Jobs in a status across all tenants (queue recovery at start-up).
  virtual Result<std::vector<ExecutionJob>> listJobsByStatus(JobStatus status) = 0;
};

}  // namespace codecrew::store
