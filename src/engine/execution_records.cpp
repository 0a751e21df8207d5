#include "engine/execution_records.h"

#include "engine/checkpoint.h"

#include <boost/json/object.hpp>

namespace codecrew::engine {
namespace json = boost::json;

namespace {

core::Status endExecution(store::Store& tx, core::Clock& clock, store::Execution& exec, store::RunStatus status,
                          store::JobStatus job_status, const std::string& error) {
  exec.status = status;
  exec.stage = status == store::RunStatus::kCancelled ? store::Stage::kCancelled : store::Stage::kFailed;
  exec.finished_at = clock.nowMillis();
  if (!error.empty()) exec.error = error;
  auto updated = tx.updateExecution(exec);
  if (!updated) return updated.error();
  exec = std::move(updated).value();
  if (auto r = tx.updateWorkflowStatus(exec.tenant_id, exec.workflow_id, status); !r) return r.error();
  if (auto job = tx.getJobForExecution(exec.tenant_id, exec.id); job && job->status != job_status) {
    job->status = job_status;
    job->lease_owner.clear();
    if (auto r = tx.updateJob(*job); !r) return r.error();
  }
  store::Event e;
  e.tenant_id = exec.tenant_id;
  e.workflow_id = exec.workflow_id;
  e.execution_id = exec.id;
  e.type = "execution.status";
  json::object data{{"status", store::runStatusName(status)}};
  if (!error.empty()) data["error"] = error;
  e.data = std::move(data);
  if (auto r = tx.appendEvent(e); !r) return r.error();
  return core::okStatus();
}

}  // namespace

core::Result<store::Execution> markCancelled(store::Store& store, core::Clock& clock, core::Id tenant_id,
                                             core::Id execution_id) {
  store::Execution out;
  auto ok = store.transact([&](store::Store& tx) -> core::Status {
    auto exec = tx.getExecutionById(tenant_id, execution_id);
    if (!exec) return exec.error();
    if (store::hasEnded(exec->status))
      return core::Error::conflict("execution " + std::to_string(execution_id) + " has already ended (" +
                                   std::string(store::runStatusName(exec->status)) + ")");
    out = std::move(exec).value();
    return endExecution(tx, clock, out, store::RunStatus::kCancelled, store::JobStatus::kCancelled, "");
  });
  if (!ok) return ok.error();
  return out;
}

core::Status markFailed(store::Store& store, core::Clock& clock, core::Id tenant_id, core::Id execution_id,
                        const std::string& message) {
  return store.transact([&](store::Store& tx) -> core::Status {
    auto exec = tx.getExecutionById(tenant_id, execution_id);
    if (!exec) return exec.error();
    if (store::hasEnded(exec->status)) return core::okStatus();
    return endExecution(tx, clock, *exec, store::RunStatus::kFailed, store::JobStatus::kFailed, message);
  });
}

core::Result<StartResult> storeStart(store::Store& store, const StartRequest& request) {
  StartResult out;
  auto ok = store.transact([&](store::Store& tx) -> core::Status {
    json::value meta = request.meta.is_object() ? request.meta : json::value(json::object());
    auto created = tx.createExecution(request.tenant_id, request.workflow_id, request.idempotency_key, meta);
    if (!created) return created.error();
    out.execution = std::move(created->value);
    out.created = created->created;
    if (out.created && (!request.workspace.empty() || request.api_key_id || !request.inputs.empty() ||
                        !request.follow_up.empty() || !request.request_id.empty() || !request.trace_parent.empty())) {
      if (!request.follow_up.empty()) {
        ExecutionCheckpoint seed;
        seed.follow_up = request.follow_up;
        seed.feedback = request.feedback;
        out.execution.checkpoint = seed.toJson();
      }
      if (!request.workspace.empty()) out.execution.workspace = request.workspace.lexically_normal().string();
      out.execution.api_key_id = request.api_key_id;
      out.execution.request_id = request.request_id;
      out.execution.trace_parent = request.trace_parent;
      json::object inputs;
      for (const auto& [k, v] : request.inputs) inputs[k] = v;
      out.execution.inputs = std::move(inputs);
      auto updated = tx.updateExecution(out.execution);
      if (!updated) return updated.error();
      out.execution = std::move(updated).value();
    }
    auto job = tx.getJobForExecution(request.tenant_id, out.execution.id);
    if (!job) return job.error();
    out.job = std::move(job).value();
    return core::okStatus();
  });
  if (!ok) return ok.error();
  return out;
}

core::Status checkStartInputs(const CrewCatalog& crews, const store::Workflow& workflow, const CrewInputs& start) {
  auto crew = crews.find(workflow.crew);
  if (!crew) return core::okStatus();
  auto given = crewInputsFromJson(workflow.inputs, "the workflow's inputs");
  if (!given) return given.error();
  return checkCrewInputs(*crew, mergeCrewInputs(workflow.description, *given, start));
}

core::Result<store::Approval> recordDecision(store::Store& store, const DecideRequest& r) {
  if (r.decision == ApprovalDecision::kRequestChanges && r.comment.empty())
    return core::Error::invalidArgument("a request for changes needs a comment saying what to change");
  if (r.workflow_id) {
    auto approval = store.getApproval(r.tenant_id, r.approval_id);
    if (!approval) return approval.error();
    if (approval->workflow_id != *r.workflow_id)
      return core::Error::notFound("approval " + std::to_string(r.approval_id) + " not found in workflow " +
                                   std::to_string(*r.workflow_id));
  }
  return store.decideApproval(r.tenant_id, r.approval_id, r.decision, r.reviewer, r.comment);
}

core::Result<store::Execution> executionOf(store::Store& store, core::Id tenant_id, core::Id execution_id,
                                           std::optional<core::Id> workflow_id) {
  if (workflow_id) return store.getExecution(tenant_id, *workflow_id, execution_id);
  return store.getExecutionById(tenant_id, execution_id);
}

}  // namespace codecrew::engine
