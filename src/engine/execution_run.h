// ExecutionRun: one pass of CrewEngine::run over one execution: loads the
// execution, its workflow, crew and checkpoint, and walks the lifecycle,
// running each stage's tasks through AgentLoops (plan tasks through the
// PlanRunner), journalling every turn, pausing at gates and escalations, and
// storing artifacts, code files, diffs and a commit per stage. The store
// keeps the workspace's commits and uncommitted changes with the checkpoints
// (workspace_recorder.h), and a run that finds its workspace missing or not
// the one its checkpoint was written from rebuilds it from them first
// (workspace_rebuild.h). Private to the engine; see crew_engine.h for the
// contract.
// Thread-safety: one ExecutionRun per execution, used on one strand.
#pragma once

#include "engine/agent_loop.h"
#include "engine/checkpoint.h"
#include "engine/context_retrieval.h"
#include "engine/crew_engine.h"
#include "engine/file_locks.h"
#include "engine/semantic_context.h"
#include "engine/workspace_recorder.h"
#include "tools/git/git_repository.h"
#include "tools/workspace/local_workspace.h"

#include <optional>

namespace codecrew::engine {

// The gate of a task with human_input: "human_input:<task>".
inline constexpr std::string_view kHumanInputGate = "human_input:";
// The built-in crew a follow-up on a pull request runs (templates/fix.yaml).
inline constexpr std::string_view kFollowUpCrew = "fix";

class ExecutionRun {
 public:
  ExecutionRun(const EngineDeps& deps, core::Id tenant_id, core::Id execution_id,
               std::shared_ptr<std::atomic<bool>> cancelled);

  boost::asio::awaitable<core::Result<RunOutcome>> execute();
  // Ends this run's span with the run's outcome (CrewEngine::run, after execute()).
  void endSpan(const core::Result<RunOutcome>& outcome);

  // Journals one agent turn (records + checkpoint) in one transaction.
  // Creates the conversation of an agent step before its first model call.
  core::Status openConversation(const std::string& step, const std::string& agent, AgentRunState& state);
  core::Status commitAgent(const std::string& step, const std::string& agent, AgentRunState& state, TurnRecords records,
                           bool reply);

  static core::Status reopenForResume(store::Store& store, store::Execution exec);

 private:
  using StageResult = core::Result<std::optional<RunOutcome>>;

  core::Status load();
  core::Status fillInputs();
  // Rebuilds a workspace the server owns when it is not the one the
  // checkpoint describes (workspace_rebuild.h); kUnavailable when the store
  // could not be read, another error when the workspace cannot be rebuilt.
  core::Status restoreWorkspace();
  core::Status setupWorkspace();
  // Starts the workspace's log in the checkpoint (a first run, or a
  // checkpoint written before the store kept workspaces).
  core::Status startWorkspaceLog(bool made_base);
  // Notes for the next checkpoint the working tree's changes, or the
  // commits since the log's head and then the changes (none when
  // `tree_committed`: the whole tree was just committed).
  core::Status noteWorkspaceChanges();
  core::Status noteWorkspaceCommits(bool tree_committed = false);
  boost::asio::awaitable<core::Result<RunOutcome>> walk();
  StageResult handleApproval();
  boost::asio::awaitable<StageResult> runStage(Stage stage);
  // `ends_stage`: the task is the last of its stage, run on its own; its
  // completion is then written with the stage's (completeTask).
  boost::asio::awaitable<StageResult> runTask(const TaskSpec& task, const std::string& visit, bool ends_stage);
  boost::asio::awaitable<StageResult> runPlanTasks(const TaskSpec& task, const std::string& visit, bool ends_stage);
  // A CrewAI crew's stage: its tasks as a graph of their order, context and
  // async_execution (execution_task_graph.cpp), with human_input gates.
  boost::asio::awaitable<StageResult> runTaskGraph(const StageSpec& spec, const std::string& visit);
  // The decision on a human_input gate: the task's answer accepted, or sent
  // back to its agent with the reviewer's comment.
  core::Status decideHumanInput(const PendingApproval& pending, store::Decision decision, const std::string& comment);
  boost::asio::awaitable<core::Result<std::string>> runAgent(const TaskSpec& task, const std::string& step,
                                                             const std::string& prompt, const std::string& owner,
                                                             std::optional<AgentOutcome>& stop,
                                                             bool may_delegate = true);
  // The repository's semantic index, brought up to date with the workspace
  // (null: none: off, an agent without tools, or not a repository with a
  // commit). For a new step
  // (fresh: its state, whose task message is `prompt`), the retrieved
  // context is appended to the task and recorded (event context.retrieved).
  std::shared_ptr<tools::RepositorySearch> openSemantic(const AgentSpec& agent, const std::string& step,
                                                        AgentRunState* fresh, const std::string& prompt);
  // A coworker's answer to a delegation call of the agent working step.
  boost::asio::awaitable<core::Result<std::string>> delegateTo(const AgentSpec& self, const std::string& step,
                                                               const llm::ToolCall& call);
  // Writes the task's artifact and output and marks it done. Its records
  // (artifact row, event) go with the next checkpoint: at once, or, when
  // `ends_stage`, with the stage's own (one write instead of two; a run that
  // stops in between completes the task again from its finished agent, with
  // no model call). The task's agent runs are compacted in the checkpoint.
  // The artifact's bytes are written to the artifact store first (when the
  // engine has one), under a key of their content.
  boost::asio::awaitable<StageResult> completeTask(const TaskSpec& task, const std::string& visit,
                                                   const AgentRunState& state, bool ends_stage = false);
  // Drops from the checkpoint the conversations of the finished agent runs
  // of `step` (and of its plan tasks and delegations): a completed task never
  // resumes them, the store holds their messages; their outcome stays.
  void compactAgents(const std::string& step);
  StageResult completeStage(Stage stage, const std::string& visit);
  std::optional<Stage> loopBackTarget(Stage stage, std::string& feedback);
  core::Status storeBuildOutputs(store::Store& tx);
  StageResult escalate(const AgentOutcome& outcome, const std::string& step);

  // Opens the gate and pauses; `also` is written in the same commit.
  core::Result<RunOutcome> pause(const std::string& gate, const std::string& step, const std::string& scope,
                                 const std::function<core::Status(store::Store&)>& also = {});
  core::Result<RunOutcome> fail(const std::string& message, bool resumable);
  core::Result<RunOutcome> finish();
  // With [artifacts] archive_workspaces: stores the execution's branch as
  // workspace.tar.gz in the artifact store (execution_archive.cpp), noted
  // for finish()'s event. A failure is logged and the run finishes anyway.
  boost::asio::awaitable<void> archiveWorkspace();
  // Delivers the work to the code host (delivery.h) once per execution: at
  // the start of the delivery stage, or at the end when the crew has none.
  // An outcome when the run must stop (a failure), else nullopt.
  boost::asio::awaitable<StageResult> deliver();
  bool deliveryApplies() const;
  std::string branchName() const;
  // Writes the checkpoint (and execution status/stage) with extra records,
  // and the records left for it (unsaved_), in one transaction; the totals
  // are read again from the store when a model call was made since.
  core::Status save(const std::function<core::Status(store::Store&)>& extra = {});
  core::Status createConversation(store::Store& tx, const std::string& step, const std::string& agent,
                                  AgentRunState& state);
  void copyTotals(const store::Execution& totals);
  core::Status appendEvent(store::Store& tx, const std::string& type, boost::json::value data);
  bool crashAt(const std::string& point);
  std::string visitKey(Stage stage) const;
  // The run span's context: the parent of its stages' spans.
  std::optional<telemetry::TraceContext> runTrace() const { return run_span_.context(); }
  std::string taskPrompt(const TaskSpec& task, const PlanTask* plan_task, const TaskOutputs& deps) const;
  std::map<std::string, std::string> templateValues() const;
  void progress(const std::string& kind, boost::json::object data) const;

  const EngineDeps& deps_;
  core::Id tenant_id_;
  core::Id execution_id_;
  std::shared_ptr<std::atomic<bool>> cancelled_;
  std::atomic<bool> crashed_{false};

  store::Execution exec_;
  store::Workflow workflow_;
  CrewSpec crew_;
  ExecutionCheckpoint cp_;
  std::optional<Lifecycle> lifecycle_;
  BudgetLedger ledger_;
  std::unique_ptr<tools::LocalWorkspace> workspace_;
  std::optional<tools::GitRepository> git_;
  FileLockTable locks_;
  WorkspaceRecorder recorder_;
  bool owned_workspace_ = false;  // under the workspaces root: logged in the store, rebuilt when missing
  bool rebuilt_ = false;          // this run rebuilt the workspace
  bool resumed_ = false;          // the run began from a checkpoint
  bool totals_stale_ = true;      // a model call may have been recorded since the totals were read
  // Records of what the checkpoint in memory says is done, for the next save.
  std::vector<std::function<core::Status(store::Store&)>> unsaved_;
  // This run's span (from execute() to endSpan()) and the current stage's
  // context, the parent of its agents' spans.
  std::optional<boost::json::object> archived_;        // the workspace's archive, for finish()'s event
  RepoMapCache repo_map_;                              // the retrieved context's map, until the index sees a change
  std::shared_ptr<tools::RepositorySearch> semantic_;  // the workspace's index, once opened
  telemetry::Span run_span_;
  telemetry::TraceContext stage_trace_;
};

}  // namespace codecrew::engine
