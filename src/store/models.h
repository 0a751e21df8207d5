// The data model of SPEC §2 as plain structs, one per table. Field names follow
// seed 001. Every row carries its tenant. Timestamps are Millis (UTC epoch ms);
// JSON-valued columns are held as boost::json values.
// Thread-safety: plain values.
#pragma once

#include "core/clock.h"
#include "core/ids.h"
#include "store/statuses.h"

#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <vector>

namespace codecrew::store {

using core::Id;
using core::Millis;

struct Tenant {
  Id id = 0;
  std::string name;
  Millis created_at = 0;
  Millis updated_at = 0;
};

enum class Role { kAdmin, kMember, kViewer };
std::string_view roleName(Role r);
std::optional<Role> parseRole(std::string_view s);

struct ApiKey {
  Id id = 0;
  Id tenant_id = 0;
  std::string name;      // a label chosen by the admin
  std::string prefix;    // first characters of the key, shown in listings
  std::string key_hash;  // SHA-256 hex of the whole key; the key itself is never stored
  Role role = Role::kMember;
  Millis created_at = 0;
  Millis updated_at = 0;
  std::optional<Millis> revoked_at;
  std::optional<Millis> last_used_at;
};

struct AuditEntry {
  Id id = 0;
  Id tenant_id = 0;
  std::optional<Id> api_key_id;
  std::string action;  // e.g. "workflow.create"
  std::string method;  // HTTP method, or "cli"
  std::string path;
  int status = 0;
  std::string request_id;
  boost::json::value details;
  Millis created_at = 0;
};

struct Project {
  Id id = 0;
  Id tenant_id = 0;
  std::string name;
  std::string workspace_path;
  std::string repository_url;
  std::string default_crew = "sdlc";
  boost::json::value budgets;  // object or null
  Millis created_at = 0;
  Millis updated_at = 0;
};

struct Workflow {
  Id id = 0;
  Id tenant_id = 0;
  std::optional<Id> project_id;
  std::string name;
  std::string description;                   // the goal
  std::optional<std::string> jira_story_id;  // unique per tenant when present
  std::string repository_url;
  std::string crew = "sdlc";
  RunStatus status = RunStatus::kPending;
  Millis created_at = 0;
  Millis updated_at = 0;
  // The client's inputs of a CrewAI crew ({"topic": "..."}): an object of
  // strings that fills the {name} placeholders of its texts, nothing else.
  boost::json::value inputs = boost::json::object();
};

struct Execution {
  Id id = 0;
  Id tenant_id = 0;
  Id workflow_id = 0;
  RunStatus status = RunStatus::kPending;
  Stage stage = Stage::kNew;
  std::optional<Millis> started_at;
  std::optional<Millis> finished_at;
  std::int64_t total_calls = 0;
  std::int64_t total_tokens = 0;
  double total_cost = 0;
  double avg_latency_ms = 0;
  boost::json::value models = boost::json::array();  // array of model names
  // The client's own labels, set at start and never read by the engine.
  boost::json::value meta = boost::json::object();
  // The engine's: where the execution works (a directory chosen by the
  // server) and its checkpoint (null before the first step). Written by the
  // engine only; no API input reaches them.
  std::string workspace;
  boost::json::value checkpoint;
  // The API key that started it (a crew model's caller): its model calls are
  // recorded under that key, so the key's budgets see them. Set by the server.
  std::optional<Id> api_key_id;
  std::optional<std::string> idempotency_key;  // unique per workflow when present
  std::string error;                           // terminal message when failed
  // The inputs given at the start (over the workflow's): see Workflow::inputs.
  boost::json::value inputs = boost::json::object();
  Millis created_at = 0;
  Millis updated_at = 0;
  // Set by the server from the request that started it: its trace context
  // (a W3C traceparent, "" for none), the parent of the runs' spans, and its
  // X-Request-Id, kept on the runs' model calls.
  std::string trace_parent;
  std::string request_id;
};

// Seed 002: the queued unit of work behind an execution, and each try at it.
struct ExecutionJob {
  Id id = 0;
  Id tenant_id = 0;
  Id execution_id = 0;
  std::string idempotency_key;  // unique per tenant
  JobStatus status = JobStatus::kQueued;
  int attempts = 0;
  int max_attempts = 3;
  std::string lease_owner;
  std::optional<Millis> lease_expires_at;
  Millis created_at = 0;
  Millis updated_at = 0;
};

struct JobAttempt {
  Id id = 0;
  Id tenant_id = 0;
  Id job_id = 0;
  int attempt_no = 0;
  AttemptStatus status = AttemptStatus::kRunning;
  std::string worker;
  Millis started_at = 0;
  std::optional<Millis> finished_at;
  std::string error;
};

struct Conversation {
  Id id = 0;
  Id tenant_id = 0;
  Id workflow_id = 0;
  std::optional<Id> execution_id;
  std::string agent;
  std::string step;
  std::string prompt;
  std::string output;
  std::string details;
  Millis timestamp = 0;
  std::int64_t total_tokens_used = 0;
  double total_cost = 0;
  Millis created_at = 0;
  Millis updated_at = 0;
};

// Message role: system, user, assistant, tool.
struct Message {
  Id id = 0;
  Id tenant_id = 0;
  Id conversation_id = 0;
  std::string role;
  std::string content;
  boost::json::value artifacts = boost::json::array();
  boost::json::value message_metadata = boost::json::object();
  Millis created_at = 0;
};

struct LlmCall {
  Id id = 0;
  Id tenant_id = 0;
  std::optional<Id> conversation_id;
  std::optional<Id> execution_id;
  std::optional<Id> api_key_id;  // set for gateway calls
  std::string provider;
  std::string model;
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t total_tokens = 0;
  std::optional<std::int64_t> max_tokens;
  std::int64_t total_tokens_requested = 0;
  double response_time_ms = 0;
  CallStatus status = CallStatus::kSuccess;
  std::string error_code;
  boost::json::value truncated_sections = boost::json::array();
  std::string prompt_hash;
  std::string response_hash;
  boost::json::value budget_snapshot = boost::json::object();
  double cost = 0;
  Millis timestamp = 0;
  boost::json::value request_data;   // redacted
  boost::json::value response_data;  // redacted
  int attempt = 1;
  std::optional<Id> fallback_of;  // the call this one stands in for
  Millis created_at = 0;
  // Correlation: the X-Request-Id of the request the call was made for (a
  // gateway call's own; an execution's call: the request that started or
  // resumed the run), and the OpenTelemetry trace and span of the call
  // ("" when there was none).
  std::string request_id;
  std::string trace_id;
  std::string span_id;
};

struct CodeFile {
  Id id = 0;
  Id tenant_id = 0;
  Id workflow_id = 0;
  std::optional<Id> conversation_id;
  std::optional<Id> execution_id;
  std::string filename;
  std::string content;
  std::string file_type;
  Millis created_at = 0;
};

struct Diff {
  Id id = 0;
  Id tenant_id = 0;
  Id workflow_id = 0;
  std::optional<Id> execution_id;
  std::string path;
  std::string diff;  // unified diff
  Millis created_at = 0;
};

struct Artifact {
  Id id = 0;
  Id tenant_id = 0;
  Id workflow_id = 0;
  std::optional<Id> execution_id;
  std::string kind;  // requirements, plan, design, adr, openapi, test_report, review, runbook, ...
  std::string uri;
  std::string checksum;  // sha256 hex of content
  std::string content;
  Millis created_at = 0;
};

struct Approval {
  Id id = 0;
  Id tenant_id = 0;
  Id workflow_id = 0;
  Id execution_id = 0;
  std::string gate;  // e.g. "after:PLANNING", "before:DEPLOY"
  ApprovalStatus status = ApprovalStatus::kPending;
  Millis requested_at = 0;
  std::optional<Millis> decided_at;
  std::optional<Decision> decision;
  std::string reviewer;
  std::string comment;
};

struct PullRequest {
  Id id = 0;
  Id tenant_id = 0;
  Id workflow_id = 0;
  std::int64_t number = 0;
  std::string url;
  std::string title;
  std::string state;  // open, closed, merged
  std::string head_branch;
  std::string base_branch;
  std::string head_sha;
  std::string repository;  // "owner/name" on the code host
  bool draft = false;
  // The loop that answers failed checks and reviews: how many fixes it has
  // pushed, the fingerprints of the failures it fixed (a JSON array of
  // strings), and its state: idle, fixing (a fix execution runs) or
  // needs_human (capped or repeating: a person must look; loop_reason says why).
  int fix_attempts = 0;
  boost::json::value fingerprints = boost::json::array();
  std::string loop_state = "idle";
  std::string loop_reason;
  Millis created_at = 0;
  Millis updated_at = 0;
};

struct Check {
  Id id = 0;
  Id tenant_id = 0;
  Id pull_request_id = 0;
  std::string name;
  std::string status;      // queued, in_progress, completed
  std::string conclusion;  // success, failure, ... or ""
  std::string url;
  std::string head_sha;  // the commit it ran on (only the pull request's head is kept)
  std::string summary;   // the check's title and summary
  std::string output;    // the tail of its output text
  Millis created_at = 0;
  Millis updated_at = 0;
};

struct Event {
  Id id = 0;
  Id tenant_id = 0;
  Id workflow_id = 0;
  std::optional<Id> execution_id;
  std::int64_t seq = 0;  // 1, 2, 3, ... per workflow, assigned by the store
  std::string type;      // e.g. "execution.status", "llm_call.end"
  boost::json::value data;
  Millis created_at = 0;
};

// CrewCode (seed 000): a user's project files kept between diff-mode
// updates. It expires at expires_at (pushed forward by every write) and is
// then deleted with its files. file_count and total_bytes are computed on
// read.
struct CrewSession {
  Id id = 0;
  Id tenant_id = 0;
  std::string name;
  std::optional<Id> workflow_id;  // the workflow its updates run under, once one has run
  Millis expires_at = 0;
  std::int64_t file_count = 0;
  std::int64_t total_bytes = 0;
  Millis created_at = 0;
  Millis updated_at = 0;
};

// One file of a session: a relative path (checked by the caller) and its text.
struct SessionFile {
  Id tenant_id = 0;
  Id session_id = 0;
  std::string path;
  std::string content;
  Millis updated_at = 0;
};

// One webhook delivery received from the code host (GitHub), kept so that
// a redelivery of the same X-GitHub-Delivery acts once. It belongs to the
// code host, not to a tenant: it is recorded before anything maps it to one.
struct WebhookDelivery {
  Id id = 0;
  std::string delivery_id;  // X-GitHub-Delivery (a GUID)
  std::string event;        // X-GitHub-Event
  std::string action;       // the payload's action ("" when none)
  std::string repository;   // "owner/name" ("" when the payload names none)
  std::string outcome;      // what the receiver did: queued, ignored, pong, ...
  Millis received_at = 0;
};

// A commit of an execution's workspace, or the changes not yet committed,
// kept so that a worker on another host can rebuild the workspace
// (engine/workspace_rebuild.h). Steps 1, 2, ... are commits, restored in
// that order; step 0 holds the uncommitted changes at the last checkpoint.
struct WorkspaceStep {
  Id id = 0;
  Id tenant_id = 0;
  Id execution_id = 0;
  int seq = 0;
  std::string commit;    // the commit's sha ("" for step 0)
  std::string object;    // the commit's object as git stores it ("" for step 0)
  std::string patch;     // git's binary-safe patch: from the first parent's tree; for step 0 from the last commit
  std::string encoding;  // "": object and patch are the text; "hex": both are hex-encoded bytes
  Millis created_at = 0;
};

}  // namespace codecrew::store
