// StoreWrapper: a Store that forwards every call, of every interface of
// store.h, to another Store, for decorators that change a few methods and
// pass the rest through (the pattern of LevelDB's EnvWrapper): the event
// log's publishing store, fault-injecting stores in tests. A decorator is a
// whole Store, so it can stand in for the store or any narrow interface.
// Thread-safety: as the target store; the wrapper adds no state.
#pragma once

#include "store/store.h"

#include <memory>

namespace codecrew::store {

class StoreWrapper : public Store {
 public:
  // Forwards to a store the wrapper keeps alive.
  explicit StoreWrapper(std::shared_ptr<Store> target) : owned_(std::move(target)), target_(owned_.get()) {}
  // Forwards to a store that outlives the wrapper (e.g. the Store a
  // transaction passes to its function).
  explicit StoreWrapper(Store& target) : target_(&target) {}

  Store& target() const { return *target_; }

  // OperationsStore
  Result<OperationalSnapshot> operationalSnapshot() override { return target_->operationalSnapshot(); }

  // SchemaStore
  Status ping() override;
  Status probeWrite() override;
  Result<int> migrate() override;
  Result<int> schemaVersion() override;

  // TenantStore
  Result<Tenant> ensureTenant(const std::string& name) override;
  Result<Tenant> getTenant(Id tenant_id) override;
  Result<std::optional<Tenant>> findTenantByName(const std::string& name) override;
  Result<ApiKey> createApiKey(const ApiKey& key) override;
  Result<std::optional<ApiKey>> findApiKeyByHash(const std::string& key_hash) override;
  Result<std::vector<ApiKey>> listApiKeys(std::optional<Id> tenant_id) override;
  Result<ApiKey> revokeApiKey(Id key_id) override;
  Status touchApiKey(Id key_id, Millis used_at) override;
  Status appendAudit(const AuditEntry& entry) override;
  Result<Page<AuditEntry>> listAudit(Id tenant_id, const PageRequest& page) override;

  // ProjectStore
  Result<Project> createProject(const Project& p) override;
  Result<Project> getProject(Id tenant_id, Id id) override;
  Result<Page<Project>> listProjects(Id tenant_id, const PageRequest& page) override;

  // WorkflowStore
  Result<Created<Workflow>> createWorkflow(const Workflow& w) override;
  Result<Workflow> getWorkflow(Id tenant_id, Id id) override;
  Result<std::optional<Workflow>> findWorkflowByStory(Id tenant_id, const std::string& jira_story_id) override;
  Result<Page<Workflow>> listWorkflows(Id tenant_id, const WorkflowFilter& filter) override;
  Status deleteWorkflow(Id tenant_id, Id id) override;
  Result<Workflow> updateWorkflowStatus(Id tenant_id, Id id, RunStatus status) override;

  // ExecutionStore
  Result<Created<Execution>> createExecution(Id tenant_id, Id workflow_id,
                                             const std::optional<std::string>& idempotency_key,
                                             const boost::json::value& meta) override;
  Result<Execution> getExecution(Id tenant_id, Id workflow_id, Id id) override;
  Result<Execution> getExecutionById(Id tenant_id, Id id) override;
  Result<Page<Execution>> listExecutions(Id tenant_id, Id workflow_id, const PageRequest& page) override;
  Result<std::vector<Execution>> latestExecutions(Id tenant_id, const std::vector<Id>& workflow_ids) override;
  Result<Execution> updateExecution(const Execution& e) override;
  Result<Execution> refreshExecutionTotals(Id tenant_id, Id execution_id) override;
  Result<ExecutionJob> getJobForExecution(Id tenant_id, Id execution_id) override;
  Result<ExecutionJob> updateJob(const ExecutionJob& job) override;
  Result<JobAttempt> claimJobAttempt(Id tenant_id, Id execution_id, const std::string& worker) override;
  Result<JobAttempt> addJobAttempt(const JobAttempt& attempt) override;
  Result<JobAttempt> updateJobAttempt(const JobAttempt& attempt) override;
  Result<std::vector<JobAttempt>> listJobAttempts(Id tenant_id, Id job_id) override;
  Result<std::vector<ExecutionJob>> listJobsByStatus(JobStatus status) override;

  // JobQueueStore
  Result<std::optional<JobLease>> claimNextJob(const std::string& owner, Millis lease_ms) override;
  Result<Millis> renewLease(Id job_id, std::int64_t epoch, Millis lease_ms) override;
  Status checkLease(Id job_id, std::int64_t epoch) override;
  Result<ExecutionJob> finishLease(Id job_id, std::int64_t epoch, JobStatus status, int attempts) override;
  Result<ExecutionJob> markJobRunnable(Id tenant_id, Id execution_id) override;
  Status noteProgress(Id job_id, std::int64_t epoch) override;

  // ConversationStore
  Result<Conversation> createConversation(const Conversation& c) override;
  Result<Conversation> getConversation(Id tenant_id, Id id) override;
  Result<Conversation> updateConversation(const Conversation& c) override;
  Result<std::vector<Conversation>> listConversations(Id tenant_id, Id workflow_id) override;
  Result<Message> addMessage(const Message& m) override;
  Result<std::vector<Message>> listMessages(Id tenant_id, Id conversation_id) override;

  // LlmCallStore
  Result<LlmCall> insertLlmCall(const LlmCall& call) override;
  Status insertLlmCalls(const std::vector<LlmCall>& calls) override;
  Result<LlmCall> getLlmCall(Id tenant_id, Id id) override;
  Result<Page<LlmCall>> listLlmCalls(Id tenant_id, const LlmCallQuery& query) override;
  Result<LlmCallTotals> llmCallTotals(Id tenant_id, const LlmCallQuery& query) override;
  Result<Page<AgentLlmCall>> listWorkflowLlmCalls(Id tenant_id, Id workflow_id, const LlmCallQuery& query) override;

  // OutputStore
  Result<CodeFile> addCodeFile(const CodeFile& f) override;
  Result<std::vector<CodeFile>> listCodeFiles(Id tenant_id, Id workflow_id, std::optional<Id> execution_id) override;
  Result<Diff> addDiff(const Diff& d) override;
  Result<Page<Diff>> listDiffs(Id tenant_id, Id workflow_id, std::optional<Id> execution_id,
                               const std::optional<std::string>& path, const PageRequest& page) override;
  Result<Artifact> addArtifact(const Artifact& a) override;
  Result<Artifact> getArtifact(Id tenant_id, Id workflow_id, Id id) override;
  Result<Page<Artifact>> listArtifacts(Id tenant_id, Id workflow_id, std::optional<Id> execution_id,
                                       const std::optional<std::string>& kind, const PageRequest& page) override;

  // ApprovalStore
  Result<Approval> createApproval(const Approval& a) override;
  Result<Approval> getApproval(Id tenant_id, Id id) override;
  Result<Page<Approval>> listApprovals(Id tenant_id, const std::optional<ApprovalStatus>& status,
                                       std::optional<Id> execution_id, const PageRequest& page) override;
  Result<Approval> decideApproval(Id tenant_id, Id id, Decision decision, const std::string& reviewer,
                                  const std::string& comment) override;

  // PullRequestStore
  Result<PullRequest> upsertPullRequest(const PullRequest& pr) override;
  Result<std::optional<PullRequest>> getPullRequest(Id tenant_id, Id workflow_id) override;
  Result<Check> upsertCheck(const Check& c) override;
  Result<Page<Check>> listChecks(Id tenant_id, Id pull_request_id, const PageRequest& page) override;
  Status dropChecksNotAt(Id tenant_id, Id pull_request_id, const std::string& head_sha) override;
  Result<std::optional<PullRequest>> findPullRequestByBranch(const std::string& repository,
                                                             const std::string& branch) override;
  Result<std::optional<PullRequest>> findPullRequestByNumber(const std::string& repository,
                                                             std::int64_t number) override;

  // EventStore
  Result<Event> appendEvent(const Event& e) override;
  Result<std::vector<Event>> listEvents(Id tenant_id, Id workflow_id, std::int64_t after_seq, int limit) override;

  // SessionStore
  Result<CrewSession> createSession(const CrewSession& s) override;
  Result<CrewSession> getSession(Id tenant_id, Id id) override;
  Result<CrewSession> updateSession(const CrewSession& s) override;
  Result<CrewSession> writeSessionFiles(Id tenant_id, Id session_id, const std::vector<SessionFile>& files,
                                        const std::vector<std::string>& removed, Millis expires_at) override;
  Result<std::vector<SessionFile>> listSessionFiles(Id tenant_id, Id session_id) override;
  Result<SessionFile> getSessionFile(Id tenant_id, Id session_id, const std::string& path) override;
  Status deleteSession(Id tenant_id, Id id) override;
  Result<std::vector<CrewSession>> listExpiredSessions(Millis now, int limit) override;

  // WebhookStore
  Result<bool> recordWebhookDelivery(const WebhookDelivery& delivery) override;
  Result<std::optional<WebhookDelivery>> findWebhookDelivery(const std::string& delivery_id) override;

  // WorkspaceStore
  Result<WorkspaceStep> addWorkspaceStep(const WorkspaceStep& step) override;
  Status setWorkspaceChanges(const WorkspaceStep& changes) override;
  Result<std::vector<WorkspaceStep>> listWorkspaceSteps(Id tenant_id, Id execution_id) override;

  // Store
  Status transact(const std::function<Status(Store&)>& fn) override;

 private:
  std::shared_ptr<Store> owned_;
  Store* target_;
};

}  // namespace codecrew::store
