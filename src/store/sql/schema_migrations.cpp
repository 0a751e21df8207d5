// The codecrew schema as numbered migrations (see migrations.h). Append new
// migrations at the end; never edit one that has shipped.
//
// Conventions: every row has tenant_id, and indexes lead with it (queries
// always name the tenant, and the composite foreign keys look children up by
// (tenant_id, parent_id)). Parents carry UNIQUE (tenant_id, id)
// so that children reference them by (tenant_id, parent_id): a row can never
// point at another tenant's object, and deleting a workflow cascades to all
// that belongs to it. Timestamps are INTEGER epoch milliseconds; JSON values
// are TEXT.
#include "store/sql/migrations.h"

#include <array>

namespace codecrew::store::sql {
namespace {

// Two statement texts as one, at compile time (a migration whose statements
// the two databases partly share).
template <std::size_t A, std::size_t B>
constexpr std::array<char, A + B - 1> joinSql(const char (&a)[A], const char (&b)[B]) {
  std::array<char, A + B - 1> out{};
  for (std::size_t i = 0; i + 1 < A; ++i) out[i] = a[i];
  for (std::size_t i = 0; i < B; ++i) out[A - 1 + i] = b[i];
  return out;
}

// The text of joinSql's result (without its final NUL).
template <std::size_t N>
constexpr std::string_view text(const std::array<char, N>& joined) {
  return std::string_view(joined.data(), N - 1);
}

constexpr std::string_view kInitialSchema = R"sql(
CREATE TABLE tenants (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE api_keys (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name TEXT NOT NULL DEFAULT '',
  prefix TEXT NOT NULL DEFAULT '',
  key_hash TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL CHECK (role IN ('admin', 'member', 'viewer')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  revoked_at INTEGER,
  last_used_at INTEGER
);
CREATE INDEX api_keys_by_tenant ON api_keys (tenant_id, id);

CREATE TABLE audit_entries (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  api_key_id INTEGER REFERENCES api_keys (id) ON DELETE SET NULL,
  action TEXT NOT NULL,
  method TEXT NOT NULL DEFAULT '',
  path TEXT NOT NULL DEFAULT '',
  status INTEGER NOT NULL DEFAULT 0,
  request_id TEXT NOT NULL DEFAULT '',
  details TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX audit_by_tenant ON audit_entries (tenant_id, id);

CREATE TABLE projects (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  workspace_path TEXT NOT NULL DEFAULT '',
  repository_url TEXT NOT NULL DEFAULT '',
  default_crew TEXT NOT NULL DEFAULT 'sdlc',
  budgets TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (tenant_id, id)
);

CREATE TABLE workflows (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  project_id INTEGER REFERENCES projects (id) ON DELETE SET NULL,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  jira_story_id TEXT,
  repository_url TEXT NOT NULL DEFAULT '',
  crew TEXT NOT NULL DEFAULT 'sdlc',
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN
    ('pending', 'running', 'waiting_approval', 'completed', 'failed', 'cancelled')),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (tenant_id, id)
);
CREATE UNIQUE INDEX workflows_by_story ON workflows (tenant_id, jira_story_id) WHERE jira_story_id IS NOT NULL;
CREATE INDEX workflows_by_status ON workflows (tenant_id, status, id);
CREATE INDEX workflows_by_project ON workflows (project_id);

CREATE TABLE executions (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL,
  workflow_id INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN
    ('pending', 'running', 'waiting_approval', 'completed', 'failed', 'cancelled')),
  stage TEXT NOT NULL DEFAULT 'NEW',
  started_at INTEGER,
  finished_at INTEGER,
  total_calls INTEGER NOT NULL DEFAULT 0,
  total_tokens INTEGER NOT NULL DEFAULT 0,
  total_cost REAL NOT NULL DEFAULT 0,
  avg_latency_ms REAL NOT NULL DEFAULT 0,
  models TEXT,
  meta TEXT,
  idempotency_key TEXT,
  error TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (tenant_id, id),
  UNIQUE (workflow_id, idempotency_key),
  FOREIGN KEY (tenant_id, workflow_id) REFERENCES workflows (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX executions_by_workflow ON executions (tenant_id, workflow_id, id);

CREATE TABLE execution_jobs (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL,
  execution_id INTEGER NOT NULL UNIQUE,
  idempotency_key TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'queued',
  attempts INTEGER NOT NULL DEFAULT 0,
  max_attempts INTEGER NOT NULL DEFAULT 3,
  lease_owner TEXT NOT NULL DEFAULT '',
  lease_expires_at INTEGER,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (tenant_id, id),
  UNIQUE (tenant_id, idempotency_key),
  FOREIGN KEY (tenant_id, execution_id) REFERENCES executions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX execution_jobs_by_status ON execution_jobs (status, id);

CREATE TABLE job_attempts (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL,
  job_id INTEGER NOT NULL,
  attempt_no INTEGER NOT NULL,
  status TEXT NOT NULL DEFAULT 'running',
  worker TEXT NOT NULL DEFAULT '',
  started_at INTEGER NOT NULL,
  finished_at INTEGER,
  error TEXT NOT NULL DEFAULT '',
  UNIQUE (job_id, attempt_no),
  FOREIGN KEY (tenant_id, job_id) REFERENCES execution_jobs (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE conversations (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL,
  workflow_id INTEGER NOT NULL,
  execution_id INTEGER,
  agent TEXT NOT NULL DEFAULT '',
  step TEXT NOT NULL DEFAULT '',
  prompt TEXT NOT NULL DEFAULT '',
  output TEXT NOT NULL DEFAULT '',
  details TEXT NOT NULL DEFAULT '',
  timestamp INTEGER NOT NULL,
  total_tokens_used INTEGER NOT NULL DEFAULT 0,
  total_cost REAL NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, workflow_id) REFERENCES workflows (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, execution_id) REFERENCES executions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX conversations_by_workflow ON conversations (tenant_id, workflow_id, id);
CREATE INDEX conversations_by_execution ON conversations (tenant_id, execution_id);

CREATE TABLE messages (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL,
  conversation_id INTEGER NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('system', 'user', 'assistant', 'tool')),
  content TEXT NOT NULL DEFAULT '',
  artifacts TEXT,
  message_metadata TEXT,
  created_at INTEGER NOT NULL,
  FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX messages_by_conversation ON messages (tenant_id, conversation_id, id);

CREATE TABLE llm_calls (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  conversation_id INTEGER,
  execution_id INTEGER,
  api_key_id INTEGER REFERENCES api_keys (id) ON DELETE SET NULL,
  provider TEXT NOT NULL DEFAULT '',
  model TEXT NOT NULL,
  prompt_tokens INTEGER NOT NULL DEFAULT 0,
  completion_tokens INTEGER NOT NULL DEFAULT 0,
  total_tokens INTEGER NOT NULL DEFAULT 0,
  max_tokens INTEGER,
  total_tokens_requested INTEGER NOT NULL DEFAULT 0,
  response_time_ms REAL NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('success', 'failed', 'truncated', 'skipped')),
  error_code TEXT NOT NULL DEFAULT '',
  truncated_sections TEXT,
  prompt_hash TEXT NOT NULL DEFAULT '',
  response_hash TEXT NOT NULL DEFAULT '',
  budget_snapshot TEXT,
  cost REAL NOT NULL DEFAULT 0,
  timestamp INTEGER NOT NULL,
  request_data TEXT,
  response_data TEXT,
  attempt INTEGER NOT NULL DEFAULT 1,
  fallback_of INTEGER REFERENCES llm_calls (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, execution_id) REFERENCES executions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX llm_calls_by_conversation ON llm_calls (tenant_id, conversation_id, timestamp);
CREATE INDEX llm_calls_by_execution ON llm_calls (tenant_id, execution_id, timestamp);
CREATE INDEX llm_calls_by_api_key ON llm_calls (tenant_id, api_key_id, timestamp);
CREATE INDEX llm_calls_by_model ON llm_calls (tenant_id, model, timestamp);
CREATE INDEX llm_calls_by_tenant ON llm_calls (tenant_id, timestamp);
CREATE INDEX llm_calls_by_fallback ON llm_calls (fallback_of);

CREATE TABLE code_files (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL,
  workflow_id INTEGER NOT NULL,
  conversation_id INTEGER,
  execution_id INTEGER,
  filename TEXT NOT NULL,
  content TEXT NOT NULL DEFAULT '',
  file_type TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  FOREIGN KEY (tenant_id, workflow_id) REFERENCES workflows (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, conversation_id) REFERENCES conversations (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, execution_id) REFERENCES executions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX code_files_by_workflow ON code_files (tenant_id, workflow_id, execution_id, id);
CREATE INDEX code_files_by_conversation ON code_files (tenant_id, conversation_id);
CREATE INDEX code_files_by_execution ON code_files (tenant_id, execution_id);

CREATE TABLE diffs (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL,
  workflow_id INTEGER NOT NULL,
  execution_id INTEGER,
  path TEXT NOT NULL,
  diff TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  FOREIGN KEY (tenant_id, workflow_id) REFERENCES workflows (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, execution_id) REFERENCES executions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX diffs_by_workflow ON diffs (tenant_id, workflow_id, path, id);
CREATE INDEX diffs_by_execution ON diffs (tenant_id, execution_id);

CREATE TABLE artifacts (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL,
  workflow_id INTEGER NOT NULL,
  execution_id INTEGER,
  kind TEXT NOT NULL,
  uri TEXT NOT NULL DEFAULT '',
  checksum TEXT NOT NULL DEFAULT '',
  content TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  FOREIGN KEY (tenant_id, workflow_id) REFERENCES workflows (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, execution_id) REFERENCES executions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX artifacts_by_workflow ON artifacts (tenant_id, workflow_id, kind, id);
CREATE INDEX artifacts_by_execution ON artifacts (tenant_id, execution_id);

CREATE TABLE approvals (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL,
  workflow_id INTEGER NOT NULL,
  execution_id INTEGER NOT NULL,
  gate TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN
    ('pending', 'approved', 'rejected', 'changes_requested')),
  requested_at INTEGER NOT NULL,
  decided_at INTEGER,
  decision TEXT CHECK (decision IS NULL OR decision IN ('approve', 'reject', 'changes')),
  reviewer TEXT NOT NULL DEFAULT '',
  comment TEXT NOT NULL DEFAULT '',
  FOREIGN KEY (tenant_id, workflow_id) REFERENCES workflows (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, execution_id) REFERENCES executions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX approvals_by_status ON approvals (tenant_id, status, id);
CREATE INDEX approvals_by_execution ON approvals (tenant_id, execution_id, id);
CREATE INDEX approvals_by_workflow ON approvals (tenant_id, workflow_id);

CREATE TABLE pull_requests (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL,
  workflow_id INTEGER NOT NULL UNIQUE,
  number INTEGER NOT NULL DEFAULT 0,
  url TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL DEFAULT 'open',
  head_branch TEXT NOT NULL DEFAULT '',
  base_branch TEXT NOT NULL DEFAULT '',
  head_sha TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (tenant_id, id),
  FOREIGN KEY (tenant_id, workflow_id) REFERENCES workflows (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE checks (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL,
  pull_request_id INTEGER NOT NULL,
  name TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT '',
  conclusion TEXT NOT NULL DEFAULT '',
  url TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (pull_request_id, name),
  FOREIGN KEY (tenant_id, pull_request_id) REFERENCES pull_requests (tenant_id, id) ON DELETE CASCADE
);

CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL,
  workflow_id INTEGER NOT NULL,
  execution_id INTEGER,
  seq INTEGER NOT NULL,
  type TEXT NOT NULL,
  data TEXT,
  created_at INTEGER NOT NULL,
  UNIQUE (workflow_id, seq),
  FOREIGN KEY (tenant_id, workflow_id) REFERENCES workflows (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, execution_id) REFERENCES executions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX events_by_execution ON events (tenant_id, execution_id);
)sql";

// CrewCode sessions (seed 000): a user's files between diff-mode updates.
// workflow_id is a plain column (no foreign key): deleting the workflow
// leaves the session, whose next update starts a new one. The expiry index
// serves the cross-tenant sweep of expired sessions.
constexpr std::string_view kCrewSessions = R"sql(
CREATE TABLE crew_sessions (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
  name TEXT NOT NULL DEFAULT '',
  workflow_id INTEGER,
  expires_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (tenant_id, id)
);
CREATE INDEX crew_sessions_by_expiry ON crew_sessions (expires_at, id);

CREATE TABLE session_files (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL,
  session_id INTEGER NOT NULL,
  path TEXT NOT NULL,
  content TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  UNIQUE (session_id, path),
  FOREIGN KEY (tenant_id, session_id) REFERENCES crew_sessions (tenant_id, id) ON DELETE CASCADE
);
)sql";

// Cheaper llm_calls inserts (one per recorded model call), same rows and
// same queries:
//  - the status CHECK is spelled as comparisons: SQLite evaluates
//    "status IN (<4 values>)" in a CHECK by building a temporary b-tree on
//    every INSERT (about a third of the insert's cost). The two spellings
//    accept exactly the same values. A CHECK cannot be altered in place, so
//    the table's definition in sqlite_master is edited, the procedure SQLite
//    documents for changing CHECK constraints (lang_altertable.html, "making
//    other kinds of table schema changes"): no row's format changes, and
//    every stored status satisfies the new CHECK as it did the old one.
//    RESET reloads this connection's schema; the index statements below
//    bump the schema version, so other connections reload theirs.
//  - the indexes over a nullable reference (conversation, execution, API
//    key, fallback_of) leave out the rows without one: a gateway call has
//    no conversation, execution or fallback_of, so its insert skips those
//    index writes. Every lookup by one of those columns (the listings'
//    filters, the foreign-key actions of a parent's delete) names a value,
//    which implies NOT NULL, so it searches the partial index as before
//    (tests/unit/store/indexes_test.cpp).
// PostgreSQL's CHECK costs nothing like SQLite's and its catalog is not
// edited by hand: it runs the partial indexes alone.
constexpr char kLlmCallPartialIndexes[] = R"sql(
DROP INDEX llm_calls_by_conversation;
CREATE INDEX llm_calls_by_conversation ON llm_calls (tenant_id, conversation_id, timestamp)
  WHERE conversation_id IS NOT NULL;
DROP INDEX llm_calls_by_execution;
CREATE INDEX llm_calls_by_execution ON llm_calls (tenant_id, execution_id, timestamp)
  WHERE execution_id IS NOT NULL;
DROP INDEX llm_calls_by_api_key;
CREATE INDEX llm_calls_by_api_key ON llm_calls (tenant_id, api_key_id, timestamp)
  WHERE api_key_id IS NOT NULL;
DROP INDEX llm_calls_by_fallback;
CREATE INDEX llm_calls_by_fallback ON llm_calls (fallback_of) WHERE fallback_of IS NOT NULL;
)sql";

constexpr auto kCheaperLlmCallInserts = joinSql(R"sql(
PRAGMA writable_schema = ON;
UPDATE sqlite_master
SET sql = replace(sql, 'CHECK (status IN (''success'', ''failed'', ''truncated'', ''skipped''))',
                  'CHECK (status = ''success'' OR status = ''failed'' OR status = ''truncated'' OR status = ''skipped'')')
WHERE type = 'table' AND name = 'llm_calls';
PRAGMA writable_schema = RESET;
)sql",
                                                kLlmCallPartialIndexes);

// The engine's state leaves the client's meta: an execution's workspace and
// checkpoint get columns of their own, written by the engine only. What an
// earlier version kept in meta moves over and leaves meta. api_key_id: the
// key that started the execution (its model calls are that key's). A
// PostgreSQL database starts at this codecrew's schema (or is filled by
// `codecrew migrate --from`, which copies rows already in this shape): the
// columns alone.
constexpr char kExecutionStateColumns[] = R"sql(
ALTER TABLE executions ADD COLUMN workspace TEXT NOT NULL DEFAULT '';
ALTER TABLE executions ADD COLUMN checkpoint TEXT;
ALTER TABLE executions ADD COLUMN api_key_id INTEGER;
)sql";

constexpr auto kEngineOwnedExecutionState = joinSql(kExecutionStateColumns, R"sql(UPDATE executions
SET workspace = coalesce(json_extract(meta, '$.workspace'), ''),
    checkpoint = json_extract(meta, '$.checkpoint'),
    meta = json_remove(meta, '$.workspace', '$.checkpoint')
WHERE json_valid(meta) AND (json_type(meta, '$.workspace') IS NOT NULL OR json_type(meta, '$.checkpoint') IS NOT NULL);
)sql");

// A CrewAI crew's inputs (the {name} placeholders of its texts): the
// client's, given with the workflow and with each start; they only fill text.
constexpr std::string_view kCrewInputs = R"sql(
ALTER TABLE workflows ADD COLUMN inputs TEXT;
ALTER TABLE executions ADD COLUMN inputs TEXT;
)sql";

// Delivery to the code host: a pull request knows its repository (webhooks
// find it by repository and branch), whether it is a draft, and the state
// of the loop that fixes failed checks; a check knows the commit it ran on
// and what it said.
constexpr std::string_view kDelivery = R"sql(
ALTER TABLE pull_requests ADD COLUMN repository TEXT NOT NULL DEFAULT '';
ALTER TABLE pull_requests ADD COLUMN draft INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pull_requests ADD COLUMN fix_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE pull_requests ADD COLUMN fingerprints TEXT NOT NULL DEFAULT '[]';
ALTER TABLE pull_requests ADD COLUMN loop_state TEXT NOT NULL DEFAULT 'idle';
ALTER TABLE pull_requests ADD COLUMN loop_reason TEXT NOT NULL DEFAULT '';
-- Webhooks carry no tenant: these two lookups are the only cross-tenant ones.
CREATE INDEX pull_requests_by_branch ON pull_requests (repository, head_branch);
CREATE INDEX pull_requests_by_number ON pull_requests (repository, number);
ALTER TABLE checks ADD COLUMN head_sha TEXT NOT NULL DEFAULT '';
ALTER TABLE checks ADD COLUMN summary TEXT NOT NULL DEFAULT '';
ALTER TABLE checks ADD COLUMN output TEXT NOT NULL DEFAULT '';
)sql";

// The webhook deliveries received from the code host, so that a redelivery
// (the same X-GitHub-Delivery) acts once. They are the code host's, not a
// tenant's: a delivery is recorded before anything maps it to one.
constexpr std::string_view kWebhookDeliveries = R"sql(
CREATE TABLE webhook_deliveries (
  id INTEGER PRIMARY KEY,
  delivery_id TEXT UNIQUE NOT NULL,
  event TEXT NOT NULL,
  action TEXT NOT NULL DEFAULT '',
  repository TEXT NOT NULL DEFAULT '',
  received_at INTEGER NOT NULL,
  outcome TEXT NOT NULL DEFAULT ''
);
CREATE INDEX webhook_deliveries_by_time ON webhook_deliveries (received_at);
)sql";

// Workers on many hosts share the queue: a claim increments the job's lease
// epoch, and every write under the lease is fenced by it.
constexpr std::string_view kLeases = R"sql(
ALTER TABLE execution_jobs ADD COLUMN lease_epoch INTEGER NOT NULL DEFAULT 0;
)sql";

// An execution's workspace as the store keeps it, so that a worker on another
// host can rebuild it (store/workspace_store.h): step 0 the changes not yet
// committed, steps 1, 2, ... the commits in the order they are restored.
constexpr std::string_view kWorkspaceSteps = R"sql(
CREATE TABLE workspace_steps (
  id INTEGER PRIMARY KEY,
  tenant_id INTEGER NOT NULL,
  execution_id INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  commit_sha TEXT NOT NULL DEFAULT '',
  commit_object TEXT NOT NULL DEFAULT '',
  patch TEXT NOT NULL DEFAULT '',
  encoding TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  UNIQUE (execution_id, seq),
  FOREIGN KEY (tenant_id, execution_id) REFERENCES executions (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX workspace_steps_by_execution ON workspace_steps (tenant_id, execution_id, seq);
)sql";

// Correlation of a model call with the request and trace it belongs to
// (observability: an operator goes from a log line or a trace to the call).
// An execution keeps the trace context and request id of the request that
// started or last resumed it, for the spans and calls of its runs.
constexpr std::string_view kTraceIds = R"sql(
ALTER TABLE llm_calls ADD COLUMN request_id TEXT NOT NULL DEFAULT '';
ALTER TABLE llm_calls ADD COLUMN trace_id TEXT NOT NULL DEFAULT '';
ALTER TABLE llm_calls ADD COLUMN span_id TEXT NOT NULL DEFAULT '';
ALTER TABLE executions ADD COLUMN trace_parent TEXT NOT NULL DEFAULT '';
ALTER TABLE executions ADD COLUMN request_id TEXT NOT NULL DEFAULT '';
)sql";

constexpr std::array kMigrations = {
    Migration{1, "initial schema", kInitialSchema},
    Migration{2, "crewcode sessions", kCrewSessions},
    Migration{3, "cheaper llm_calls inserts", text(kCheaperLlmCallInserts), kLlmCallPartialIndexes},
    Migration{4, "engine-owned execution state", text(kEngineOwnedExecutionState), kExecutionStateColumns},
    Migration{5, "crew inputs", kCrewInputs},
    Migration{6, "delivery", kDelivery},
    Migration{7, "webhook deliveries", kWebhookDeliveries},
    Migration{8, "leases", kLeases},
    Migration{9, "workspace steps", kWorkspaceSteps},
    Migration{10, "trace ids", kTraceIds},
};

}  // namespace

std::span<const Migration> builtinMigrations() { return kMigrations; }

}  // namespace codecrew::store::sql
