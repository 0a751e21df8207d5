// ExecutionService: the only way an execution is started, resumed, cancelled
// or has an approval gate decided. Every front door calls it: the REST
// routes, the WebSocket commands, CrewCode, crews answering as models and
// `codecrew run`; nothing else writes an execution's row or drives a run.
// The rules live here and in the engine, never in a handler.
//
// What a start trusts comes from the server only: the workflow (its crew and
// repository_url), the crew's budgets and the server's configuration. The
// caller's inputs are labels kept in the execution's meta, which the engine
// never reads; its checkpoint and workspace are the engine's own.
//
// CrewExecutionService (crew_execution_service.h) drives the crew engine;
// DetachedExecutionService (detached_execution_service.h) is the null
// object of a server running without one (`serve --no-engine`).
// Thread-safety: implementations are safe to call from any thread; calls
// block on the store.
#pragma once

#include "core/result.h"
#include "store/models.h"

#include <boost/json/value.hpp>

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace codecrew::engine {

// A decision on a gate: the store's vocabulary (store/statuses.h).
using ApprovalDecision = store::Decision;
using store::decisionName;
using store::parseDecision;

// Who asked for a start: recorded with the execution's first event.
enum class StartOrigin { kApi, kCrewCode, kCrewModel, kCli, kCodeHost };
std::string_view originName(StartOrigin origin);

struct StartRequest {
  core::Id tenant_id = 0;
  core::Id workflow_id = 0;
  std::optional<std::string> idempotency_key;       // a repeat returns the first start (created = false)
  boost::json::value meta = boost::json::object();  // the client's labels, kept as the execution's meta
  // A CrewAI crew's inputs for this start (name -> text), over the
  // workflow's; every {name} placeholder of the crew must be filled.
  std::map<std::string, std::string> inputs;
  StartOrigin origin = StartOrigin::kApi;
  // The authenticated caller's key (never read from a body): the run's model
  // calls are recorded under it, so the key's budgets count them.
  std::optional<core::Id> api_key_id;
  // The starting request's X-Request-Id and the traceparent of its server
  // span (set by the server, for correlation only: nothing trusts them).
  std::string request_id;
  std::string trace_parent;
  // Set by server components only, never from a request: a directory the
  // caller prepared (CrewCode's seeded files, `codecrew run`'s repository).
  // Empty: a workspace of its own under the server's workspaces root.
  std::filesystem::path workspace;
  // Set by server components only, never from a request: a follow-up on the
  // workflow's open pull request ("fix_checks", "review" or
  // "review_comment:<id>") and what it must address; the execution then
  // runs the built-in fix crew (checkpoint.h).
  std::string follow_up;
  std::string feedback;
  // Called once the execution is stored and before it is queued (to watch
  // its end); not called for a repeat.
  std::function<void(const store::Execution&)> before_queue;
};

struct StartResult {
  store::Execution execution;
  store::ExecutionJob job;
  bool created = false;  // false: the idempotency key named an earlier start
};

struct DecideRequest {
  core::Id tenant_id = 0;
  core::Id approval_id = 0;
  std::optional<core::Id> workflow_id;  // when set, the approval must be this workflow's (else kNotFound)
  ApprovalDecision decision = ApprovalDecision::kApprove;
  std::string reviewer;  // the API key's label, "dev", or the CLI
  std::string comment;   // required for kRequestChanges
};

class ExecutionService {
 public:
  virtual ~ExecutionService() = default;

  // True when executions advance (a crew engine is attached).
  virtual bool attached() const = 0;

  // Why a start of this workflow would be refused, before anything is
  // stored: kInvalidArgument (unknown crew, unusable repository),
  // kFailedPrecondition (no model can be reached).
  virtual core::Status checkStartable(const store::Workflow& workflow) const = 0;

  // Stores the execution with its job in one transaction and queues it; the
  // workspace is prepared by the job's run, so a crash at any instant leaves
  // either nothing or an execution that recovery runs. kNotFound (workflow),
  // the refusals of checkStartable.
  virtual core::Result<StartResult> start(StartRequest request) = 0;

  // Ends an execution that has not ended: it is cancelled at once and its
  // queue slot freed; a run in flight stops at its next step without writing
  // more. workflow_id, when set, must be the execution's. kNotFound,
  // kConflict (already ended).
  virtual core::Result<store::Execution> cancel(core::Id tenant_id, core::Id execution_id,
                                                std::optional<core::Id> workflow_id = std::nullopt) = 0;

  // Continues an unfinished execution, or one that failed on its budget
  // (raised). kConflict for one that ended for good or waits on an undecided
  // approval; kFailedPrecondition without an engine.
  virtual core::Result<store::Execution> resume(core::Id tenant_id, core::Id execution_id) = 0;

  // Records the decision on a pending approval and queues its execution.
  // kNotFound, kConflict (already decided), kInvalidArgument (changes
  // without a comment).
  virtual core::Result<store::Approval> decide(const DecideRequest& request) = 0;
};

}  // namespace codecrew::engine
