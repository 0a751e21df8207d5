#include "store/sqlite/sqlite_store.h"

#include "store/sqlite/conversation_queries.h"
#include "store/sqlite/event_queries.h"
#include "store/sqlite/job_queries.h"
#include "store/sqlite/llm_call_queries.h"
#include "store/sqlite/migrations.h"
#include "store/sqlite/output_queries.h"
#include "store/sqlite/review_queries.h"
#include "store/sqlite/session_queries.h"
#include "store/sqlite/tenant_queries.h"
#include "store/sqlite/webhook_queries.h"
#include "store/sqlite/workflow_queries.h"

#include <stdexcept>

namespace codecrew::store {

using sqlite::SqliteConnection;

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path, std::shared_ptr<core::Clock> clock,
                                                       const SqliteStoreOptions& options) {
  if (!clock) throw std::invalid_argument("SqliteStore needs a clock");
  sqlite::DatabaseOptions dbopts;
  dbopts.busy_timeout_ms = options.busy_timeout_ms;
  dbopts.reader_connections = options.reader_connections;
  auto db = sqlite::SqliteDatabase::open(path, dbopts);
  if (!db.ok()) return std::move(db).error();
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(db).value(), std::move(clock)));
}

SqliteStore::SqliteStore(std::unique_ptr<sqlite::SqliteDatabase> db, std::shared_ptr<core::Clock> clock)
    : db_(std::move(db)), clock_(std::move(clock)) {}

Status SqliteStore::ping() {
  return db_->read([](SqliteConnection& c) { return c.exec("SELECT 1"); });
}

Status SqliteStore::probeWrite() {
  return db_->write([](SqliteConnection& c) {
    return c.exec(
        "UPDATE schema_migrations SET applied_at = applied_at "
        "WHERE version = (SELECT max(version) FROM schema_migrations)");
  });
}

Result<int> SqliteStore::migrate() {
  int version = 0;
  Status st = db_->exclusive([&](SqliteConnection& c) -> Status {
    auto v = sqlite::applyMigrations(c, sqlite::builtinMigrations(), now());
    if (!v.ok()) return std::move(v).error();
    version = *v;
    return {};
  });
  if (!st.ok()) return std::move(st).error();
  return version;
}

Result<int> SqliteStore::schemaVersion() {
  return db_->readResult([](SqliteConnection& c) { return sqlite::schemaVersion(c); });
}

// --- tenants, keys, audit, projects ------------------------------------------

Result<Tenant> SqliteStore::ensureTenant(const std::string& name) {
  return db_->writeResult([&](SqliteConnection& c) { return sqlite::ensureTenant(c, now(), name); });
}
Result<Tenant> SqliteStore::getTenant(Id tenant_id) {
  return db_->readResult([&](SqliteConnection& c) { return sqlite::getTenant(c, tenant_id); });
}
Result<std::optional<Tenant>> SqliteStore::findTenantByName(const std::string& name) {
  return db_->readResult([&](SqliteConnection& c) { return sqlite::findTenantByName(c, name); });
}
Result<ApiKey> SqliteStore::createApiKey(const ApiKey& key) {
  return db_->writeResult([&](SqliteConnection& c) { return sqlite::createApiKey(c, now(), key); });
}
Result<std::optional<ApiKey>> SqliteStore::findApiKeyByHash(const std::string& key_hash) {
  return db_->readResult([&](SqliteConnection& c) { return sqlite::findApiKeyByHash(c, key_hash); });
}
Result<std::vector<ApiKey>> SqliteStore::listApiKeys(std::optional<Id> tenant_id) {
  return db_->readResult([&](SqliteConnection& c) { return sqlite::listApiKeys(c, tenant_id); });
}
Result<ApiKey> SqliteStore::revokeApiKey(Id key_id) {
  return db_->writeResult([&](SqliteConnection& c) { return sqlite::revokeApiKey(c, now(), key_id); });
}
Status SqliteStore::touchApiKey(Id key_id, Millis used_at) {
  // Every authenticated request touches its key; a cheap read first spares
  // the writer when the recorded time is already within the resolution.
  auto last = db_->readResult([&](SqliteConnection& c) { return sqlite::apiKeyLastUsed(c, key_id); });
  if (!last.ok()) return std::move(last).error();
  if (*last && used_at >= **last && used_at - **last < kTouchResolutionMs) return {};
  return db_->writeResult([&](SqliteConnection& c) { return sqlite::touchApiKey(c, key_id, used_at); });
}
Status SqliteStore::appendAudit(const AuditEntry& entry) {
  return db_->writeResult([&](SqliteConnection& c) { return sqlite::appendAudit(c, now(), entry); });
}
Result<Page<AuditEntry>> SqliteStore::listAudit(Id tenant_id, const PageRequest& page) {
  return db_->readResult([&](SqliteConnection& c) { return sqlite::listAudit(c, tenant_id, page); });
}
Result<Project> SqliteStore::createProject(const Project& p) {
  return db_->writeResult([&](SqliteConnection& c) { return sqlite::createProject(c, now(), p); });
}
Result<Project> SqliteStore::getProject(Id tenant_id, Id id) {
  return db_->readResult([&](SqliteConnection& c) { return sqlite::getProject(c, tenant_id, id); });
}
Result<Page<Project>> SqliteStore::listProjects(Id tenant_id, const PageRequest& page) {
  return db_->readResult([&](SqliteConnection& c) { return sqlite::listProjects(c, tenant_id, page); });
}

// --- workflows and executions ---------------------------------------------------

Result<Created<Workflow>> SqliteStore::createWorkflow(const Workflow& w) {
  return db_->writeResult([&](SqliteConnection& c) { return sqlite::createWorkflow(c, now(), w); });
}
Result<Workflow> SqliteStore::getWorkflow(Id tenant_id, Id id) {
  return db_->readResult([&](SqliteConnection& c) { return sqlite::getWorkflow(c, tenant_id, id); });
}
Result<std::optional<Workflow>> SqliteStore::findWorkflowByStory(Id tenant_id, const std::string& jira_story_id) {
  return db_->readResult([&](SqliteConnection& c) { return sqlite::findWorkflowByStory(c, tenant_id, jira_story_id); });
}
Result<Page<Workflow>> SqliteStore::listWorkflows(Id tenant_id, const WorkflowFilter& filter) {
  return db_->readResult([&](SqliteConnection& c) { return sqlite::listWorkflows(c, tenant_id, filter); });
}
Status SqliteStore::deleteWorkflow(Id tenant_id, Id id) {
  return db_->writeResult([&](SqliteConnection& c) { return sqlite::deleteWorkflow(c, tenant_id, id); });
}
Result<Workflow> SqliteStore::updateWorkflowStatus(Id tenant_id, Id id, RunStatus status) {
  return db_->writeResult(
      [&](SqliteConnection& c) { return sqlite::updateWorkflowStatus(c, now(), tenant_id, id, status); });
}
Result<Created<Execution>> SqliteStore::createExecution(Id tenant_id, Id workflow_id,
                                                        const std::optional<std::string>& idempotency_key,
                                                        const boost::json::value& meta) {
  return db_->writeResult([&](SqliteConnection& c) {
    return sqlite::createExecution(c, now(), tenant_id, workflow_id, idempotency_key, meta);
  });
}
Result<Execution> SqliteStore::getExecution(Id tenant_id, Id workflow_id, Id id) {
  return db_->readResult([&](SqliteConnection& c) { return sqlite::getExecution(c, tenant_id, workflow_id, id); });
}
Result<Execution> SqliteStore::getExecutionById(Id tenant_id, Id id) {
  return db_->readResult([&](SqliteConnection& c) { return sqlite::getExecutionById(c, tenant_id, id); });
}
Result<Page<Execution>> SqliteStore::listExecutions(Id tenant_id, Id workflow_id, const PageRequest& page) {
  return db_->readResult([&](SqliteConnection& c) { return sqlite::listExecutions(c, tenant_id, workflow_id, page); });
}

Result<std::vector<Execution>> SqliteStore::latestExecutions(Id tenant_id, const std::vector<Id>& workflow_ids) {
  return db_->readResult([&](SqliteConnection& c) { return sqlite::latestExecutions(c, tenant_id, workflow_ids); });
}
Result<Execution> SqliteStore::updateExecution(const Execution& e) {
  return db_->writeResult([&](SqliteConnection& c) { return sqlite::updateExecution(c, now(), e); });
}
Result<Execution> SqliteStore::refreshExecutionTotals(Id tenant_id, Id execution_id) {
  return db_->writeResult(
      [&](SqliteConnection& c) { return sqlite::refreshExecutionTotals(c, now(), tenant_id, execution_id); });
}

// --- jobs ---------------------------------------------------------------------------

Result<ExecutionJob> SqliteStore::getJobForExecution(Id tenant_id, Id execution_id) {
  return db_->readResult([&](SqliteConnection& c) { return sqlite::getJobForExecution(c, tenant_id, execution_id); });
}
Result<ExecutionJob> SqliteStore::updateJob(const ExecutionJob& job) {
  return db_->writeResult([&](SqliteConnection& c) { return sqlite::updateJob(c, now(), job); });
}
Result<JobAttempt> SqliteStore::addJobAttempt(const JobAttempt& attempt) {
  return db_->writeResult([&](SqliteConnection& c) { return sqlite::addJobAttempt(c, now(), attempt); });
}
Result<JobAttempt> SqliteStore::updateJobAttempt(const JobAttempt& attempt) {
  return db_->writeResult([&](SqliteConnection& c) { return sqlite::updateJobAttempt(c, attempt); });
}
Result<std::vector<JobAttempt>> SqliteStore::listJobAttempts(Id tenant_id, Id job_id) {
  return db_->readResult([&](SqliteConnection& c) { return sqlite::listJobAttempts(c, tenant_id, job_id); });
}
Result<JobAttempt> SqliteStore::claimJobAttempt(Id tenant_id, Id execution_id, const std::string& worker) {
  return db_->writeResult(
      [&](SqliteConnection& c) { return sqlite::claimJobAttempt(c, now(), tenant_id, execution_id, worker); });
}
Result<std::vector<ExecutionJob>> SqliteStore::listJobsByStatus(JobStatus status) {
  return db_->readResult([&](SqliteConnection& c) { return sqlite::listJobsByStatus(c, status); });
}

// --- conversations, messages, LLM calls ---------------------------------------------

Result<Conversation> SqliteStore::createConversation(const Conversation& conv) {
  return db_->writeResult([&](SqliteConnection& c) { return sqlite::createConversation(c, now(), conv); });
}
Result<Conversation> SqliteStore::getConversation(Id tenant_id, Id id) {
  return db_->readResult([&](SqliteConnection& c) { return sqlite::getConversation(c, tenant_id, id); });
}
Result<Conversation> SqliteStore::updateConversation(const Conversation& conv) {
  return db_->writeResult([&](SqliteConnection& c) { return sqlite::updateConversation(c, now(), conv); });
}
Result<std::vector<Conversation>> SqliteStore::listConversations(Id tenant_id, Id workflow_id) {
  return db_->readResult([&](SqliteConnection& c) { return sqlite::listConversations(c, tenant_id, workflow_id); });
}
Result<Message> SqliteStore::addMessage(const Message& m) {
  return db_->writeResult([&](SqliteConnection& c) { return sqlite::addMessage(c, now(), m); });
}
Result<std::vector<Message>> SqliteStore::listMessages(Id tenant_id, Id conversation_id) {
  return db_->readResult([&](SqliteConnection& c) { return sqlite::listMessages(c, tenant_id, conversation_id); });
}
Result<LlmCall> SqliteStore::insertLlmCall(const LlmCall& call) {
  return db_->writeResult([&](SqliteConnection& c) { return sqlite::insertLlmCall(c, now(), call); });
}
Status SqliteStore::insertLlmCalls(const std::vector<LlmCall>& calls) {
  return db_->write([&](SqliteConnection& c) { return sqlite::insertLlmCallRows(c, now(), calls); });
}
Result<LlmCall> SqliteStore::getLlmCall(Id tenant_id, Id id) {
  return db_->readResult([&](SqliteConnection& c) { return sqlite::getLlmCall(c, tenant_id, id); });
}
Result<Page<LlmCall>> SqliteStore::listLlmCalls(Id tenant_id, const LlmCallQuery& query) {
  return db_->readResult([&](SqliteConnection& c) { return sqlite::listLlmCalls(c, tenant_id, query); });
}
Result<LlmCallTotals> SqliteStore::llmCallTotals(Id tenant_id, const LlmCallQuery& query) {
  return db_->readResult([&](SqliteConnection& c) { return sqlite::llmCallTotals(c, tenant_id, query); });
}
Result<Page<AgentLlmCall>> SqliteStore::listWorkflowLlmCalls(Id tenant_id, Id workflow_id, const LlmCallQuery& query) {
  return db_->readResult(
      [&](SqliteConnection& c) { return sqlite::listWorkflowLlmCalls(c, tenant_id, workflow_id, query); });
}

// --- outputs --------------------------------------------------------------------------

Result<CodeFile> SqliteStore::addCodeFile(const CodeFile& f) {
  return db_->writeResult([&](SqliteConnection& c) { return sqlite::addCodeFile(c, now(), f); });
}
Result<std::vector<CodeFile>> SqliteStore::listCodeFiles(Id tenant_id, Id workflow_id, std::optional<Id> execution_id) {
  return db_->readResult(
      [&](SqliteConnection& c) { return sqlite::listCodeFiles(c, tenant_id, workflow_id, execution_id); });
}
Result<Diff> SqliteStore::addDiff(const Diff& d) {
  return db_->writeResult([&](SqliteConnection& c) { return sqlite::addDiff(c, now(), d); });
}
Result<Page<Diff>> SqliteStore::listDiffs(Id tenant_id, Id workflow_id, std::optional<Id> execution_id,
                                          const std::optional<std::string>& path, const PageRequest& page) {
  return db_->readResult(
      [&](SqliteConnection& c) { return sqlite::listDiffs(c, tenant_id, workflow_id, execution_id, path, page); });
}
Result<Artifact> SqliteStore::addArtifact(const Artifact& a) {
  return db_->writeResult([&](SqliteConnection& c) { return sqlite::addArtifact(c, now(), a); });
}
Result<Page<Artifact>> SqliteStore::listArtifacts(Id tenant_id, Id workflow_id, std::optional<Id> execution_id,
                                                  const std::optional<std::string>& kind, const PageRequest& page) {
  return db_->readResult(
      [&](SqliteConnection& c) { return sqlite::listArtifacts(c, tenant_id, workflow_id, execution_id, kind, page); });
}

// --- approvals, pull requests, checks ----------------------------------------------------

Result<Approval> SqliteStore::createApproval(const Approval& a) {
  return db_->writeResult([&](SqliteConnection& c) { return sqlite::createApproval(c, now(), a); });
}
Result<Approval> SqliteStore::getApproval(Id tenant_id, Id id) {
  return db_->readResult([&](SqliteConnection& c) { return sqlite::getApproval(c, tenant_id, id); });
}
Result<Page<Approval>> SqliteStore::listApprovals(Id tenant_id, const std::optional<ApprovalStatus>& status,
                                                  std::optional<Id> execution_id, const PageRequest& page) {
  return db_->readResult(
      [&](SqliteConnection& c) { return sqlite::listApprovals(c, tenant_id, status, execution_id, page); });
}
Result<Approval> SqliteStore::decideApproval(Id tenant_id, Id id, Decision decision, const std::string& reviewer,
                                             const std::string& comment) {
  return db_->writeResult([&](SqliteConnection& c) {
    return sqlite::decideApproval(c, now(), tenant_id, id, decision, reviewer, comment);
  });
}
Result<PullRequest> SqliteStore::upsertPullRequest(const PullRequest& pr) {
  return db_->writeResult([&](SqliteConnection& c) { return sqlite::upsertPullRequest(c, now(), pr); });
}
Result<std::optional<PullRequest>> SqliteStore::getPullRequest(Id tenant_id, Id workflow_id) {
  return db_->readResult([&](SqliteConnection& c) { return sqlite::getPullRequest(c, tenant_id, workflow_id); });
}
Result<Check> SqliteStore::upsertCheck(const Check& check) {
  return db_->writeResult([&](SqliteConnection& c) { return sqlite::upsertCheck(c, now(), check); });
}
Result<Page<Check>> SqliteStore::listChecks(Id tenant_id, Id pull_request_id, const PageRequest& page) {
  return db_->readResult([&](SqliteConnection& c) { return sqlite::listChecks(c, tenant_id, pull_request_id, page); });
}
Status SqliteStore::dropChecksNotAt(Id tenant_id, Id pull_request_id, const std::string& head_sha) {
  return db_->write(
      [&](SqliteConnection& c) { return sqlite::dropChecksNotAt(c, tenant_id, pull_request_id, head_sha); });
}
Result<std::optional<PullRequest>> SqliteStore::findPullRequestByBranch(const std::string& repository,
                                                                        const std::string& branch) {
  return db_->readResult([&](SqliteConnection& c) { return sqlite::findPullRequestByBranch(c, repository, branch); });
}
Result<std::optional<PullRequest>> SqliteStore::findPullRequestByNumber(const std::string& repository,
                                                                        std::int64_t number) {
  return db_->readResult([&](SqliteConnection& c) { return sqlite::findPullRequestByNumber(c, repository, number); });
}

// --- events and transactions ---------------------------------------------------------------

Result<Event> SqliteStore::appendEvent(const Event& e) {
  return db_->writeResult([&](SqliteConnection& c) { return sqlite::appendEvent(c, now(), e); });
}
Result<std::vector<Event>> SqliteStore::listEvents(Id tenant_id, Id workflow_id, std::int64_t after_seq, int limit) {
  return db_->readResult(
      [&](SqliteConnection& c) { return sqlite::listEvents(c, tenant_id, workflow_id, after_seq, limit); });
}

// --- CrewCode sessions -------------------------------------------------------------------

Result<CrewSession> SqliteStore::createSession(const CrewSession& s) {
  return db_->writeResult([&](SqliteConnection& c) { return sqlite::createSession(c, now(), s); });
}
Result<CrewSession> SqliteStore::getSession(Id tenant_id, Id id) {
  return db_->readResult([&](SqliteConnection& c) { return sqlite::getSession(c, tenant_id, id); });
}
Result<CrewSession> SqliteStore::updateSession(const CrewSession& s) {
  return db_->writeResult([&](SqliteConnection& c) { return sqlite::updateSession(c, now(), s); });
}
Result<CrewSession> SqliteStore::writeSessionFiles(Id tenant_id, Id session_id, const std::vector<SessionFile>& files,
                                                   const std::vector<std::string>& removed, Millis expires_at) {
  return db_->writeResult([&](SqliteConnection& c) {
    return sqlite::writeSessionFiles(c, now(), tenant_id, session_id, files, removed, expires_at);
  });
}
Result<std::vector<SessionFile>> SqliteStore::listSessionFiles(Id tenant_id, Id session_id) {
  return db_->readResult([&](SqliteConnection& c) { return sqlite::listSessionFiles(c, tenant_id, session_id); });
}
Result<SessionFile> SqliteStore::getSessionFile(Id tenant_id, Id session_id, const std::string& path) {
  return db_->readResult([&](SqliteConnection& c) { return sqlite::getSessionFile(c, tenant_id, session_id, path); });
}
Status SqliteStore::deleteSession(Id tenant_id, Id id) {
  return db_->write([&](SqliteConnection& c) { return sqlite::deleteSession(c, tenant_id, id); });
}
Result<std::vector<CrewSession>> SqliteStore::listExpiredSessions(Millis now, int limit) {
  return db_->readResult([&](SqliteConnection& c) { return sqlite::listExpiredSessions(c, now, limit); });
}

// --- webhook deliveries -------------------------------------------------------------------

Result<bool> SqliteStore::recordWebhookDelivery(const WebhookDelivery& delivery) {
  return db_->writeResult([&](SqliteConnection& c) { return sqlite::recordWebhookDelivery(c, now(), delivery); });
}
Result<std::optional<WebhookDelivery>> SqliteStore::findWebhookDelivery(const std::string& delivery_id) {
  return db_->readResult([&](SqliteConnection& c) { return sqlite::findWebhookDelivery(c, delivery_id); });
}

Status SqliteStore::transact(const std::function<Status(Store&)>& fn) {
  return db_->write([&](SqliteConnection&) { return fn(*this); });
}

}  // namespace codecrew::store
