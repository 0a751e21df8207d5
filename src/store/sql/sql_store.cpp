#include "store/sql/sql_store.h"

#include "store/sql/conversation_queries.h"
#include "store/sql/event_queries.h"
#include "store/sql/job_queries.h"
#include "store/sql/lease_queries.h"
#include "store/sql/llm_call_queries.h"
#include "store/sql/migrations.h"
#include "store/sql/operations_queries.h"
#include "store/sql/output_queries.h"
#include "store/sql/review_queries.h"
#include "store/sql/session_queries.h"
#include "store/sql/tenant_queries.h"
#include "store/sql/webhook_queries.h"
#include "store/sql/workflow_queries.h"
#include "store/sql/workspace_queries.h"
#include "store/sqlite/sqlite_database.h"

#include <stdexcept>

namespace codecrew::store {

using sql::Connection;

Result<std::unique_ptr<SqlStore>> SqlStore::openSqlite(const std::string& path, std::shared_ptr<core::Clock> clock,
                                                       const SqliteStoreOptions& options) {
  sqlite::DatabaseOptions dbopts;
  dbopts.busy_timeout_ms = options.busy_timeout_ms;
  dbopts.reader_connections = options.reader_connections;
  auto db = sqlite::SqliteDatabase::open(path, dbopts);
  if (!db.ok()) return std::move(db).error();
  return std::make_unique<SqlStore>(std::move(db).value(), std::move(clock));
}

SqlStore::SqlStore(std::unique_ptr<sql::Database> db, std::shared_ptr<core::Clock> clock)
    : db_(std::move(db)), clock_(std::move(clock)) {
  if (!db_ || !clock_) throw std::invalid_argument("SqlStore needs a database and a clock");
}

Result<OperationalSnapshot> SqlStore::operationalSnapshot() {
  return db_->readResult([](Connection& c) { return sql::operationalSnapshot(c); });
}

Status SqlStore::ping() {
  return db_->read([](Connection& c) { return c.exec("SELECT 1"); });
}

Status SqlStore::probeWrite() {
  return db_->write([](Connection& c) {
    return c.exec(
        "UPDATE schema_migrations SET applied_at = applied_at "
        "WHERE version = (SELECT max(version) FROM schema_migrations)");
  });
}

Result<int> SqlStore::migrate() {
  int version = 0;
  Status st = db_->exclusive([&](Connection& c) -> Status {
    auto v = sql::applyMigrations(c, sql::builtinMigrations(), now());
    if (!v.ok()) return std::move(v).error();
    version = *v;
    return {};
  });
  if (!st.ok()) return std::move(st).error();
  return version;
}

Result<int> SqlStore::schemaVersion() {
  return db_->readResult([](Connection& c) { return sql::schemaVersion(c); });
}

// --- tenants, keys, audit, projects ------------------------------------------

Result<Tenant> SqlStore::ensureTenant(const std::string& name) {
  return db_->writeResult([&](Connection& c) { return sql::ensureTenant(c, now(), name); });
}
Result<Tenant> SqlStore::getTenant(Id tenant_id) {
  return db_->readResult([&](Connection& c) { return sql::getTenant(c, tenant_id); });
}
Result<std::optional<Tenant>> SqlStore::findTenantByName(const std::string& name) {
  return db_->readResult([&](Connection& c) { return sql::findTenantByName(c, name); });
}
Result<ApiKey> SqlStore::createApiKey(const ApiKey& key) {
  return db_->writeResult([&](Connection& c) { return sql::createApiKey(c, now(), key); });
}
Result<std::optional<ApiKey>> SqlStore::findApiKeyByHash(const std::string& key_hash) {
  return db_->readResult([&](Connection& c) { return sql::findApiKeyByHash(c, key_hash); });
}
Result<std::vector<ApiKey>> SqlStore::listApiKeys(std::optional<Id> tenant_id) {
  return db_->readResult([&](Connection& c) { return sql::listApiKeys(c, tenant_id); });
}
Result<ApiKey> SqlStore::revokeApiKey(Id key_id) {
  return db_->writeResult([&](Connection& c) { return sql::revokeApiKey(c, now(), key_id); });
}
Status SqlStore::touchApiKey(Id key_id, Millis used_at) {
  // Every authenticated request touches its key; a cheap read first spares
  // the writer when the recorded time is already within the resolution.
  auto last = db_->readResult([&](Connection& c) { return sql::apiKeyLastUsed(c, key_id); });
  if (!last.ok()) return std::move(last).error();
  if (*last && used_at >= **last && used_at - **last < kTouchResolutionMs) return {};
  return db_->writeResult([&](Connection& c) { return sql::touchApiKey(c, key_id, used_at); });
}
Status SqlStore::appendAudit(const AuditEntry& entry) {
  return db_->writeResult([&](Connection& c) { return sql::appendAudit(c, now(), entry); });
}
Result<Page<AuditEntry>> SqlStore::listAudit(Id tenant_id, const PageRequest& page) {
  return db_->readResult([&](Connection& c) { return sql::listAudit(c, tenant_id, page); });
}
Result<Project> SqlStore::createProject(const Project& p) {
  return db_->writeResult([&](Connection& c) { return sql::createProject(c, now(), p); });
}
Result<Project> SqlStore::getProject(Id tenant_id, Id id) {
  return db_->readResult([&](Connection& c) { return sql::getProject(c, tenant_id, id); });
}
Result<Page<Project>> SqlStore::listProjects(Id tenant_id, const PageRequest& page) {
  return db_->readResult([&](Connection& c) { return sql::listProjects(c, tenant_id, page); });
}

// --- workflows and executions ---------------------------------------------------

Result<Created<Workflow>> SqlStore::createWorkflow(const Workflow& w) {
  return db_->writeResult([&](Connection& c) { return sql::createWorkflow(c, now(), w); });
}
Result<Workflow> SqlStore::getWorkflow(Id tenant_id, Id id) {
  return db_->readResult([&](Connection& c) { return sql::getWorkflow(c, tenant_id, id); });
}
Result<std::optional<Workflow>> SqlStore::findWorkflowByStory(Id tenant_id, const std::string& jira_story_id) {
  return db_->readResult([&](Connection& c) { return sql::findWorkflowByStory(c, tenant_id, jira_story_id); });
}
Result<Page<Workflow>> SqlStore::listWorkflows(Id tenant_id, const WorkflowFilter& filter) {
  return db_->readResult([&](Connection& c) { return sql::listWorkflows(c, tenant_id, filter); });
}
Status SqlStore::deleteWorkflow(Id tenant_id, Id id) {
  return db_->writeResult([&](Connection& c) { return sql::deleteWorkflow(c, tenant_id, id); });
}
Result<Workflow> SqlStore::updateWorkflowStatus(Id tenant_id, Id id, RunStatus status) {
  return db_->writeResult([&](Connection& c) { return sql::updateWorkflowStatus(c, now(), tenant_id, id, status); });
}
Result<Created<Execution>> SqlStore::createExecution(Id tenant_id, Id workflow_id,
                                                     const std::optional<std::string>& idempotency_key,
                                                     const boost::json::value& meta) {
  return db_->writeResult(
      [&](Connection& c) { return sql::createExecution(c, now(), tenant_id, workflow_id, idempotency_key, meta); });
}
Result<Execution> SqlStore::getExecution(Id tenant_id, Id workflow_id, Id id) {
  return db_->readResult([&](Connection& c) { return sql::getExecution(c, tenant_id, workflow_id, id); });
}
Result<Execution> SqlStore::getExecutionById(Id tenant_id, Id id) {
  return db_->readResult([&](Connection& c) { return sql::getExecutionById(c, tenant_id, id); });
}
Result<Page<Execution>> SqlStore::listExecutions(Id tenant_id, Id workflow_id, const PageRequest& page) {
  return db_->readResult([&](Connection& c) { return sql::listExecutions(c, tenant_id, workflow_id, page); });
}

Result<std::vector<Execution>> SqlStore::latestExecutions(Id tenant_id, const std::vector<Id>& workflow_ids) {
  return db_->readResult([&](Connection& c) { return sql::latestExecutions(c, tenant_id, workflow_ids); });
}
Result<Execution> SqlStore::updateExecution(const Execution& e) {
  return db_->writeResult([&](Connection& c) { return sql::updateExecution(c, now(), e); });
}
Result<Execution> SqlStore::refreshExecutionTotals(Id tenant_id, Id execution_id) {
  return db_->writeResult(
      [&](Connection& c) { return sql::refreshExecutionTotals(c, now(), tenant_id, execution_id); });
}

// --- jobs ---------------------------------------------------------------------------

Result<ExecutionJob> SqlStore::getJobForExecution(Id tenant_id, Id execution_id) {
  return db_->readResult([&](Connection& c) { return sql::getJobForExecution(c, tenant_id, execution_id); });
}
Result<ExecutionJob> SqlStore::updateJob(const ExecutionJob& job) {
  return db_->writeResult([&](Connection& c) { return sql::updateJob(c, now(), job); });
}
Result<JobAttempt> SqlStore::addJobAttempt(const JobAttempt& attempt) {
  return db_->writeResult([&](Connection& c) { return sql::addJobAttempt(c, now(), attempt); });
}
Result<JobAttempt> SqlStore::updateJobAttempt(const JobAttempt& attempt) {
  return db_->writeResult([&](Connection& c) { return sql::updateJobAttempt(c, attempt); });
}
Result<std::vector<JobAttempt>> SqlStore::listJobAttempts(Id tenant_id, Id job_id) {
  return db_->readResult([&](Connection& c) { return sql::listJobAttempts(c, tenant_id, job_id); });
}
Result<JobAttempt> SqlStore::claimJobAttempt(Id tenant_id, Id execution_id, const std::string& worker) {
  return db_->writeResult(
      [&](Connection& c) { return sql::claimJobAttempt(c, now(), tenant_id, execution_id, worker); });
}

// --- the shared job queue ------------------------------------------------------

Result<std::optional<JobLease>> SqlStore::claimNextJob(const std::string& owner, Millis lease_ms) {
  return db_->writeReadCommittedResult([&](Connection& c) { return sql::claimNextJob(c, now(), owner, lease_ms); });
}
Result<Millis> SqlStore::renewLease(Id job_id, std::int64_t epoch, Millis lease_ms) {
  return db_->writeResult([&](Connection& c) { return sql::renewLease(c, now(), job_id, epoch, lease_ms); });
}
Status SqlStore::checkLease(Id job_id, std::int64_t epoch) {
  return db_->write([&](Connection& c) { return sql::checkLease(c, now(), job_id, epoch); });
}
Result<ExecutionJob> SqlStore::finishLease(Id job_id, std::int64_t epoch, JobStatus status, int attempts) {
  return db_->writeResult([&](Connection& c) { return sql::finishLease(c, now(), job_id, epoch, status, attempts); });
}
Status SqlStore::noteProgress(Id job_id, std::int64_t epoch) {
  return db_->write([&](Connection& c) { return sql::noteProgress(c, now(), job_id, epoch); });
}
Result<ExecutionJob> SqlStore::markJobRunnable(Id tenant_id, Id execution_id) {
  return db_->writeResult([&](Connection& c) { return sql::markJobRunnable(c, now(), tenant_id, execution_id); });
}
Result<std::vector<ExecutionJob>> SqlStore::listJobsByStatus(JobStatus status) {
  return db_->readResult([&](Connection& c) { return sql::listJobsByStatus(c, status); });
}

// --- conversations, messages, LLM calls ---------------------------------------------

Result<Conversation> SqlStore::createConversation(const Conversation& conv) {
  return db_->writeResult([&](Connection& c) { return sql::createConversation(c, now(), conv); });
}
Result<Conversation> SqlStore::getConversation(Id tenant_id, Id id) {
  return db_->readResult([&](Connection& c) { return sql::getConversation(c, tenant_id, id); });
}
Result<Conversation> SqlStore::updateConversation(const Conversation& conv) {
  return db_->writeResult([&](Connection& c) { return sql::updateConversation(c, now(), conv); });
}
Result<std::vector<Conversation>> SqlStore::listConversations(Id tenant_id, Id workflow_id) {
  return db_->readResult([&](Connection& c) { return sql::listConversations(c, tenant_id, workflow_id); });
}
Result<Message> SqlStore::addMessage(const Message& m) {
  return db_->writeResult([&](Connection& c) { return sql::addMessage(c, now(), m); });
}
Result<std::vector<Message>> SqlStore::listMessages(Id tenant_id, Id conversation_id) {
  return db_->readResult([&](Connection& c) { return sql::listMessages(c, tenant_id, conversation_id); });
}
Result<LlmCall> SqlStore::insertLlmCall(const LlmCall& call) {
  return db_->writeResult([&](Connection& c) { return sql::insertLlmCall(c, now(), call); });
}
Status SqlStore::insertLlmCalls(const std::vector<LlmCall>& calls) {
  return db_->write([&](Connection& c) { return sql::insertLlmCallRows(c, now(), calls); });
}
Result<LlmCall> SqlStore::getLlmCall(Id tenant_id, Id id) {
  return db_->readResult([&](Connection& c) { return sql::getLlmCall(c, tenant_id, id); });
}
Result<Page<LlmCall>> SqlStore::listLlmCalls(Id tenant_id, const LlmCallQuery& query) {
  return db_->readResult([&](Connection& c) { return sql::listLlmCalls(c, tenant_id, query); });
}
Result<LlmCallTotals> SqlStore::llmCallTotals(Id tenant_id, const LlmCallQuery& query) {
  return db_->readResult([&](Connection& c) { return sql::llmCallTotals(c, tenant_id, query); });
}
Result<Page<AgentLlmCall>> SqlStore::listWorkflowLlmCalls(Id tenant_id, Id workflow_id, const LlmCallQuery& query) {
  return db_->readResult([&](Connection& c) { return sql::listWorkflowLlmCalls(c, tenant_id, workflow_id, query); });
}

// --- outputs --------------------------------------------------------------------------

Result<CodeFile> SqlStore::addCodeFile(const CodeFile& f) {
  return db_->writeResult([&](Connection& c) { return sql::addCodeFile(c, now(), f); });
}
Result<std::vector<CodeFile>> SqlStore::listCodeFiles(Id tenant_id, Id workflow_id, std::optional<Id> execution_id) {
  return db_->readResult([&](Connection& c) { return sql::listCodeFiles(c, tenant_id, workflow_id, execution_id); });
}
Result<Diff> SqlStore::addDiff(const Diff& d) {
  return db_->writeResult([&](Connection& c) { return sql::addDiff(c, now(), d); });
}
Result<Page<Diff>> SqlStore::listDiffs(Id tenant_id, Id workflow_id, std::optional<Id> execution_id,
                                       const std::optional<std::string>& path, const PageRequest& page) {
  return db_->readResult(
      [&](Connection& c) { return sql::listDiffs(c, tenant_id, workflow_id, execution_id, path, page); });
}
Result<Artifact> SqlStore::addArtifact(const Artifact& a) {
  return db_->writeResult([&](Connection& c) { return sql::addArtifact(c, now(), a); });
}
Result<Artifact> SqlStore::getArtifact(Id tenant_id, Id workflow_id, Id id) {
  return db_->readResult([&](Connection& c) { return sql::getArtifact(c, tenant_id, workflow_id, id); });
}
Result<Page<Artifact>> SqlStore::listArtifacts(Id tenant_id, Id workflow_id, std::optional<Id> execution_id,
                                               const std::optional<std::string>& kind, const PageRequest& page) {
  return db_->readResult(
      [&](Connection& c) { return sql::listArtifacts(c, tenant_id, workflow_id, execution_id, kind, page); });
}

// --- approvals, pull requests, checks ----------------------------------------------------

Result<Approval> SqlStore::createApproval(const Approval& a) {
  return db_->writeResult([&](Connection& c) { return sql::createApproval(c, now(), a); });
}
Result<Approval> SqlStore::getApproval(Id tenant_id, Id id) {
  return db_->readResult([&](Connection& c) { return sql::getApproval(c, tenant_id, id); });
}
Result<Page<Approval>> SqlStore::listApprovals(Id tenant_id, const std::optional<ApprovalStatus>& status,
                                               std::optional<Id> execution_id, const PageRequest& page) {
  return db_->readResult([&](Connection& c) { return sql::listApprovals(c, tenant_id, status, execution_id, page); });
}
Result<Approval> SqlStore::decideApproval(Id tenant_id, Id id, Decision decision, const std::string& reviewer,
                                          const std::string& comment) {
  return db_->writeResult(
      [&](Connection& c) { return sql::decideApproval(c, now(), tenant_id, id, decision, reviewer, comment); });
}
Result<PullRequest> SqlStore::upsertPullRequest(const PullRequest& pr) {
  return db_->writeResult([&](Connection& c) { return sql::upsertPullRequest(c, now(), pr); });
}
Result<std::optional<PullRequest>> SqlStore::getPullRequest(Id tenant_id, Id workflow_id) {
  return db_->readResult([&](Connection& c) { return sql::getPullRequest(c, tenant_id, workflow_id); });
}
Result<Check> SqlStore::upsertCheck(const Check& check) {
  return db_->writeResult([&](Connection& c) { return sql::upsertCheck(c, now(), check); });
}
Result<Page<Check>> SqlStore::listChecks(Id tenant_id, Id pull_request_id, const PageRequest& page) {
  return db_->readResult([&](Connection& c) { return sql::listChecks(c, tenant_id, pull_request_id, page); });
}
Status SqlStore::dropChecksNotAt(Id tenant_id, Id pull_request_id, const std::string& head_sha) {
  return db_->write([&](Connection& c) { return sql::dropChecksNotAt(c, tenant_id, pull_request_id, head_sha); });
}
Result<std::optional<PullRequest>> SqlStore::findPullRequestByBranch(const std::string& repository,
                                                                     const std::string& branch) {
  return db_->readResult([&](Connection& c) { return sql::findPullRequestByBranch(c, repository, branch); });
}
Result<std::optional<PullRequest>> SqlStore::findPullRequestByNumber(const std::string& repository,
                                                                     std::int64_t number) {
  return db_->readResult([&](Connection& c) { return sql::findPullRequestByNumber(c, repository, number); });
}

// --- events and transactions ---------------------------------------------------------------

Result<Event> SqlStore::appendEvent(const Event& e) {
  return db_->writeResult([&](Connection& c) { return sql::appendEvent(c, now(), e); });
}
Result<std::vector<Event>> SqlStore::listEvents(Id tenant_id, Id workflow_id, std::int64_t after_seq, int limit) {
  return db_->readResult([&](Connection& c) { return sql::listEvents(c, tenant_id, workflow_id, after_seq, limit); });
}

// --- CrewCode sessions -------------------------------------------------------------------

Result<CrewSession> SqlStore::createSession(const CrewSession& s) {
  return db_->writeResult([&](Connection& c) { return sql::createSession(c, now(), s); });
}
Result<CrewSession> SqlStore::getSession(Id tenant_id, Id id) {
  return db_->readResult([&](Connection& c) { return sql::getSession(c, tenant_id, id); });
}
Result<CrewSession> SqlStore::updateSession(const CrewSession& s) {
  return db_->writeResult([&](Connection& c) { return sql::updateSession(c, now(), s); });
}
Result<CrewSession> SqlStore::writeSessionFiles(Id tenant_id, Id session_id, const std::vector<SessionFile>& files,
                                                const std::vector<std::string>& removed, Millis expires_at) {
  return db_->writeResult([&](Connection& c) {
    return sql::writeSessionFiles(c, now(), tenant_id, session_id, files, removed, expires_at);
  });
}
Result<std::vector<SessionFile>> SqlStore::listSessionFiles(Id tenant_id, Id session_id) {
  return db_->readResult([&](Connection& c) { return sql::listSessionFiles(c, tenant_id, session_id); });
}
Result<SessionFile> SqlStore::getSessionFile(Id tenant_id, Id session_id, const std::string& path) {
  return db_->readResult([&](Connection& c) { return sql::getSessionFile(c, tenant_id, session_id, path); });
}
Status SqlStore::deleteSession(Id tenant_id, Id id) {
  return db_->write([&](Connection& c) { return sql::deleteSession(c, tenant_id, id); });
}
Result<std::vector<CrewSession>> SqlStore::listExpiredSessions(Millis now, int limit) {
  return db_->readResult([&](Connection& c) { return sql::listExpiredSessions(c, now, limit); });
}

// --- webhook deliveries -------------------------------------------------------------------

Result<bool> SqlStore::recordWebhookDelivery(const WebhookDelivery& delivery) {
  return db_->writeResult([&](Connection& c) { return sql::recordWebhookDelivery(c, now(), delivery); });
}
Result<std::optional<WebhookDelivery>> SqlStore::findWebhookDelivery(const std::string& delivery_id) {
  return db_->readResult([&](Connection& c) { return sql::findWebhookDelivery(c, delivery_id); });
}

// --- workspace steps -----------------------------------------------------------------------

Result<WorkspaceStep> SqlStore::addWorkspaceStep(const WorkspaceStep& step) {
  return db_->writeResult([&](Connection& c) { return sql::addWorkspaceStep(c, now(), step); });
}
Status SqlStore::setWorkspaceChanges(const WorkspaceStep& changes) {
  return db_->write([&](Connection& c) { return sql::setWorkspaceChanges(c, now(), changes); });
}
Result<std::vector<WorkspaceStep>> SqlStore::listWorkspaceSteps(Id tenant_id, Id execution_id) {
  return db_->readResult([&](Connection& c) { return sql::listWorkspaceSteps(c, tenant_id, execution_id); });
}

Status SqlStore::transact(const std::function<Status(Store&)>& fn) {
  // fn may keep what it read or made (ids, checkpoints) beyond a failed
  // attempt: it runs once; a race it loses comes back as kUnavailable.
  return db_->write([&](Connection&) { return fn(*this); }, sql::Database::Retry::kNever);
}

}  // namespace codecrew::store
