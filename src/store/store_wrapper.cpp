#include "store/store_wrapper.h"

namespace codecrew::store {

Status StoreWrapper::ping() { return target_->ping(); }
Status StoreWrapper::probeWrite() { return target_->probeWrite(); }
Result<int> StoreWrapper::migrate() { return target_->migrate(); }
Result<int> StoreWrapper::schemaVersion() { return target_->schemaVersion(); }
Result<Tenant> StoreWrapper::ensureTenant(const std::string& name) { return target_->ensureTenant(name); }
Result<Tenant> StoreWrapper::getTenant(Id tenant_id) { return target_->getTenant(tenant_id); }
Result<std::optional<Tenant>> StoreWrapper::findTenantByName(const std::string& name) {
  return target_->findTenantByName(name);
}
Result<ApiKey> StoreWrapper::createApiKey(const ApiKey& key) { return target_->createApiKey(key); }
Result<std::optional<ApiKey>> StoreWrapper::findApiKeyByHash(const std::string& key_hash) {
  return target_->findApiKeyByHash(key_hash);
}
Result<std::vector<ApiKey>> StoreWrapper::listApiKeys(std::optional<Id> tenant_id) {
  return target_->listApiKeys(tenant_id);
}
Result<ApiKey> StoreWrapper::revokeApiKey(Id key_id) { return target_->revokeApiKey(key_id); }
Status StoreWrapper::touchApiKey(Id key_id, Millis used_at) { return target_->touchApiKey(key_id, used_at); }
Status StoreWrapper::appendAudit(const AuditEntry& entry) { return target_->appendAudit(entry); }
Result<Page<AuditEntry>> StoreWrapper::listAudit(Id tenant_id, const PageRequest& page) {
  return target_->listAudit(tenant_id, page);
}
Result<Project> StoreWrapper::createProject(const Project& p) { return target_->createProject(p); }
Result<Project> StoreWrapper::getProject(Id tenant_id, Id id) { return target_->getProject(tenant_id, id); }
Result<Page<Project>> StoreWrapper::listProjects(Id tenant_id, const PageRequest& page) {
  return target_->listProjects(tenant_id, page);
}
Result<Created<Workflow>> StoreWrapper::createWorkflow(const Workflow& w) { return target_->createWorkflow(w); }
Result<Workflow> StoreWrapper::getWorkflow(Id tenant_id, Id id) { return target_->getWorkflow(tenant_id, id); }
Result<std::optional<Workflow>> StoreWrapper::findWorkflowByStory(Id tenant_id, const std::string& jira_story_id) {
  return target_->findWorkflowByStory(tenant_id, jira_story_id);
}
Result<Page<Workflow>> StoreWrapper::listWorkflows(Id tenant_id, const WorkflowFilter& filter) {
  return target_->listWorkflows(tenant_id, filter);
}
Status StoreWrapper::deleteWorkflow(Id tenant_id, Id id) { return target_->deleteWorkflow(tenant_id, id); }
Result<Workflow> StoreWrapper::updateWorkflowStatus(Id tenant_id, Id id, RunStatus status) {
  return target_->updateWorkflowStatus(tenant_id, id, status);
}
Result<Created<Execution>> StoreWrapper::createExecution(Id tenant_id, Id workflow_id,
                                                         const std::optional<std::string>& idempotency_key,
                                                         const boost::json::value& meta) {
  return target_->createExecution(tenant_id, workflow_id, idempotency_key, meta);
}
Result<Execution> StoreWrapper::getExecution(Id tenant_id, Id workflow_id, Id id) {
  return target_->getExecution(tenant_id, workflow_id, id);
}
Result<Execution> StoreWrapper::getExecutionById(Id tenant_id, Id id) {
  return target_->getExecutionById(tenant_id, id);
}
Result<Page<Execution>> StoreWrapper::listExecutions(Id tenant_id, Id workflow_id, const PageRequest& page) {
  return target_->listExecutions(tenant_id, workflow_id, page);
}
Result<std::vector<Execution>> StoreWrapper::latestExecutions(Id tenant_id, const std::vector<Id>& workflow_ids) {
  return target_->latestExecutions(tenant_id, workflow_ids);
}
Result<Execution> StoreWrapper::updateExecution(const Execution& e) { return target_->updateExecution(e); }
Result<Execution> StoreWrapper::refreshExecutionTotals(Id tenant_id, Id execution_id) {
  return target_->refreshExecutionTotals(tenant_id, execution_id);
}
Result<ExecutionJob> StoreWrapper::getJobForExecution(Id tenant_id, Id execution_id) {
  return target_->getJobForExecution(tenant_id, execution_id);
}
Result<ExecutionJob> StoreWrapper::updateJob(const ExecutionJob& job) { return target_->updateJob(job); }
Result<JobAttempt> StoreWrapper::addJobAttempt(const JobAttempt& attempt) { return target_->addJobAttempt(attempt); }
Result<JobAttempt> StoreWrapper::updateJobAttempt(const JobAttempt& attempt) {
  return target_->updateJobAttempt(attempt);
}
Result<std::vector<JobAttempt>> StoreWrapper::listJobAttempts(Id tenant_id, Id job_id) {
  return target_->listJobAttempts(tenant_id, job_id);
}
Result<JobAttempt> StoreWrapper::claimJobAttempt(Id tenant_id, Id execution_id, const std::string& worker) {
  return target_->claimJobAttempt(tenant_id, execution_id, worker);
}
Result<std::optional<JobLease>> StoreWrapper::claimNextJob(const std::string& owner, Millis lease_ms) {
  return target_->claimNextJob(owner, lease_ms);
}
Result<Millis> StoreWrapper::renewLease(Id job_id, std::int64_t epoch, Millis lease_ms) {
  return target_->renewLease(job_id, epoch, lease_ms);
}
Status StoreWrapper::checkLease(Id job_id, std::int64_t epoch) { return target_->checkLease(job_id, epoch); }
Result<ExecutionJob> StoreWrapper::finishLease(Id job_id, std::int64_t epoch, JobStatus status, int attempts) {
  return target_->finishLease(job_id, epoch, status, attempts);
}
Status StoreWrapper::noteProgress(Id job_id, std::int64_t epoch) { return target_->noteProgress(job_id, epoch); }
Result<ExecutionJob> StoreWrapper::markJobRunnable(Id tenant_id, Id execution_id) {
  return target_->markJobRunnable(tenant_id, execution_id);
}
Result<std::vector<ExecutionJob>> StoreWrapper::listJobsByStatus(JobStatus status) {
  return target_->listJobsByStatus(status);
}
Result<Conversation> StoreWrapper::createConversation(const Conversation& c) { return target_->createConversation(c); }
Result<Conversation> StoreWrapper::getConversation(Id tenant_id, Id id) {
  return target_->getConversation(tenant_id, id);
}
Result<Conversation> StoreWrapper::updateConversation(const Conversation& c) { return target_->updateConversation(c); }
Result<std::vector<Conversation>> StoreWrapper::listConversations(Id tenant_id, Id workflow_id) {
  return target_->listConversations(tenant_id, workflow_id);
}
Result<Message> StoreWrapper::addMessage(const Message& m) { return target_->addMessage(m); }
Result<std::vector<Message>> StoreWrapper::listMessages(Id tenant_id, Id conversation_id) {
  return target_->listMessages(tenant_id, conversation_id);
}
Result<LlmCall> StoreWrapper::insertLlmCall(const LlmCall& call) { return target_->insertLlmCall(call); }
Status StoreWrapper::insertLlmCalls(const std::vector<LlmCall>& calls) { return target_->insertLlmCalls(calls); }
Result<LlmCall> StoreWrapper::getLlmCall(Id tenant_id, Id id) { return target_->getLlmCall(tenant_id, id); }
Result<Page<LlmCall>> StoreWrapper::listLlmCalls(Id tenant_id, const LlmCallQuery& query) {
  return target_->listLlmCalls(tenant_id, query);
}
Result<LlmCallTotals> StoreWrapper::llmCallTotals(Id tenant_id, const LlmCallQuery& query) {
  return target_->llmCallTotals(tenant_id, query);
}
Result<Page<AgentLlmCall>> StoreWrapper::listWorkflowLlmCalls(Id tenant_id, Id workflow_id, const LlmCallQuery& query) {
  return target_->listWorkflowLlmCalls(tenant_id, workflow_id, query);
}
Result<CodeFile> StoreWrapper::addCodeFile(const CodeFile& f) { return target_->addCodeFile(f); }
Result<std::vector<CodeFile>> StoreWrapper::listCodeFiles(Id tenant_id, Id workflow_id,
                                                          std::optional<Id> execution_id) {
  return target_->listCodeFiles(tenant_id, workflow_id, execution_id);
}
Result<Diff> StoreWrapper::addDiff(const Diff& d) { return target_->addDiff(d); }
Result<Page<Diff>> StoreWrapper::listDiffs(Id tenant_id, Id workflow_id, std::optional<Id> execution_id,
                                           const std::optional<std::string>& path, const PageRequest& page) {
  return target_->listDiffs(tenant_id, workflow_id, execution_id, path, page);
}
Result<Artifact> StoreWrapper::addArtifact(const Artifact& a) { return target_->addArtifact(a); }
Result<Artifact> StoreWrapper::getArtifact(Id tenant_id, Id workflow_id, Id id) {
  return target_->getArtifact(tenant_id, workflow_id, id);
}
Result<Page<Artifact>> StoreWrapper::listArtifacts(Id tenant_id, Id workflow_id, std::optional<Id> execution_id,
                                                   const std::optional<std::string>& kind, const PageRequest& page) {
  return target_->listArtifacts(tenant_id, workflow_id, execution_id, kind, page);
}
Result<Approval> StoreWrapper::createApproval(const Approval& a) { return target_->createApproval(a); }
Result<Approval> StoreWrapper::getApproval(Id tenant_id, Id id) { return target_->getApproval(tenant_id, id); }
Result<Page<Approval>> StoreWrapper::listApprovals(Id tenant_id, const std::optional<ApprovalStatus>& status,
                                                   std::optional<Id> execution_id, const PageRequest& page) {
  return target_->listApprovals(tenant_id, status, execution_id, page);
}
Result<Approval> StoreWrapper::decideApproval(Id tenant_id, Id id, Decision decision, const std::string& reviewer,
                                              const std::string& comment) {
  return target_->decideApproval(tenant_id, id, decision, reviewer, comment);
}
Result<PullRequest> StoreWrapper::upsertPullRequest(const PullRequest& pr) { return target_->upsertPullRequest(pr); }
Result<std::optional<PullRequest>> StoreWrapper::getPullRequest(Id tenant_id, Id workflow_id) {
  return target_->getPullRequest(tenant_id, workflow_id);
}
Result<Check> StoreWrapper::upsertCheck(const Check& c) { return target_->upsertCheck(c); }
Result<Page<Check>> StoreWrapper::listChecks(Id tenant_id, Id pull_request_id, const PageRequest& page) {
  return target_->listChecks(tenant_id, pull_request_id, page);
}
Status StoreWrapper::dropChecksNotAt(Id tenant_id, Id pull_request_id, const std::string& head_sha) {
  return target_->dropChecksNotAt(tenant_id, pull_request_id, head_sha);
}
Result<std::optional<PullRequest>> StoreWrapper::findPullRequestByBranch(const std::string& repository,
                                                                         const std::string& branch) {
  return target_->findPullRequestByBranch(repository, branch);
}
Result<std::optional<PullRequest>> StoreWrapper::findPullRequestByNumber(const std::string& repository,
                                                                         std::int64_t number) {
  return target_->findPullRequestByNumber(repository, number);
}
Result<Event> StoreWrapper::appendEvent(const Event& e) { return target_->appendEvent(e); }
Result<std::vector<Event>> StoreWrapper::listEvents(Id tenant_id, Id workflow_id, std::int64_t after_seq, int limit) {
  return target_->listEvents(tenant_id, workflow_id, after_seq, limit);
}
Result<CrewSession> StoreWrapper::createSession(const CrewSession& s) { return target_->createSession(s); }
Result<CrewSession> StoreWrapper::getSession(Id tenant_id, Id id) { return target_->getSession(tenant_id, id); }
Result<CrewSession> StoreWrapper::updateSession(const CrewSession& s) { return target_->updateSession(s); }
Result<CrewSession> StoreWrapper::writeSessionFiles(Id tenant_id, Id session_id, const std::vector<SessionFile>& files,
                                                    const std::vector<std::string>& removed, Millis expires_at) {
  return target_->writeSessionFiles(tenant_id, session_id, files, removed, expires_at);
}
Result<std::vector<SessionFile>> StoreWrapper::listSessionFiles(Id tenant_id, Id session_id) {
  return target_->listSessionFiles(tenant_id, session_id);
}
Result<SessionFile> StoreWrapper::getSessionFile(Id tenant_id, Id session_id, const std::string& path) {
  return target_->getSessionFile(tenant_id, session_id, path);
}
Status StoreWrapper::deleteSession(Id tenant_id, Id id) { return target_->deleteSession(tenant_id, id); }
Result<std::vector<CrewSession>> StoreWrapper::listExpiredSessions(Millis now, int limit) {
  return target_->listExpiredSessions(now, limit);
}
Result<bool> StoreWrapper::recordWebhookDelivery(const WebhookDelivery& delivery) {
  return target_->recordWebhookDelivery(delivery);
}
Result<std::optional<WebhookDelivery>> StoreWrapper::findWebhookDelivery(const std::string& delivery_id) {
  return target_->findWebhookDelivery(delivery_id);
}
Result<WorkspaceStep> StoreWrapper::addWorkspaceStep(const WorkspaceStep& step) {
  return target_->addWorkspaceStep(step);
}
Status StoreWrapper::setWorkspaceChanges(const WorkspaceStep& changes) { return target_->setWorkspaceChanges(changes); }
Result<std::vector<WorkspaceStep>> StoreWrapper::listWorkspaceSteps(Id tenant_id, Id execution_id) {
  return target_->listWorkspaceSteps(tenant_id, execution_id);
}
Status StoreWrapper::transact(const std::function<Status(Store&)>& fn) { return target_->transact(fn); }

}  // namespace codecrew::store
