// CrewCodeService: runs (this file) and sessions (crewcode_sessions.cpp).
#include "engine/crewcode_service.h"

#include "core/crypto.h"
#include "core/log.h"
#include "engine/workspace_changes.h"

#include <condition_variable>
#include <filesystem>

namespace codecrew::engine {
namespace json = boost::json;
namespace fs = std::filesystem;

// What a caller waits on: filled once by the watch's callback.
struct CrewCodeService::Pending {
  std::mutex mu;
  std::condition_variable done;
  std::optional<core::Result<CrewRun>> result;  // guarded by mu

  void complete(core::Result<CrewRun> r) {
    {
      std::lock_guard lock(mu);
      result.emplace(std::move(r));
    }
    done.notify_all();
  }
  std::optional<core::Result<CrewRun>> waitFor(std::chrono::milliseconds limit) {
    std::unique_lock lock(mu);
    done.wait_for(lock, limit, [&] { return result.has_value(); });
    return result;
  }
};

namespace {

json::object runDetails(core::Id workflow_id, core::Id execution_id) {
  return {{"workflow_id", workflow_id}, {"execution_id", execution_id}};
}

std::string workflowName(const CrewRequest& r) {
  std::string first = r.goal.substr(0, r.goal.find('\n'));
  if (first.size() > 80) first = first.substr(0, 77) + "...";
  return "crewcode " + r.origin + ": " + first;
}

}  // namespace

CrewCodeService::CrewCodeService(std::shared_ptr<store::Store> store, std::shared_ptr<ExecutionService> executions,
                                 std::shared_ptr<const CrewCatalog> crews, fs::path workspaces_root,
                                 std::shared_ptr<ExecutionWatch> watch, std::shared_ptr<ProgressRelay> progress,
                                 std::shared_ptr<core::Clock> clock, CrewCodeSettings settings)
    : store_(std::move(store)),
      executions_(std::move(executions)),
      crews_(std::move(crews)),
      workspaces_root_(std::move(workspaces_root)),
      watch_(std::move(watch)),
      progress_(std::move(progress)),
      clock_(std::move(clock)),
      settings_(settings) {}

std::vector<std::string> CrewCodeService::crewNames() const { return crews_->names(); }

core::Result<CrewRun> CrewCodeService::generate(core::Id tenant_id, const std::string& request,
                                                const std::string& language) {
  CrewRequest r;
  r.crew = "codegen";
  r.origin = "generate";
  r.goal = language.empty() ? request : request + "\n\nWrite it in " + language + ".";
  return run(tenant_id, std::move(r));
}

core::Result<CrewRun> CrewCodeService::run(core::Id tenant_id, CrewRequest request) {
  std::string crew = request.crew;
  auto pending = std::make_shared<Pending>();
  auto started = start(tenant_id, std::move(request),
                       [pending](core::Result<CrewRun> r) { pending->complete(std::move(r)); });
  if (!started) return started.error();
  auto result = pending->waitFor(settings_.run_timeout);
  if (result) return std::move(*result);
  progress_->stop(started->execution_id);
  return core::Error{core::ErrorCode::kDeadlineExceeded,
                     "the " + crew + " crew did not finish within " +
                         std::to_string(settings_.run_timeout.count() / 1000) + " s; execution " +
                         std::to_string(started->execution_id) + " goes on: follow it at /workflows/" +
                         std::to_string(started->workflow_id) + "/executions/" + std::to_string(started->execution_id),
                     runDetails(started->workflow_id, started->execution_id)};
}

core::Status CrewCodeService::cancel(core::Id tenant_id, core::Id execution_id) {
  auto cancelled = executions_->cancel(tenant_id, execution_id);
  if (!cancelled) return cancelled.error();
  return core::okStatus();
}

core::Result<CrewCodeService::Started> CrewCodeService::start(core::Id tenant_id, CrewRequest request, CrewDone done) {
  if (auto crew = crews_->find(request.crew); !crew) return crew.error();
  if (auto ok = checkFiles(request.files); !ok) return ok.error();
  store::Workflow w;
  w.tenant_id = tenant_id;
  w.name = workflowName(request);
  w.description = request.goal;
  w.crew = request.crew;
  if (request.workflow_id) {
    auto existing = store_->getWorkflow(tenant_id, *request.workflow_id);
    if (!existing) return existing.error();
    w = *existing;
    w.description = request.goal;
  }
  if (auto ok = executions_->checkStartable(w); !ok) return ok.error();
  if (!request.workflow_id) {
    auto created = store_->createWorkflow(w);
    if (!created) return created.error();
    w = created->value;
  }
  // The request's files are the workspace's first commit, made before the
  // start names it; a crash in between leaves only an unused directory.
  fs::path dir = workspaces_root_ / ("t" + std::to_string(tenant_id)) / ("c" + core::randomHex(8));
  auto base = seedWorkspace(dir, request.files);
  if (!base) {
    std::error_code ec;
    fs::remove_all(dir, ec);
    return core::Error::internal("cannot prepare the workspace: " + base.error().message);
  }
  std::string crew = request.crew;
  std::string base_commit = *base;
  auto on_ended = request.on_ended;
  auto progress = std::move(request.progress);
  StartRequest start;
  start.tenant_id = tenant_id;
  start.workflow_id = w.id;
  start.meta = json::object{{"crewcode", request.origin}, {"goal", request.goal}};
  start.origin = request.origin == "chat" ? StartOrigin::kCrewModel : StartOrigin::kCrewCode;
  start.workspace = dir;
  start.api_key_id = request.api_key_id;
  // Watched before it is queued, so its end cannot be missed.
  start.before_queue = [&](const store::Execution& e) {
    core::Id exec_id = e.id;
    watch_->whenFinished(exec_id, [this, done, tenant_id, exec_id, crew, base_commit,
                                   on_ended](const core::Result<RunOutcome>& outcome) {
      auto r = finish(tenant_id, exec_id, crew, base_commit, outcome);
      if (on_ended) {
        if (auto ok = on_ended(r); !ok && r) r = ok.error();
      }
      done(std::move(r));
    });
    if (progress) progress_->listen(exec_id, std::move(progress));
  };
  auto started = executions_->start(std::move(start));
  if (!started) {
    std::error_code ec;
    fs::remove_all(dir, ec);
    if (on_ended) (void)on_ended(started.error());
    return started.error();
  }
  core::Id exec_id = started->execution.id;
  return Started{w.id, exec_id};
}

core::Result<CrewRun> CrewCodeService::finish(core::Id tenant_id, core::Id execution_id, const std::string& crew,
                                              const std::string& base_commit, const core::Result<RunOutcome>& outcome) {
  progress_->stop(execution_id);
  auto exec = store_->getExecutionById(tenant_id, execution_id);
  if (!exec) return exec.error();
  fs::path dir = workspaceOf(*exec, workspaces_root_);
  bool paused = exec->status == store::RunStatus::kWaitingApproval;
  auto cleanup = [&] {
    if (paused) return;  // a decision resumes it in this workspace
    std::error_code ec;
    fs::remove_all(dir, ec);
    if (ec) core::log::warn("cannot remove a CrewCode workspace", {{"dir", dir.string()}, {"error", ec.message()}});
  };
  json::object details = runDetails(exec->workflow_id, execution_id);
  if (!outcome || exec->status != store::RunStatus::kCompleted) {
    details["status"] = store::runStatusName(exec->status);
    details["error"] = outcome ? exec->error : outcome.error().message;
    std::string why = !outcome ? outcome.error().message
                      : paused
                          ? "it paused for an approval (see /approvals?execution_id=" + std::to_string(execution_id) +
                                ")"
                          : (exec->error.empty()
                                 ? std::string(store::runStatusName(exec->status))
                                 : std::string(store::runStatusName(exec->status)) + ": " + exec->error);
    cleanup();
    return core::Error{core::ErrorCode::kFailedPrecondition,
                       "the " + crew + " crew did not complete execution " + std::to_string(execution_id) + ": " + why,
                       std::move(details)};
  }
  auto changes = collectWorkspaceChanges(dir, base_commit);
  cleanup();
  if (!changes) return changes.error();
  auto usage = usageOf(tenant_id, execution_id);
  if (!usage) return usage.error();
  CrewRun r;
  r.workflow_id = exec->workflow_id;
  r.execution_id = execution_id;
  r.crew = crew;
  r.files = std::move(changes->files);
  r.diff = std::move(changes->diff);
  r.markdown = renderFencedFiles(r.files);
  r.usage = *usage;
  if (const auto* models = exec->models.if_array())
    for (const auto& m : *models)
      if (m.is_string()) r.models.emplace_back(m.as_string());
  return r;
}

core::Result<CrewUsage> CrewCodeService::usageOf(core::Id tenant_id, core::Id execution_id) {
  CrewUsage u;
  store::LlmCallQuery q;
  q.execution_id = execution_id;
  q.sort_by = "id";
  q.descending = false;
  q.page.page_size = 200;
  for (q.page.page = 1;; ++q.page.page) {
    auto page = store_->listLlmCalls(tenant_id, q);
    if (!page) return page.error();
    for (const auto& c : page->items) {
      u.prompt_tokens += c.prompt_tokens;
      u.completion_tokens += c.completion_tokens;
      u.total_tokens += c.total_tokens;
      u.cost += c.cost;
      ++u.calls;
    }
    if (static_cast<std::int64_t>(q.page.page) * q.page.page_size >= page->total) break;
  }
  return u;
}

}  // namespace codecrew::engine
