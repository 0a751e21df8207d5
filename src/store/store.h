// Store: everything codecrew keeps, behind one interface. SqliteStore
// (store/sqlite/) implements it today; a PostgreSQL store will implement the
// same interface, so nothing above store/ may know which database it has.
//
// Contracts that hold for every method and every implementation:
//  - Tenant scoping: every read and write names a tenant; an object of another
//    tenant is reported as kNotFound, never as kPermissionDenied.
//  - Atomicity: each method is one transaction; on any error nothing is kept.
//  - Ids and timestamps (created_at/updated_at, seq) are assigned by the store
//    from its Clock; values passed in those fields are ignored.
//  - Expected failures come back as Result errors (kNotFound, kAlreadyExists,
//    kConflict, kInvalidArgument, kUnavailable); exceptions only for bugs.
// Thread-safety: implementations are safe to call from any number of threads.
// Calls block on disk I/O; call them from the blocking pool, not an I/O thread.
#pragma once

#include "core/result.h"
#include "store/models.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace codecrew::store {

using core::Result;
using core::Status;

template <typename T>
struct Page {
  std::vector<T> items;
  std::int64_t total = 0;  // rows matching the filter, over all pages
};

struct PageRequest {
  int page = 1;        // 1-based
  int page_size = 20;  // 1..200
};

struct WorkflowFilter {
  PageRequest page;
  std::optional<std::string> status;
};

// The query behind GET /conversations/{id}/llm-calls (seed 001), GET
// /workflows/{id}/llm-calls and the gateway's usage listing. Filters combine
// with AND.
struct LlmCallQuery {
  PageRequest page;
  std::optional<Id> conversation_id;
  std::optional<Id> execution_id;
  // Calls of the workflow's executions or conversations; kNotFound when the
  // workflow is not the tenant's, or execution_id is not one of its executions.
  std::optional<Id> workflow_id;
  std::optional<std::string> agent;   // the agent of the call's conversation (exact match)
  std::optional<Id> api_key_id;
  std::string sort_by = "timestamp";  // timestamp|model|total_tokens|response_time_ms|cost|id
  bool descending = true;
  std::optional<std::string> model;   // exact match
  std::optional<std::string> q;       // substring of model, status, error_code, request or response data
  std::optional<Millis> date_from;    // timestamp >= date_from
  std::optional<Millis> date_to;      // timestamp <= date_to
};

// An LLM call with the agent of its conversation ("" when it has none).
struct AgentLlmCall {
  LlmCall call;
  std::string agent;
};

struct LlmCallTotals {
  std::int64_t calls = 0;
  std::int64_t total_tokens = 0;
  double total_cost = 0;
  double avg_latency_ms = 0;
  std::vector<std::string> models;  // distinct, sorted
};

template <typename T>
struct Created {
  T value;
  bool created = false;  // false: an existing row was returned (idempotent create)
};

class Store {
 public:
  virtual ~Store() = default;

  // --- health and schema --------------------------------------------------
  virtual Status ping() = 0;
  // Applies pending migrations; returns the schema version reached.
  virtual Result<int> migrate() = 0;
  virtual Result<int> schemaVersion() = 0;

  // --- tenants and keys ---------------------------------------------------
  // Returns the tenant of that name, creating it if needed.
  virtual Result<Tenant> ensureTenant(const std::string& name) = 0;
  virtual Result<Tenant> getTenant(Id tenant_id) = 0;
  virtual Result<std::optional<Tenant>> findTenantByName(const std::string& name) = 0;
  // Stores key (hash, prefix, role, name, tenant_id). kAlreadyExists on a hash collision.
  virtual Result<ApiKey> createApiKey(const ApiKey& key) = 0;
  // Looks a key up by the SHA-256 of the presented secret (revoked ones too).
  virtual Result<std::optional<ApiKey>> findApiKeyByHash(const std::string& key_hash) = 0;
  // All keys, or one tenant's.
  virtual Result<std::vector<ApiKey>> listApiKeys(std::optional<Id> tenant_id) = 0;
  // Marks the key revoked. kNotFound if no such key.
  virtual Result<ApiKey> revokeApiKey(Id key_id) = 0;
  virtual Status touchApiKey(Id key_id, Millis used_at) = 0;

  virtual Status appendAudit(const AuditEntry& entry) = 0;
  virtual Result<Page<AuditEntry>> listAudit(Id tenant_id, const PageRequest& page) = 0;

  // --- projects -----------------------------------------------------------
  virtual Result<Project> createProject(const Project& p) = 0;
  virtual Result<Project> getProject(Id tenant_id, Id id) = 0;
  virtual Result<Page<Project>> listProjects(Id tenant_id, const PageRequest& page) = 0;

  // --- workflows ----------------------------------------------------------
  // Idempotent on (tenant, jira_story_id): an existing workflow with that
  // story id is returned with created=false and left unchanged.
  virtual Result<Created<Workflow>> createWorkflow(const Workflow& w) = 0;
  virtual Result<Workflow> getWorkflow(Id tenant_id, Id id) = 0;
  virtual Result<Page<Workflow>> listWorkflows(Id tenant_id, const WorkflowFilter& filter) = 0;
  // Deletes the workflow and everything that belongs to it.
  virtual Status deleteWorkflow(Id tenant_id, Id id) = 0;
  virtual Result<Workflow> updateWorkflowStatus(Id tenant_id, Id id, const std::string& status) = 0;

  // --- executions and their jobs --------------------------------------------
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
  virtual Result<JobAttempt> addJobAttempt(const JobAttempt& attempt) = 0;
  virtual Result<JobAttempt> updateJobAttempt(const JobAttempt& attempt) = 0;
  virtual Result<std::vector<JobAttempt>> listJobAttempts(Id tenant_id, Id job_id) = 0;
  // Jobs in a status across all tenants (queue recovery at start-up).
  virtual Result<std::vector<ExecutionJob>> listJobsByStatus(const std::string& status) = 0;

  // --- conversations, messages, LLM calls -----------------------------------
  virtual Result<Conversation> createConversation(const Conversation& c) = 0;
  virtual Result<Conversation> getConversation(Id tenant_id, Id id) = 0;
  virtual Result<Conversation> updateConversation(const Conversation& c) = 0;
  virtual Result<std::vector<Conversation>> listConversations(Id tenant_id, Id workflow_id) = 0;
  virtual Result<Message> addMessage(const Message& m) = 0;
  virtual Result<std::vector<Message>> listMessages(Id tenant_id, Id conversation_id) = 0;

  virtual Result<LlmCall> insertLlmCall(const LlmCall& call) = 0;
  // Many calls in one transaction (the gateway's batched writer).
  virtual Status insertLlmCalls(const std::vector<LlmCall>& calls) = 0;
  virtual Result<LlmCall> getLlmCall(Id tenant_id, Id id) = 0;
  // kInvalidArgument for an unknown sort_by or page outside 1..; page_size 1..200.
  virtual Result<Page<LlmCall>> listLlmCalls(Id tenant_id, const LlmCallQuery& query) = 0;
  // Totals over the calls matching the query's filters (paging ignored).
  virtual Result<LlmCallTotals> llmCallTotals(Id tenant_id, const LlmCallQuery& query) = 0;
  // listLlmCalls over the workflow's calls (query.workflow_id is set to
  // workflow_id), each with the agent of its conversation; kNotFound when the
  // workflow is not the tenant's.
  virtual Result<Page<AgentLlmCall>> listWorkflowLlmCalls(Id tenant_id, Id workflow_id, const LlmCallQuery& query) = 0;

  // --- outputs ---------------------------------------------------------------
  virtual Result<CodeFile> addCodeFile(const CodeFile& f) = 0;
  virtual Result<std::vector<CodeFile>> listCodeFiles(Id tenant_id, Id workflow_id,
                                                      std::optional<Id> execution_id) = 0;
  virtual Result<Diff> addDiff(const Diff& d) = 0;
  virtual Result<Page<Diff>> listDiffs(Id tenant_id, Id workflow_id, std::optional<Id> execution_id,
                                       const std::optional<std::string>& path, const PageRequest& page) = 0;
  virtual Result<Artifact> addArtifact(const Artifact& a) = 0;
  virtual Result<Page<Artifact>> listArtifacts(Id tenant_id, Id workflow_id, std::optional<Id> execution_id,
                                               const std::optional<std::string>& kind,
                                               const PageRequest& page) = 0;

  // --- approvals ---------------------------------------------------------------
  virtual Result<Approval> createApproval(const Approval& a) = 0;
  virtual Result<Approval> getApproval(Id tenant_id, Id id) = 0;
  // Pending (or all, when status is empty) approvals of the tenant, optionally of one execution.
  virtual Result<Page<Approval>> listApprovals(Id tenant_id, const std::optional<std::string>& status,
                                               std::optional<Id> execution_id, const PageRequest& page) = 0;
  // Records the decision on a pending approval. kConflict if already decided.
  virtual Result<Approval> decideApproval(Id tenant_id, Id id, const std::string& decision,
                                          const std::string& reviewer, const std::string& comment) = 0;

  // --- pull requests and checks ---------------------------------------------------
  // Inserts or updates the workflow's pull request (one per workflow).
  virtual Result<PullRequest> upsertPullRequest(const PullRequest& pr) = 0;
  virtual Result<std::optional<PullRequest>> getPullRequest(Id tenant_id, Id workflow_id) = 0;
  // Inserts or updates a check by (pull_request_id, name).
  virtual Result<Check> upsertCheck(const Check& c) = 0;
  virtual Result<Page<Check>> listChecks(Id tenant_id, Id pull_request_id, const PageRequest& page) = 0;

  // --- events ------------------------------------------------------------------------
  // Appends with the next seq of the workflow (1-based, no gaps).
  virtual Result<Event> appendEvent(const Event& e) = 0;
  // Events of the workflow with seq > after_seq, in seq order, at most limit.
  virtual Result<std::vector<Event>> listEvents(Id tenant_id, Id workflow_id, std::int64_t after_seq,
                                                int limit) = 0;

  // --- CrewCode sessions ------------------------------------------------------------
  // Stores a session (name, workflow_id, expires_at) with no files.
  virtual Result<CrewSession> createSession(const CrewSession& s) = 0;
  virtual Result<CrewSession> getSession(Id tenant_id, Id id) = 0;
  // Writes name, workflow_id and expires_at. kNotFound if no such session.
  virtual Result<CrewSession> updateSession(const CrewSession& s) = 0;
  // Inserts or replaces `files` and removes the paths in `removed` (absent
  // ones are ignored), and sets the session's expires_at, in one transaction.
  virtual Result<CrewSession> writeSessionFiles(Id tenant_id, Id session_id, const std::vector<SessionFile>& files,
                                                const std::vector<std::string>& removed, Millis expires_at) = 0;
  // The session's files with their content, by path.
  virtual Result<std::vector<SessionFile>> listSessionFiles(Id tenant_id, Id session_id) = 0;
  // kNotFound names the path when the session has no such file.
  virtual Result<SessionFile> getSessionFile(Id tenant_id, Id session_id, const std::string& path) = 0;
  // Deletes the session and its files (its workflow is left to the caller).
  virtual Status deleteSession(Id tenant_id, Id id) = 0;
  // Sessions of every tenant whose expires_at <= now, oldest first, at most limit.
  virtual Result<std::vector<CrewSession>> listExpiredSessions(Millis now, int limit) = 0;

  // --- transactions ------------------------------------------------------------------
  // Runs fn with a Store whose calls all belong to one transaction; commits if
  // fn returns ok, rolls back otherwise (and on exception). Nested calls join
  // the outer transaction.
  virtual Status transact(const std::function<Status(Store&)>& fn) = 0;
};

}  // namespace codecrew::store
