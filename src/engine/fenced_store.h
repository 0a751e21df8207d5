// FencedStore: the store as one run under a lease sees it. Every write it
// makes for the execution runs in a transaction that first checks the lease
// (JobQueueStore::checkLease), so once the lease is lost (taken over by
// another worker, expired while this one was paused) every later write is
// refused with kFailedPrecondition and nothing of it is kept; the run then
// stops. transact() checks once, at its start: the check's row lock holds a
// takeover off until the commit, so the writes inside need no check of their
// own. A checkpoint written (updateExecution) also notes progress on the job
// (JobQueueStore::noteProgress). Reads pass through.
// Thread-safety: as the wrapped store.
#pragma once

#include "store/store_wrapper.h"

#include <functional>

namespace codecrew::engine {

class FencedStore final : public store::StoreWrapper {
 public:
  FencedStore(std::shared_ptr<store::Store> target, core::Id job_id, std::int64_t epoch)
      : StoreWrapper(std::move(target)), job_id_(job_id), epoch_(epoch) {}

  store::Status transact(const std::function<store::Status(store::Store&)>& fn) override;

  store::Result<store::Execution> updateExecution(const store::Execution& e) override;
  store::Result<store::Execution> refreshExecutionTotals(core::Id tenant_id, core::Id execution_id) override;
  store::Result<store::ExecutionJob> updateJob(const store::ExecutionJob& job) override;
  store::Result<store::JobAttempt> updateJobAttempt(const store::JobAttempt& attempt) override;
  store::Result<store::Conversation> createConversation(const store::Conversation& c) override;
  store::Result<store::Conversation> updateConversation(const store::Conversation& c) override;
  store::Result<store::Message> addMessage(const store::Message& m) override;
  store::Result<store::LlmCall> insertLlmCall(const store::LlmCall& call) override;
  store::Status insertLlmCalls(const std::vector<store::LlmCall>& calls) override;
  store::Result<store::CodeFile> addCodeFile(const store::CodeFile& f) override;
  store::Result<store::Diff> addDiff(const store::Diff& d) override;
  store::Result<store::Artifact> addArtifact(const store::Artifact& a) override;
  store::Result<store::Approval> createApproval(const store::Approval& a) override;
  store::Result<store::PullRequest> upsertPullRequest(const store::PullRequest& pr) override;
  store::Result<store::Event> appendEvent(const store::Event& e) override;
  store::Result<store::Workflow> updateWorkflowStatus(core::Id tenant_id, core::Id id,
                                                      store::RunStatus status) override;
  store::Result<store::WorkspaceStep> addWorkspaceStep(const store::WorkspaceStep& step) override;
  store::Status setWorkspaceChanges(const store::WorkspaceStep& changes) override;

 private:
  // Runs op on the target inside a transaction that checks the lease first.
  template <typename R>
  R fenced(const std::function<R(store::Store&)>& op);

  core::Id job_id_;
  std::int64_t epoch_;
};

}  // namespace codecrew::engine
