#include "engine/execution_run.h"

#include "core/crypto.h"
#include "engine/crew_inputs.h"
#include "engine/plan_runner.h"
#include "engine/workspace_preparation.h"
#include "engine/workspace_rebuild.h"

#include <fmt/format.h>
#include <boost/json/serialize.hpp>

#include <filesystem>
#include <fstream>

namespace codecrew::engine {
namespace json = boost::json;
namespace asio = boost::asio;

ExecutionRun::ExecutionRun(const EngineDeps& deps, core::Id tenant_id, core::Id execution_id,
                           std::shared_ptr<std::atomic<bool>> cancelled)
    : deps_(deps),
      tenant_id_(tenant_id),
      execution_id_(execution_id),
      cancelled_(std::move(cancelled)),
      recorder_(tenant_id, execution_id) {}

void ExecutionRun::progress(const std::string& kind, json::object data) const {
  if (!deps_.progress) return;
  // Whoever relays progress (live events) can address it without a lookup.
  data["tenant_id"] = tenant_id_;
  data["workflow_id"] = workflow_.id;
  deps_.progress(execution_id_, kind, data);
}

bool ExecutionRun::crashAt(const std::string& point) {
  if (deps_.crash && deps_.crash(point)) crashed_ = true;
  return crashed_;
}

std::string ExecutionRun::visitKey(Stage stage) const {
  std::string name(stageName(stage));
  auto it = cp_.visits.find(name);
  return name + "#" + std::to_string(it == cp_.visits.end() ? 0 : it->second);
}

core::Status ExecutionRun::load() {
  auto exec = deps_.store->getExecutionById(tenant_id_, execution_id_);
  if (!exec) return exec.error();
  exec_ = std::move(exec).value();
  auto wf = deps_.store->getWorkflow(tenant_id_, exec_.workflow_id);
  if (!wf) return wf.error();
  workflow_ = std::move(wf).value();
  if (!exec_.checkpoint.is_null()) {
    auto cp = ExecutionCheckpoint::fromJson(exec_.checkpoint);
    if (!cp)
      return core::Error::invalidArgument("the checkpoint of execution " + std::to_string(execution_id_) +
                                          " cannot be loaded: " + cp.error().message);
    cp_ = std::move(cp).value();
    resumed_ = true;
  }
  // A follow-up on a pull request (a fix, an answer to a review) runs the
  // built-in fix crew; the server seeded its checkpoint with the request.
  auto crew = deps_.crews->find(cp_.follow_up.empty() ? workflow_.crew : std::string(kFollowUpCrew));
  if (!crew) return crew.error();
  crew_ = std::move(crew).value();
  if (auto ok = fillInputs(); !ok) return ok;
  const bool saved = !cp_.lifecycle.is_null();
  auto lc = saved ? Lifecycle::fromJson(crew_.lifecycleOptions(), cp_.lifecycle)
                  : Lifecycle::create(crew_.lifecycleOptions());
  if (!lc)
    return core::Error::invalidArgument("the checkpoint of execution " + std::to_string(execution_id_) +
                                        " cannot be loaded: " + lc.error().message);
  lifecycle_ = std::move(lc).value();
  ledger_ = BudgetLedger::fromJson(crew_.budgets, cp_.budget);
  owned_workspace_ = isUnder(workspaceOf(exec_, deps_.workspaces_root), deps_.workspaces_root);
  return core::okStatus();
}

core::Status ExecutionRun::fillInputs() {
  auto given = crewInputsFromJson(workflow_.inputs, "the workflow's inputs");
  if (!given) return given.error();
  auto at_start = crewInputsFromJson(exec_.inputs, "the execution's inputs");
  if (!at_start) return at_start.error();
  auto filled = applyCrewInputs(std::move(crew_), mergeCrewInputs(workflow_.description, *given, *at_start));
  if (!filled) return filled.error();
  crew_ = std::move(filled).value();
  return core::okStatus();
}

core::Status ExecutionRun::restoreWorkspace() {
  auto dir = workspaceOf(exec_, deps_.workspaces_root);
  if (!owned_workspace_ || !cp_.workspace_log.held() || workspaceHolds(dir, cp_.workspace_log)) return core::okStatus();
  auto steps = deps_.store->listWorkspaceSteps(tenant_id_, execution_id_);
  if (!steps) return steps.error();
  auto tenant = deps_.store->getTenant(tenant_id_);
  if (!tenant) return tenant.error();
  WorkspaceRebuild rebuild{{dir, workflow_.repository_url, deps_.workspaces_root, &deps_.repositories, branchName(),
                            tenant->name},
                           cp_.branch,
                           cp_.base_commit,
                           cp_.workspace_log,
                           std::move(steps).value()};
  if (auto ok = rebuildWorkspace(rebuild); !ok) return ok;
  rebuilt_ = true;
  return core::okStatus();
}

core::Status ExecutionRun::setupWorkspace() {
  std::string dir = workspaceOf(exec_, deps_.workspaces_root).string();
  if (crashAt("before_workspace")) return core::Error::unavailable("simulated crash before the workspace");
  auto tenant = deps_.store->getTenant(tenant_id_);
  if (!tenant) return tenant.error();
  WorkspaceSource source{
      dir, workflow_.repository_url, deps_.workspaces_root, &deps_.repositories, branchName(), tenant->name};
  if (auto ok = prepareWorkspace(source); !ok)
    return core::Error::invalidArgument("cannot prepare the workspace: " + ok.error().message);
  if (crashAt("after_workspace")) return core::Error::unavailable("simulated crash after the workspace");
  auto repo = tools::GitRepository::open(dir);
  if (!repo) return repo.error();
  git_.emplace(std::move(repo).value());
  bool made_base = false;
  if (!git_->headCommit()) {
    std::ofstream(std::filesystem::path(dir) / ".gitignore", std::ios::app) << "";
    auto first = git_->commitAll({"codecrew", "codecrew@codecrew.local"}, "codecrew: initial import");
    if (!first && first.error().code != core::ErrorCode::kFailedPrecondition) return first.error();
    made_base = first.ok();
  }
  // The store keeps what an owned workspace holds at every checkpoint
  // (workspace_recorder.h): its writes need not each wait for the disk.
  auto wsp = tools::LocalWorkspace::open(dir, {},
                                         owned_workspace_ ? tools::WriteDurability::kUnsynced
                                                          : tools::WriteDurability::kSynced);
  if (!wsp) return wsp.error();
  workspace_ = std::move(wsp).value();
  if (cp_.branch.empty()) {
    auto head = git_->headCommit();
    cp_.base_commit = head ? *head : "";
    cp_.branch = "codecrew/execution-" + std::to_string(execution_id_);
  }
  if (auto ok = git_->checkoutBranch(cp_.branch, cp_.base_commit); !ok) return ok;
  return startWorkspaceLog(made_base);
}

core::Status ExecutionRun::startWorkspaceLog(bool made_base) {
  if (!owned_workspace_ || cp_.base_commit.empty()) return core::okStatus();
  auto copy = ensureWorkspaceCopyId(workspaceOf(exec_, deps_.workspaces_root));
  if (!copy) return copy.error();
  if (!cp_.workspace_log.held()) {
    // No repository has a base that codecrew made (an initial import, a
    // CrewCode workspace's files): the store keeps it as the first step.
    bool base_in_store = workflow_.repository_url.empty() || made_base;
    if (auto ok = recorder_.noteBase(*git_, cp_.workspace_log, cp_.base_commit, base_in_store); !ok) return ok;
    if (auto ok = noteWorkspaceCommits(); !ok) return ok;  // an older checkpoint's stages
  }
  cp_.workspace_log.copy = *copy;
  return core::okStatus();
}

core::Status ExecutionRun::noteWorkspaceChanges() {
  if (!cp_.workspace_log.held()) return core::okStatus();
  return recorder_.noteChanges(*git_, cp_.workspace_log);
}

core::Status ExecutionRun::noteWorkspaceCommits(bool tree_committed) {
  if (!cp_.workspace_log.held()) return core::okStatus();
  auto head = git_->headCommit();
  if (!head) return head.error();
  if (auto ok = recorder_.noteCommits(*git_, cp_.workspace_log, *head); !ok) return ok;
  if (tree_committed) {
    recorder_.noteNoChanges(cp_.workspace_log);
    return core::okStatus();
  }
  return recorder_.noteChanges(*git_, cp_.workspace_log);
}

core::Status ExecutionRun::appendEvent(store::Store& tx, const std::string& type, json::value data) {
  store::Event e;
  e.tenant_id = tenant_id_;
  e.workflow_id = exec_.workflow_id;
  e.execution_id = execution_id_;
  e.type = type;
  e.data = std::move(data);
  auto r = tx.appendEvent(e);
  if (!r) return r.error();
  return core::okStatus();
}

void ExecutionRun::copyTotals(const store::Execution& t) {
  exec_.total_calls = t.total_calls;
  exec_.total_tokens = t.total_tokens;
  exec_.total_cost = t.total_cost;
  exec_.avg_latency_ms = t.avg_latency_ms;
  exec_.models = t.models;
}

core::Status ExecutionRun::save(const std::function<core::Status(store::Store&)>& extra) {
  if (crashed_) return core::Error::unavailable("simulated crash: nothing more is written");
  cp_.lifecycle = lifecycle_->toJson();
  cp_.budget = ledger_.toJson();
  Stage cur = lifecycle_->current();
  exec_.stage = cur;  // WAITING_APPROVAL while paused (the checkpoint says where)
  auto saved = deps_.store->transact([&](store::Store& tx) -> core::Status {
    // Checked inside the transaction: a cancellation committed before it
    // is never overwritten by a run that had not noticed it yet.
    if (cancelled_->load()) return core::Error{core::ErrorCode::kCancelled, "the execution was cancelled", nullptr};
    for (const auto& record : unsaved_)
      if (auto ok = record(tx); !ok) return ok;
    if (extra)
      if (auto ok = extra(tx); !ok) return ok;
    // Built once, after the records: writing them may add to it.
    exec_.checkpoint = cp_.toJson();
    if (auto ok = recorder_.write(tx); !ok) return ok;
    auto updated = tx.updateExecution(exec_);
    if (!updated) return updated.error();
    // Keep the totals (calls, tokens, cost, latency, models) current for
    // readers while the run goes on, after each model call; the row written
    // above holds the ones read last.
    if (!totals_stale_) return core::okStatus();
    auto totals = tx.refreshExecutionTotals(tenant_id_, execution_id_);
    if (!totals) return totals.error();
    copyTotals(*totals);
    return core::okStatus();
  });
  if (saved) {
    recorder_.written();
    unsaved_.clear();
    totals_stale_ = false;
  }
  return saved;
}

core::Status ExecutionRun::createConversation(store::Store& tx, const std::string& step, const std::string& agent,
                                              AgentRunState& state) {
  if (state.conversation_id) return core::okStatus();
  store::Conversation c;
  c.tenant_id = tenant_id_;
  c.workflow_id = exec_.workflow_id;
  c.execution_id = execution_id_;
  c.agent = agent;
  c.step = step;
  c.prompt = state.messages.size() > 1 ? state.messages[1].content : "";
  c.timestamp = deps_.clock->nowMillis();
  auto created = tx.createConversation(c);
  if (!created) return created.error();
  state.conversation_id = created->id;
  return core::okStatus();
}

core::Status ExecutionRun::openConversation(const std::string& step, const std::string& agent, AgentRunState& state) {
  if (crashed_) return core::Error::unavailable("simulated crash: nothing more is written");
  if (state.conversation_id) return core::okStatus();
  // A step has one conversation, made here and named in the checkpoint by the
  // step's first commit. A run that stopped before that commit finds it
  // again: the answers recorded in it are replayed, never paid twice
  // (journaled_model_client.h).
  if (resumed_) {
    auto convs = deps_.store->listConversations(tenant_id_, exec_.workflow_id);
    if (!convs) return convs.error();
    for (auto it = convs->rbegin(); it != convs->rend(); ++it)
      if (it->execution_id == execution_id_ && it->step == step) {
        state.conversation_id = it->id;
        return core::okStatus();
      }
  }
  return createConversation(*deps_.store, step, agent, state);
}

core::Status ExecutionRun::commitAgent(const std::string& step, const std::string& agent, AgentRunState& state,
                                       TurnRecords records, bool reply) {
  if (crashed_) return core::Error::unavailable("simulated crash: nothing more is written");
  // The model has answered (and its call is recorded) but nothing of the
  // answer is checkpointed yet.
  if (reply && crashAt("after_llm_answer"))
    return core::Error::unavailable("simulated crash after a model answered, before its checkpoint");
  if (!reply)  // the tools may have changed the working tree
    if (auto noted = noteWorkspaceChanges(); !noted) return noted;
  if (reply) totals_stale_ = true;  // the model's call is recorded
  auto ok = save([&](store::Store& tx) -> core::Status {
    if (auto created = createConversation(tx, step, agent, state); !created) return created;
    for (auto& m : records.messages) {
      m.tenant_id = tenant_id_;
      m.conversation_id = *state.conversation_id;
      if (auto r = tx.addMessage(m); !r) return r.error();
    }
    for (auto& [type, data] : records.events)
      if (auto r = appendEvent(tx, type, data); !r) return r;
    if (state.finished) {
      auto conv = tx.getConversation(tenant_id_, *state.conversation_id);
      if (!conv) return conv.error();
      conv->output = state.output;
      conv->total_tokens_used = ledger_.agent(agent).tokens;
      conv->total_cost = ledger_.agent(agent).cost;
      if (auto r = tx.updateConversation(*conv); !r) return r.error();
    }
    cp_.agents[step] = state.toJson();
    return core::okStatus();
  });
  if (!ok) return ok;
  if (crashAt(reply ? "after_llm_call" : "after_tools"))
    return core::Error::unavailable("simulated crash after " + std::string(reply ? "an LLM call" : "tool calls"));
  return core::okStatus();
}

void ExecutionRun::endSpan(const core::Result<RunOutcome>& outcome) {
  if (outcome) {
    run_span_.set("codecrew.outcome", std::string(runOutcomeName(*outcome)));
    if (*outcome == RunOutcome::kFailed) run_span_.setError(exec_.error);
  } else {
    run_span_.set("codecrew.outcome", std::string("stopped"));
    run_span_.setError(outcome.error().message);
  }
  run_span_.end();
}

boost::asio::awaitable<core::Result<RunOutcome>> ExecutionRun::execute() {
  if (auto ok = load(); !ok) co_return ok.error();
  run_span_ = deps_.tracer->start("execution run", telemetry::SpanKind::kInternal,
                                  telemetry::parseTraceparent(exec_.trace_parent),
                                  {{"codecrew.execution.id", std::int64_t(execution_id_)},
                                   {"codecrew.workflow.id", std::int64_t(exec_.workflow_id)},
                                   {"codecrew.crew", workflow_.crew},
                                   {"codecrew.stage", std::string(stageName(exec_.stage))}});
  if (exec_.status == store::RunStatus::kCompleted) co_return RunOutcome::kCompleted;
  if (exec_.status == store::RunStatus::kCancelled) co_return RunOutcome::kCancelled;
  if (exec_.status == store::RunStatus::kFailed) co_return RunOutcome::kFailed;
  auto restored = restoreWorkspace();
  if (!restored) {
    if (restored.error().code == core::ErrorCode::kUnavailable) co_return restored.error();
    // Never run on a wrong tree: the execution fails, resumably, with why.
    auto failed = fail("cannot rebuild the workspace on this host: " + restored.error().message + ". " +
                           CrewEngine::resumeHint(exec_.workflow_id, execution_id_),
                       true);
    if (!failed) co_return failed.error();
    co_return *failed;
  }
  if (auto ok = setupWorkspace(); !ok) co_return ok.error();
  exec_.status = store::RunStatus::kRunning;
  if (!exec_.started_at) exec_.started_at = deps_.clock->nowMillis();
  auto started = save([&](store::Store& tx) {
    auto wf = tx.updateWorkflowStatus(tenant_id_, workflow_.id, store::RunStatus::kRunning);
    if (!wf) return core::Status(wf.error());
    if (rebuilt_)
      if (auto ok = appendEvent(tx, "workspace.rebuilt",
                                json::object{{"head", cp_.workspace_log.head}, {"steps", cp_.workspace_log.steps}});
          !ok)
        return ok;
    return appendEvent(tx, "execution.status", json::object{{"status", "running"}, {"stage", stageName(exec_.stage)}});
  });
  if (!started) co_return started.error();
  auto outcome = co_await walk();
  if (crashed_) co_return core::Error::unavailable("simulated crash");
  co_return outcome;
}

boost::asio::awaitable<core::Result<RunOutcome>> ExecutionRun::walk() {
  while (true) {
    if (cancelled_->load()) co_return RunOutcome::kCancelled;  // ExecutionService::cancel recorded it
    if (cp_.approval) {
      auto handled = handleApproval();
      if (!handled) co_return handled.error();
      if (*handled) co_return **handled;
      continue;
    }
    Stage stage = lifecycle_->current();
    if (stage == Stage::kNew) {
      if (auto ok = lifecycle_->advance(); !ok) co_return ok.error();
      continue;
    }
    if (stage == Stage::kDone) {
      auto delivered = co_await deliver();
      if (!delivered) co_return delivered.error();
      if (*delivered) co_return **delivered;
      if (deps_.artifacts && deps_.archive_workspaces) co_await archiveWorkspace();
      co_return finish();
    }
    if (stage == Stage::kFailed) co_return RunOutcome::kFailed;
    if (stage == Stage::kCancelled) co_return RunOutcome::kCancelled;
    auto result = co_await runStage(stage);
    if (!result) co_return result.error();
    if (*result) co_return **result;
  }
}

core::Result<RunOutcome> ExecutionRun::pause(const std::string& gate, const std::string& step, const std::string& scope,
                                             const std::function<core::Status(store::Store&)>& also) {
  if (auto ok = lifecycle_->transition(Stage::kWaitingApproval); !ok) return ok.error();
  exec_.status = store::RunStatus::kWaitingApproval;
  auto ok = save([&](store::Store& tx) -> core::Status {
    if (also)
      if (auto r = also(tx); !r) return r;
    store::Approval a;
    a.tenant_id = tenant_id_;
    a.workflow_id = exec_.workflow_id;
    a.execution_id = execution_id_;
    a.gate = gate;
    a.requested_at = deps_.clock->nowMillis();
    auto created = tx.createApproval(a);
    if (!created) return created.error();
    cp_.approval = PendingApproval{created->id, gate, step, scope};
    auto wf = tx.updateWorkflowStatus(tenant_id_, workflow_.id, store::RunStatus::kWaitingApproval);
    if (!wf) return wf.error();
    return appendEvent(tx, "approval.requested", json::object{{"approval_id", created->id}, {"gate", gate}});
  });
  if (!ok) return ok.error();
  progress("approval", json::object{{"gate", gate}, {"approval_id", cp_.approval->id}});
  return RunOutcome::kWaitingApproval;
}

core::Result<RunOutcome> ExecutionRun::fail(const std::string& message, bool resumable) {
  if (!resumable)
    if (auto ok = lifecycle_->transition(Stage::kFailed); !ok) return ok.error();
  cp_.resumable_failure = resumable;
  exec_.status = store::RunStatus::kFailed;
  exec_.error = message;
  exec_.finished_at = deps_.clock->nowMillis();
  auto ok = save([&](store::Store& tx) -> core::Status {
    auto wf = tx.updateWorkflowStatus(tenant_id_, workflow_.id, store::RunStatus::kFailed);
    if (!wf) return wf.error();
    return appendEvent(tx, "execution.status", json::object{{"status", "failed"}, {"error", message}});
  });
  if (!ok) return ok.error();
  (void)deps_.store->refreshExecutionTotals(tenant_id_, execution_id_);
  progress("failed", json::object{{"error", message}});
  return RunOutcome::kFailed;
}

core::Result<RunOutcome> ExecutionRun::finish() {
  exec_.status = store::RunStatus::kCompleted;
  exec_.finished_at = deps_.clock->nowMillis();
  auto ok = save([&](store::Store& tx) -> core::Status {
    auto wf = tx.updateWorkflowStatus(tenant_id_, workflow_.id, store::RunStatus::kCompleted);
    if (!wf) return wf.error();
    if (archived_)
      if (auto ok = appendEvent(tx, "workspace.archived", *archived_); !ok) return ok;
    return appendEvent(tx, "execution.status", json::object{{"status", "completed"}, {"branch", cp_.branch}});
  });
  if (!ok) return ok.error();
  auto totals = deps_.store->refreshExecutionTotals(tenant_id_, execution_id_);
  if (totals) exec_ = std::move(totals).value();
  progress("completed", json::object{{"branch", cp_.branch}});
  return RunOutcome::kCompleted;
}

core::Status ExecutionRun::reopenForResume(store::Store& store, store::Execution exec) {
  if (exec.status != store::RunStatus::kFailed) {
    if (exec.status == store::RunStatus::kCompleted || exec.status == store::RunStatus::kCancelled)
      return core::Error::conflict("execution " + std::to_string(exec.id) + " has ended (" +
                                   std::string(store::runStatusName(exec.status)) + ")");
    return core::okStatus();  // pending, running or waiting: run() continues it
  }
  if (exec.checkpoint.is_null())
    return core::Error::conflict("execution " + std::to_string(exec.id) + " has no checkpoint");
  auto cp = ExecutionCheckpoint::fromJson(exec.checkpoint);
  if (!cp) return cp.error();
  if (!cp->resumable_failure)
    return core::Error::conflict("execution " + std::to_string(exec.id) + " failed for good: " + exec.error);
  cp->resumable_failure = false;
  auto limits = cp->budget.is_object() ? cp->budget.as_object().if_contains("limits") : nullptr;
  if (limits && limits->is_object()) {
    auto& l = limits->as_object();
    for (const char* key :
         {"step_tokens", "agent_tokens", "execution_tokens", "step_cost", "agent_cost", "execution_cost"})
      if (auto* v = l.if_contains(key)) *v = v->to_number<double>() * 2;
  }
  exec.status = store::RunStatus::kRunning;
  exec.error.clear();
  exec.finished_at.reset();
  json::object cpj = cp->toJson();
  if (limits) cpj["budget"] = cp->budget;
  exec.checkpoint = std::move(cpj);
  auto r = store.updateExecution(exec);
  if (!r) return r.error();
  return core::okStatus();
}

}  // namespace codecrew::engine
