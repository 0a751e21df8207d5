// ExecutionRun, continued: stages, tasks, agents, approvals and stage outputs.
#include "engine/execution_run.h"

#include "core/crypto.h"
#include "core/log.h"
#include "engine/artifact_files.h"
#include "engine/context_retrieval.h"
#include "engine/delegation.h"
#include "engine/output_schemas.h"
#include "engine/plan_runner.h"
#include "engine/split_diff.h"
#include "storage/blob_keys.h"

#include <boost/json/serialize.hpp>

namespace codecrew::engine {
namespace json = boost::json;

namespace {

class AgentJournalImpl final : public StepJournal {
 public:
  AgentJournalImpl(ExecutionRun& run, std::string step, std::string agent)
      : run_(run), step_(std::move(step)), agent_(std::move(agent)) {}
  core::Status commit(AgentRunState& state, TurnRecords records) override {
    return run_.commitAgent(step_, agent_, state, std::move(records), state.pending.has_value());
  }
  core::Status open(AgentRunState& state) override { return run_.openConversation(step_, agent_, state); }

 private:
  ExecutionRun& run_;
  std::string step_, agent_;
};

// CrewAI's words for a task with markdown: true.
constexpr const char* kMarkdownAnswer =
    "\n\nYour final answer MUST be formatted in Markdown syntax.\nFollow these guidelines:\n- Use # for headers\n"
    "- Use ** for bold text\n- Use * for italic text\n- Use - or * for bullet points\n- Use `code` for inline code\n"
    "- Use ```language for code blocks";

// What introduces a structured task's output schema (the end of its prompt).
constexpr std::string_view kSchemaIntro = "\n\nAnswer with only a JSON object matching this schema:\n";

}  // namespace

std::map<std::string, std::string> ExecutionRun::templateValues() const {
  return {{"goal", workflow_.description.empty() ? workflow_.name : workflow_.description},
          {"crew", crew_.name},
          {"workflow", workflow_.name}};
}

std::string ExecutionRun::taskPrompt(const TaskSpec& task, const PlanTask* plan_task, const TaskOutputs& deps) const {
  auto values = templateValues();
  if (plan_task) values["task"] = plan_task->id + ": " + plan_task->title;
  std::string p = renderTemplate(task.description, values);
  if (!task.expected_output.empty()) p += "\n\nExpected output: " + task.expected_output;
  if (task.markdown) p += kMarkdownAnswer;
  for (const auto& name : task.context) {
    auto it = cp_.outputs.find(name);
    if (it != cp_.outputs.end()) p += "\n\n## Output of " + name + "\n" + it->second;
  }
  if (plan_task) {
    p += "\n\n## Your task " + plan_task->id + "\n" + plan_task->title + "\n" + plan_task->description;
    if (!plan_task->files.empty()) {
      p += "\nFiles:";
      for (const auto& f : plan_task->files) p += " " + f;
    }
    for (const auto& [id, out] : deps) p += "\n\n## Result of task " + id + "\n" + out;
  }
  if (!cp_.feedback.empty()) p += "\n\n## Feedback to address\n" + cp_.feedback;
  if (task.output != OutputKind::kText) p += std::string(kSchemaIntro) + json::serialize(outputSchema(task.output));
  return p;
}

boost::asio::awaitable<ExecutionRun::StageResult> ExecutionRun::runStage(Stage stage) {
  std::string name(stageName(stage));
  std::string before = "before:" + name;
  if (crew_.hasGate(before) && !cp_.gates_passed.count(before + "#" + std::to_string(cp_.visits[name]))) {
    auto paused = pause(before, "", "");
    if (!paused) co_return paused.error();
    co_return std::optional<RunOutcome>(*paused);
  }
  if (name == deps_.deliver_stage) {
    auto delivered = co_await deliver();
    if (!delivered || *delivered) co_return delivered;
  }
  std::string visit = visitKey(stage);
  progress("stage", json::object{{"stage", name}, {"visit", visit}});
  telemetry::Span span = deps_.tracer->start("stage " + name, telemetry::SpanKind::kInternal, runTrace(),
                                             {{"codecrew.stage", name}, {"codecrew.visit", visit}});
  stage_trace_ = span.context();
  const StageSpec* spec = crew_.stage(stage);
  if (crew_.crewai) {
    auto r = co_await runTaskGraph(*spec, visit);
    if (!r || *r) co_return r;
  }
  for (const auto& task : spec->tasks) {
    if (cp_.progress[visit].tasks_done.count(task.name)) continue;
    bool ends_stage = &task == &spec->tasks.back();
    auto r = co_await runTask(task, visit, ends_stage);
    if (!r || *r) co_return r;
  }
  co_return completeStage(stage, visit);
}

boost::asio::awaitable<ExecutionRun::StageResult> ExecutionRun::runTask(const TaskSpec& task, const std::string& visit,
                                                                        bool ends_stage) {
  if (task.per_plan_task && cp_.plan) co_return co_await runPlanTasks(task, visit, ends_stage);
  std::string step = visit + "/" + task.name;
  std::optional<AgentOutcome> stop;
  auto out = co_await runAgent(task, step, taskPrompt(task, nullptr, {}), step, stop);
  if (!out) co_return out.error();
  if (stop) co_return escalate(*stop, step);
  auto state = AgentRunState::fromJson(cp_.agents[step]);
  if (!state) co_return state.error();
  co_return co_await completeTask(task, visit, *state, ends_stage);
}

boost::asio::awaitable<ExecutionRun::StageResult> ExecutionRun::runPlanTasks(const TaskSpec& task,
                                                                             const std::string& visit,
                                                                             bool ends_stage) {
  PlanRunOptions options;
  options.max_parallel = crew_.limits.max_parallel;
  options.completed = cp_.progress[visit].plan_done;
  options.lock_owner_prefix = visit + "/" + task.name + "/";
  PlanRunner runner(locks_, options);
  std::optional<AgentOutcome> stop;
  std::string stop_step;
  auto fn = [&](const PlanTask& pt, TaskOutputs deps) -> boost::asio::awaitable<core::Result<std::string>> {
    std::string step = visit + "/" + task.name + "/" + pt.id;
    std::optional<AgentOutcome> s;
    auto out = co_await runAgent(task, step, taskPrompt(task, &pt, deps), options.lock_owner_prefix + pt.id, s);
    if (out && s) {
      if (!stop) {
        stop = s;
        stop_step = step;
      }
      co_return core::Error{core::ErrorCode::kFailedPrecondition, s->message, nullptr};
    }
    co_return out;
  };
  auto on_done = [&](const std::string& id, const std::string& output) { cp_.progress[visit].plan_done[id] = output; };
  auto report = co_await runner.run(*cp_.plan, fn, on_done);
  if (stop) co_return escalate(*stop, stop_step);
  if (!report) co_return report.error();
  std::string summary;
  for (const auto& [id, out] : report->outputs) summary += "## " + id + "\n" + out + "\n";
  AgentRunState done;
  done.finished = true;
  done.output = summary;
  co_return co_await completeTask(task, visit, done, ends_stage);
}

boost::asio::awaitable<core::Result<std::string>> ExecutionRun::runAgent(const TaskSpec& task, const std::string& step,
                                                                         const std::string& prompt,
                                                                         const std::string& owner,
                                                                         std::optional<AgentOutcome>& stop,
                                                                         bool may_delegate) {
  const AgentSpec* agent = crew_.agent(task.agent);
  std::optional<AgentSpec> with_task_tools;  // a task's tools replace its agent's
  if (task.tools) {
    with_task_tools = *agent;
    with_task_tools->tools = *task.tools;
    agent = &*with_task_tools;
  }
  AgentRunState state;
  bool fresh = false;
  if (auto it = cp_.agents.find(step); it != cp_.agents.end()) {
    auto restored = AgentRunState::fromJson(it->second);
    if (!restored) co_return restored.error();
    state = std::move(restored).value();
  } else {
    auto values = templateValues();
    values["role"] = agent->role;
    values["agent_goal"] = agent->goal;
    values["backstory"] = agent->backstory;
    state.messages = {llm::Message::system(renderTemplate(agent->system_prompt, values)), llm::Message::user(prompt)};
    fresh = true;
  }
  if (state.finished) co_return state.output;
  // The repository's semantic index: for the semantic_search tool, and
  // retrieved context in a new step's prompt.
  auto semantic = openSemantic(*agent, step, fresh ? &state : nullptr, prompt);
  tools::ToolContext tool_context{*workspace_, deps_.sandbox.get()};
  tool_context.semantic = semantic.get();
  tool_context.baseCommit = cp_.base_commit;
  tool_context.author = tools::GitAuthor{agent->name + " (codecrew)", agent->name + "@codecrew.local"};
  AgentJournalImpl journal(*this, step, agent->name);
  AgentEnv env{*deps_.model, *deps_.tools, tool_context,  locks_,           ledger_, journal,
               *cancelled_,  tenant_id_,   execution_id_, exec_.api_key_id, {}};
  telemetry::Span span = deps_.tracer->start("invoke_agent " + agent->name, telemetry::SpanKind::kInternal,
                                             stage_trace_,
                                             {{"gen_ai.operation.name", std::string("invoke_agent")},
                                              {"gen_ai.agent.name", agent->name},
                                              {"codecrew.step", step}});
  env.trace = span.context();
  env.tracer = deps_.tracer.get();
  env.request_id = exec_.request_id;
  env.metrics = deps_.metrics.get();
  env.progress = [this](const std::string& kind, const json::object& data) { progress(kind, data); };
  if (agent->allow_delegation && may_delegate) {
    env.delegation_tools = delegationTools(crew_, *agent);
    if (!env.delegation_tools.empty())
      env.delegate = [this, agent, step](const llm::ToolCall& call) { return delegateTo(*agent, step, call); };
  }
  AgentTask t{agent,
              step,
              owner,
              task.output,
              crew_.limits.guardrail_retries,
              crew_.limits.stall_turns,
              crew_.limits.safety_buffer_tokens};
  AgentLoop loop(env, t);
  auto outcome = co_await loop.run(state);
  locks_.unlockAll(owner);
  if (crashed_) co_return core::Error::unavailable("simulated crash");
  switch (outcome.kind) {
    case AgentOutcomeKind::kCompleted: co_return state.output;
    case AgentOutcomeKind::kCancelled:
    case AgentOutcomeKind::kEscalate:
    case AgentOutcomeKind::kFailed: stop = outcome; co_return std::string();
  }
  co_return std::string();
}

std::shared_ptr<tools::RepositorySearch> ExecutionRun::openSemantic(const AgentSpec& agent, const std::string& step,
                                                                    AgentRunState* fresh, const std::string& prompt) {
  // An agent given no tools does not work on the repository: no index, no
  // retrieved context (a plain-text pipeline step pays nothing for them).
  if (!deps_.semantic || !workspace_ || agent.tools.empty()) return nullptr;
  if (!semantic_) {
    // Opened once a run: the repository's key walks its history to the root commit.
    llm::CallContext context;
    context.tenant_id = tenant_id_;
    context.execution_id = execution_id_;
    context.api_key_id = exec_.api_key_id;
    context.request_id = exec_.request_id;
    auto opened = deps_.semantic->open(tenant_id_, workspace_->root(), context);
    if (!opened) return nullptr;  // not a repository with a commit yet, or indexing is off
    semantic_ = std::move(opened).value();
  }
  auto search = semantic_;
  auto updated = search->prepare(*workspace_);
  if (!updated) {
    core::log::warn("the semantic index could not be updated",
                    {{"execution_id", execution_id_}, {"error", updated.error().message}});
    return nullptr;
  }
  json::object index{{"chunks", updated->chunksTotal},
                     {"files_changed", updated->filesChanged},
                     {"embedded", updated->embedded},
                     {"cache_hits", updated->cacheHits},
                     {"complete", updated->complete}};
  if (updated->embeddingError) index["embedding_error"] = updated->embeddingError->message;
  if (updated->filesChanged || updated->filesRemoved) repo_map_.valid = false;
  const auto& settings = deps_.semantic->settings();
  // Nothing indexed (an empty repository): nothing to retrieve.
  if (!fresh || !settings.context || updated->chunksTotal == 0) return search;
  RetrievalBudget budget{deps_.model->contextWindow(agent.model), settings.context_share, settings.context_max_tokens};
  // The query is the task without its output schema, whose words are no one's code.
  auto retrieved = retrieveContext(*workspace_, *search, prompt.substr(0, prompt.find(kSchemaIntro)), budget,
                                   &repo_map_);
  if (!retrieved.text.empty()) fresh->messages.back() = llm::Message::user(prompt + retrieved.text);
  json::object data = std::move(retrieved.record);
  data["step"] = step;
  data["agent"] = agent.name;
  data["index"] = std::move(index);
  progress("context", data);
  unsaved_.push_back([this, data](store::Store& tx) { return appendEvent(tx, "context.retrieved", data); });
  return search;
}

boost::asio::awaitable<core::Result<std::string>> ExecutionRun::delegateTo(const AgentSpec& self,
                                                                           const std::string& step,
                                                                           const llm::ToolCall& call) {
  auto task = delegatedTask(crew_, self, call);
  if (!task) co_return task.error();
  std::string sub_step = step + "/delegated-" + call.id;
  std::optional<AgentOutcome> stop;
  auto out = co_await runAgent(*task, sub_step, taskPrompt(*task, nullptr, {}), sub_step, stop, false);
  if (!out) co_return out.error();
  if (stop)
    co_return core::Error{core::ErrorCode::kFailedPrecondition, "your coworker could not answer: " + stop->message,
                          nullptr};
  co_return out;
}

ExecutionRun::StageResult ExecutionRun::escalate(const AgentOutcome& outcome, const std::string& step) {
  if (cancelled_->load() || outcome.kind == AgentOutcomeKind::kCancelled) return std::optional<RunOutcome>();
  if (outcome.kind == AgentOutcomeKind::kFailed) {
    if (outcome.store_error && (outcome.store_error->code == core::ErrorCode::kUnavailable ||
                                outcome.store_error->code == core::ErrorCode::kFailedPrecondition))
      return *outcome.store_error;  // the run stops here; the execution resumes from its checkpoint
    auto r = fail(step + ": " + outcome.message, false);
    if (!r) return r.error();
    return std::optional<RunOutcome>(*r);
  }
  bool budget = outcome.reason == "budget";
  if (budget && deps_.metrics) deps_.metrics->budgetExhausted();
  bool to_approval = budget ? crew_.limits.on_budget == Escalation::kApproval
                            : crew_.limits.on_loop == Escalation::kApproval;
  if (!to_approval) {
    std::string msg = step + ": " + outcome.message;
    if (budget) msg += ". " + CrewEngine::resumeHint(exec_.workflow_id, execution_id_);
    auto r = fail(msg, budget);
    if (!r) return r.error();
    return std::optional<RunOutcome>(*r);
  }
  auto r = pause("escalation:" + outcome.reason, step, outcome.breach ? outcome.breach->scope : "");
  if (!r) return r.error();
  return std::optional<RunOutcome>(*r);
}

ExecutionRun::StageResult ExecutionRun::handleApproval() {
  auto a = deps_.store->getApproval(tenant_id_, cp_.approval->id);
  if (!a) return a.error();
  if (a->status == store::ApprovalStatus::kPending) {
    if (exec_.status != store::RunStatus::kWaitingApproval) {
      exec_.status = store::RunStatus::kWaitingApproval;
      if (auto ok = save(); !ok) return ok.error();
    }
    return std::optional<RunOutcome>(RunOutcome::kWaitingApproval);
  }
  PendingApproval pending = *cp_.approval;
  cp_.approval.reset();
  auto decision = a->decision.value_or(store::Decision::kReject);
  bool escalation = pending.gate.starts_with("escalation:");
  if (decision == store::Decision::kReject) {
    auto r = fail("rejected at " + pending.gate + (a->comment.empty() ? "" : ": " + a->comment), false);
    if (!r) return r.error();
    return std::optional<RunOutcome>(*r);
  }
  Stage paused = *lifecycle_->pausedAt();
  exec_.status = store::RunStatus::kRunning;
  if (escalation) {
    auto st = AgentRunState::fromJson(cp_.agents[pending.step]);
    if (!st) return st.error();
    st->seen_calls.clear();
    st->turns_without_change = 0;
    st->max_iterations += std::max(1, st->max_iterations / 2);
    if (decision == store::Decision::kRequestChanges && !a->comment.empty())
      st->messages.push_back(llm::Message::user(a->comment));
    cp_.agents[pending.step] = st->toJson();
    if (!pending.scope.empty()) ledger_.extend(pending.scope.starts_with("agent") ? "agent" : pending.scope);
    if (auto ok = lifecycle_->transition(paused); !ok) return ok.error();
  } else if (pending.gate.starts_with(kHumanInputGate)) {
    if (auto ok = decideHumanInput(pending, decision, a->comment); !ok) return ok.error();
    if (auto ok = lifecycle_->transition(paused); !ok) return ok.error();
  } else if (pending.gate.starts_with("before:")) {
    if (decision == store::Decision::kRequestChanges) cp_.feedback = a->comment;
    cp_.gates_passed.insert(pending.gate + "#" + std::to_string(cp_.visits[std::string(stageName(paused))]));
    if (auto ok = lifecycle_->transition(paused); !ok) return ok.error();
  } else if (decision == store::Decision::kRequestChanges) {
    cp_.feedback = a->comment;
    if (auto ok = lifecycle_->transition(paused); !ok) return ok.error();
  } else {
    if (auto ok = lifecycle_->transition(paused); !ok) return ok.error();
    if (auto ok = lifecycle_->advance(); !ok) return ok.error();
  }
  auto ok = save([&](store::Store& tx) -> core::Status {
    if (auto wf = tx.updateWorkflowStatus(tenant_id_, workflow_.id, store::RunStatus::kRunning); !wf) return wf.error();
    return appendEvent(tx, "approval.decided",
                       json::object{{"approval_id", pending.id},
                                    {"gate", pending.gate},
                                    {"decision", store::decisionName(decision)}});
  });
  if (!ok) return ok.error();
  progress("approval_decided", json::object{{"gate", pending.gate}, {"decision", store::decisionName(decision)}});
  return std::optional<RunOutcome>();
}

boost::asio::awaitable<ExecutionRun::StageResult> ExecutionRun::completeTask(const TaskSpec& task,
                                                                             const std::string& visit,
                                                                             const AgentRunState& state,
                                                                             bool ends_stage) {
  std::string content = state.structured.is_null() ? state.output : json::serialize(state.structured);
  if (task.output == OutputKind::kPlan) {
    auto plan = parsePlan(state.structured);
    if (!plan) co_return plan.error();
    cp_.plan = std::move(plan).value();
  }
  std::string path;
  if (!task.artifact.empty()) {
    path = artifactRepoPath(task.artifact);
    if (auto ok = workspace_->writeFile(path, content); !ok) co_return ok.error();
  }
  // The artifact's bytes go to the artifact store before its row is
  // committed; the key is the content's, so a run that completes the task
  // again writes the same object.
  std::string uri = "git:" + cp_.branch + ":" + path;
  if (deps_.artifacts && !task.artifact.empty()) {
    std::string key = storage::artifactKey(tenant_id_, exec_.workflow_id, execution_id_, core::sha256Hex(content),
                                           artifactFileName(task.artifact));
    std::string type = storage::contentTypeOf(key);
    auto stored = co_await deps_.artifacts->put(key, content, type);
    if (!stored) {
      auto e = std::move(stored).error();
      e.message = "storing the " + task.artifact + " artifact: " + e.message;
      co_return e;
    }
    uri = stored->uri;
  }
  if (!task.output_file.empty())
    if (auto ok = workspace_->writeFile(task.output_file, content); !ok)
      co_return core::Error::invalidArgument("task " + task.name + ": cannot write its output_file " +
                                             task.output_file + ": " + ok.error().message);
  cp_.outputs[task.name] = content;
  cp_.progress[visit].tasks_done.insert(task.name);
  compactAgents(visit + "/" + task.name);
  unsaved_.push_back([this, artifact = task.artifact, name = task.name, visit, uri,
                      content = std::move(content)](store::Store& tx) -> core::Status {
    if (!artifact.empty()) {
      store::Artifact a;
      a.tenant_id = tenant_id_;
      a.workflow_id = exec_.workflow_id;
      a.execution_id = execution_id_;
      a.kind = artifact;
      a.uri = uri;
      a.checksum = core::sha256Hex(content);
      a.content = content;
      if (auto r = tx.addArtifact(a); !r) return r.error();
    }
    return appendEvent(tx, "task.completed", json::object{{"task", name}, {"visit", visit}});
  });
  // The stage's commit follows at once and notes the tree with it.
  if (ends_stage) co_return std::optional<RunOutcome>();
  if (auto noted = noteWorkspaceChanges(); !noted) co_return noted.error();
  if (auto ok = save(); !ok) co_return ok.error();
  co_return std::optional<RunOutcome>();
}

void ExecutionRun::compactAgents(const std::string& step) {
  const std::string within = step + "/";  // its plan tasks' and delegations' runs
  for (auto& [key, value] : cp_.agents) {
    if (key != step && !key.starts_with(within)) continue;
    auto* o = value.if_object();
    if (!o || !o->contains("finished") || !o->at("finished").as_bool()) continue;
    (*o)["conversation"] = json::object{{"messages", json::array()}};
    (*o)["seen_calls"] = json::array();
    o->erase("pending");
  }
}

std::optional<Stage> ExecutionRun::loopBackTarget(Stage stage, std::string& feedback) {
  const StageSpec* spec = crew_.stage(stage);
  for (const auto& task : spec->tasks) {
    auto it = cp_.agents.find(visitKey(stage) + "/" + task.name);
    if (it == cp_.agents.end()) continue;
    auto st = AgentRunState::fromJson(it->second);
    if (!st || !st->structured.is_object()) continue;
    const auto& s = st->structured.as_object();
    if (task.output == OutputKind::kTestReport && s.contains("passed") && !s.at("passed").as_bool())
      feedback = "The tests failed: " + json::serialize(st->structured);
    else if (task.output == OutputKind::kReview && s.contains("verdict") && s.at("verdict").as_string() == "changes")
      feedback = "The reviewer asked for changes: " + json::serialize(st->structured);
    else continue;
    if (crew_.stage(Stage::kBuild)) return Stage::kBuild;
  }
  return std::nullopt;
}

core::Status ExecutionRun::storeBuildOutputs(store::Store& tx) {
  auto diff = git_->diffAgainst(cp_.base_commit);
  if (!diff) return diff.error();
  for (const auto& [path, text] : splitDiff(*diff)) {
    if (path.starts_with("docs/crew/")) continue;
    store::Diff d;
    d.tenant_id = tenant_id_;
    d.workflow_id = exec_.workflow_id;
    d.execution_id = execution_id_;
    d.path = path;
    d.diff = text;
    if (auto r = tx.addDiff(d); !r) return r.error();
    auto content = workspace_->readFile(path);
    if (!content) continue;  // deleted
    store::CodeFile f;
    f.tenant_id = tenant_id_;
    f.workflow_id = exec_.workflow_id;
    f.execution_id = execution_id_;
    f.filename = path;
    f.content = *content;
    auto dot = path.rfind('.');
    f.file_type = dot == std::string::npos ? "" : path.substr(dot + 1);
    if (auto r = tx.addCodeFile(f); !r) return r.error();
  }
  return core::okStatus();
}

ExecutionRun::StageResult ExecutionRun::completeStage(Stage stage, const std::string& visit) {
  std::string name(stageName(stage));
  auto sha = git_->commitAll(tools::GitAuthor{"codecrew " + crew_.name, "crew@codecrew.local"},
                             "codecrew: " + name + " stage of execution " + std::to_string(execution_id_) +
                                 "\n\nCodecrew-Step: execution-" + std::to_string(execution_id_) + "/" + visit + "\n");
  if (sha) cp_.commits[visit] = *sha;
  else if (sha.error().code != core::ErrorCode::kFailedPrecondition) return sha.error();
  // Committed, or nothing to commit: either way the tree is HEAD's.
  if (auto noted = noteWorkspaceCommits(true); !noted) return noted.error();
  std::string feedback;
  std::optional<Stage> back = loopBackTarget(stage, feedback);
  Stage to;
  if (back) {
    if (auto ok = lifecycle_->check(*back); !ok) {
      auto r = fail(name + " asked to loop back to BUILD but " + ok.error().message + ". " + feedback, false);
      if (!r) return r.error();
      return std::optional<RunOutcome>(*r);
    }
    to = *back;
    cp_.feedback = feedback;
    if (deps_.metrics) deps_.metrics->loopBack();
  } else {
    auto next = lifecycle_->nextStage();
    if (!next) return next.error();
    to = *next;
    cp_.feedback.clear();
  }
  ++cp_.visits[name];
  bool gate_after = crew_.hasGate("after:" + name) && !back;
  if (!gate_after)
    if (auto ok = lifecycle_->transition(to); !ok) return ok.error();
  auto record = [&](store::Store& tx) -> core::Status {
    if (stage == Stage::kBuild)
      if (auto r = storeBuildOutputs(tx); !r) return r;
    return appendEvent(tx, "execution.stage",
                       json::object{{"from", name},
                                    {"to", stageName(gate_after ? stage : to)},
                                    {"commit", cp_.commits.count(visit) ? cp_.commits[visit] : ""}});
  };
  if (!gate_after) {
    if (auto ok = save(record); !ok) return ok.error();
    if (crashAt("after_stage")) return core::Error::unavailable("simulated crash after a stage");
    return std::optional<RunOutcome>();
  }
  // The stage's end and its gate in one commit: a run that stopped between
  // the two would come back to a second visit of the stage.
  auto paused = pause("after:" + name, "", "", record);
  if (!paused) return paused.error();
  if (crashAt("after_stage")) return core::Error::unavailable("simulated crash after a stage");
  return std::optional<RunOutcome>(*paused);
}

}  // namespace codecrew::engine
