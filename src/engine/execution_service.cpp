#include "engine/execution_service.h"

#include "engine/execution_run.h"
#include "tools/git/git_repository.h"
#include "tools/sandbox/sandbox_owner.h"

#include <system_error>

namespace codecrew::engine {
namespace json = boost::json;
namespace fs = std::filesystem;

std::optional<fs::path> localRepositoryPath(const std::string& url) {
  if (url.empty()) return fs::path();
  if (url.rfind("file://", 0) == 0) return fs::path(url.substr(7));
  if (url.find("://") != std::string::npos || url.find('@') != std::string::npos) return std::nullopt;
  return fs::path(url);
}

ExecutionService::ExecutionService(std::shared_ptr<store::Store> store, std::shared_ptr<CrewEngine> engine,
                                   std::shared_ptr<ExecutionQueue> queue, std::shared_ptr<const CrewCatalog> crews,
                                   fs::path workspaces_root)
    : store_(std::move(store)),
      engine_(std::move(engine)),
      queue_(std::move(queue)),
      crews_(std::move(crews)),
      workspaces_root_(std::move(workspaces_root)) {}

fs::path ExecutionService::workspaceFor(core::Id tenant_id, core::Id execution_id) const {
  return workspaces_root_ / ("t" + std::to_string(tenant_id)) / ("e" + std::to_string(execution_id));
}

core::Status ExecutionService::checkStartable(const store::Workflow& workflow) const {
  if (!model_problem_.empty())
    return core::Error{core::ErrorCode::kFailedPrecondition, "cannot start an execution: " + model_problem_, nullptr};
  if (auto crew = crews_->find(workflow.crew); !crew)
    return core::Error::invalidArgument("workflow " + std::to_string(workflow.id) + ": " + crew.error().message);
  auto local = localRepositoryPath(workflow.repository_url);
  if (!local)
    return core::Error::invalidArgument("repository_url '" + workflow.repository_url +
                                        "' is a network remote; this server works on local repositories (a path "
                                        "or file:// URL) until the git integrations land");
  if (!local->empty()) {
    std::error_code ec;
    if (!local->is_absolute() || !fs::is_directory(*local, ec))
      return core::Error::invalidArgument("repository_url '" + workflow.repository_url +
                                          "' is not an absolute path to a directory on this server");
    if (auto repo = tools::GitRepository::open(local->string()); !repo)
      return core::Error::invalidArgument("repository_url '" + workflow.repository_url +
                                          "' is not a git repository: " + repo.error().message);
  }
  return core::okStatus();
}

core::Status ExecutionService::prepareWorkspace(const store::Workflow& workflow, const fs::path& dir) const {
  std::error_code ec;
  // Run as root, the sandbox's commands run as nobody: the tree is theirs,
  // a resumed one included (the engine's commits since are root's).
  if (fs::exists(dir / ".git", ec)) return tools::giveToSandboxUser(dir);  // a resumed start: already there
  fs::create_directories(dir.parent_path(), ec);
  if (ec) return core::Error::internal("cannot create '" + dir.parent_path().string() + "': " + ec.message());
  auto local = localRepositoryPath(workflow.repository_url);
  if (local && !local->empty()) {
    auto cloned = tools::GitRepository::cloneLocal(local->string(), dir.string());
    if (!cloned) return cloned.error();
    return tools::giveToSandboxUser(dir);
  }
  auto repo = tools::GitRepository::openOrInit(dir.string());
  if (!repo) return repo.error();
  return tools::giveToSandboxUser(dir);
}

core::Result<store::Execution> ExecutionService::start(core::Id tenant_id, store::Execution e) {
  auto workflow = store_->getWorkflow(tenant_id, e.workflow_id);
  if (!workflow) return workflow.error();
  fs::path dir = workspaceFor(tenant_id, e.id);
  if (auto ok = prepareWorkspace(*workflow, dir); !ok) {
    e.status = "failed";
    e.stage = "FAILED";
    e.error = "cannot prepare the workspace: " + ok.error().message;
    (void)store_->transact([&](store::Store& tx) -> core::Status {
      if (auto r = tx.updateExecution(e); !r) return r.error();
      auto job = tx.getJobForExecution(tenant_id, e.id);
      if (!job) return job.error();
      job->status = "failed";  // nothing for recover() to pick up
      if (auto r = tx.updateJob(*job); !r) return r.error();
      return core::okStatus();
    });
    return ok.error();
  }
  if (!e.meta.is_object()) e.meta = json::object();
  e.meta.as_object()["workspace"] = dir.string();
  auto saved = store_->updateExecution(e);
  if (!saved) return saved.error();
  if (auto ok = queue_->enqueue(tenant_id, e.id); !ok) return ok.error();
  return saved;
}

core::Status ExecutionService::cancel(core::Id tenant_id, core::Id execution_id) {
  return engine_->cancel(tenant_id, execution_id);
}

core::Status ExecutionService::resume(core::Id tenant_id, core::Id execution_id) {
  auto exec = store_->getExecutionById(tenant_id, execution_id);
  if (!exec) return exec.error();
  if (exec->status == "waiting_approval") {
    auto pending = store_->listApprovals(tenant_id, std::string("pending"), execution_id, {1, 1});
    if (!pending) return pending.error();
    if (pending->total > 0)
      return core::Error::conflict("execution " + std::to_string(execution_id) + " waits on approval " +
                                   std::to_string(pending->items.front().id) + ": decide it instead");
  }
  if (auto ok = engine_->prepareResume(tenant_id, execution_id); !ok) return ok;
  return queue_->enqueue(tenant_id, execution_id);
}

core::Result<store::Approval> ExecutionService::decide(core::Id tenant_id, core::Id approval_id,
                                                       const std::string& decision, const std::string& reviewer,
                                                       const std::string& comment) {
  if (decision != "approve" && decision != "reject" && decision != "changes")
    return core::Error::invalidArgument("decision must be approve, reject or changes");
  if (decision == "changes" && comment.empty())
    return core::Error::invalidArgument("a request for changes needs a comment saying what to change");
  auto decided = store_->decideApproval(tenant_id, approval_id, decision, reviewer, comment);
  if (!decided) return decided.error();
  auto exec = store_->getExecutionById(tenant_id, decided->execution_id);
  if (exec && exec->status == "waiting_approval") {
    if (auto ok = queue_->enqueue(tenant_id, decided->execution_id); !ok) return ok.error();
  }
  return decided;
}

}  // namespace codecrew::engine
