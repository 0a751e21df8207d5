#include "engine/fenced_store.h"

#include <optional>

namespace codecrew::engine {
namespace {

// A transaction's store once its lease was checked: its writes need no second
// check (the check's row lock holds a takeover off until the commit), and a
// checkpoint it writes notes progress on the job.
class CheckedTransaction final : public store::StoreWrapper {
 public:
  CheckedTransaction(store::Store& tx, core::Id job_id, std::int64_t epoch)
      : StoreWrapper(tx), job_id_(job_id), epoch_(epoch) {}

  store::Result<store::Execution> updateExecution(const store::Execution& e) override {
    auto updated = target().updateExecution(e);
    if (!updated) return updated;
    if (auto noted = target().noteProgress(job_id_, epoch_); !noted) return noted.error();
    return updated;
  }
  store::Status transact(const std::function<store::Status(store::Store&)>& fn) override {
    return target().transact([&](store::Store&) { return fn(*this); });
  }

 private:
  core::Id job_id_;
  std::int64_t epoch_;
};

}  // namespace

template <typename R>
R FencedStore::fenced(const std::function<R(store::Store&)>& op) {
  std::optional<R> out;
  auto st = target().transact([&](store::Store& tx) -> store::Status {
    if (auto ok = tx.checkLease(job_id_, epoch_); !ok) return ok;
    out.emplace(op(tx));
    if (!out->ok()) return out->error();
    return {};
  });
  if (!st) return st.error();
  return std::move(*out);
}

store::Status FencedStore::transact(const std::function<store::Status(store::Store&)>& fn) {
  return target().transact([&](store::Store& tx) -> store::Status {
    if (auto ok = tx.checkLease(job_id_, epoch_); !ok) return ok;
    CheckedTransaction checked(tx, job_id_, epoch_);
    return fn(checked);
  });
}

#define CODECREW_FENCED(Type, call) return fenced<Type>([&](store::Store& s) { return s.call; })

store::Result<store::Execution> FencedStore::updateExecution(const store::Execution& e) {
  // A checkpoint written under the lease is progress: the job's run of
  // attempts without one starts again.
  return fenced<store::Result<store::Execution>>(
      [&](store::Store& s) { return CheckedTransaction(s, job_id_, epoch_).updateExecution(e); });
}
store::Result<store::Execution> FencedStore::refreshExecutionTotals(core::Id tenant_id, core::Id execution_id) {
  CODECREW_FENCED(store::Result<store::Execution>, refreshExecutionTotals(tenant_id, execution_id));
}
store::Result<store::ExecutionJob> FencedStore::updateJob(const store::ExecutionJob& job) {
  CODECREW_FENCED(store::Result<store::ExecutionJob>, updateJob(job));
}
store::Result<store::JobAttempt> FencedStore::updateJobAttempt(const store::JobAttempt& attempt) {
  CODECREW_FENCED(store::Result<store::JobAttempt>, updateJobAttempt(attempt));
}
store::Result<store::Conversation> FencedStore::createConversation(const store::Conversation& c) {
  CODECREW_FENCED(store::Result<store::Conversation>, createConversation(c));
}
store::Result<store::Conversation> FencedStore::updateConversation(const store::Conversation& c) {
  CODECREW_FENCED(store::Result<store::Conversation>, updateConversation(c));
}
store::Result<store::Message> FencedStore::addMessage(const store::Message& m) {
  CODECREW_FENCED(store::Result<store::Message>, addMessage(m));
}
store::Result<store::LlmCall> FencedStore::insertLlmCall(const store::LlmCall& call) {
  CODECREW_FENCED(store::Result<store::LlmCall>, insertLlmCall(call));
}
store::Status FencedStore::insertLlmCalls(const std::vector<store::LlmCall>& calls) {
  CODECREW_FENCED(store::Status, insertLlmCalls(calls));
}
store::Result<store::CodeFile> FencedStore::addCodeFile(const store::CodeFile& f) {
  CODECREW_FENCED(store::Result<store::CodeFile>, addCodeFile(f));
}
store::Result<store::Diff> FencedStore::addDiff(const store::Diff& d) {
  CODECREW_FENCED(store::Result<store::Diff>, addDiff(d));
}
store::Result<store::Artifact> FencedStore::addArtifact(const store::Artifact& a) {
  CODECREW_FENCED(store::Result<store::Artifact>, addArtifact(a));
}
store::Result<store::Approval> FencedStore::createApproval(const store::Approval& a) {
  CODECREW_FENCED(store::Result<store::Approval>, createApproval(a));
}
store::Result<store::PullRequest> FencedStore::upsertPullRequest(const store::PullRequest& pr) {
  CODECREW_FENCED(store::Result<store::PullRequest>, upsertPullRequest(pr));
}
store::Result<store::Event> FencedStore::appendEvent(const store::Event& e) {
  CODECREW_FENCED(store::Result<store::Event>, appendEvent(e));
}
store::Result<store::Workflow> FencedStore::updateWorkflowStatus(core::Id tenant_id, core::Id id,
                                                                 store::RunStatus status) {
  CODECREW_FENCED(store::Result<store::Workflow>, updateWorkflowStatus(tenant_id, id, status));
}
store::Result<store::WorkspaceStep> FencedStore::addWorkspaceStep(const store::WorkspaceStep& step) {
  CODECREW_FENCED(store::Result<store::WorkspaceStep>, addWorkspaceStep(step));
}
store::Status FencedStore::setWorkspaceChanges(const store::WorkspaceStep& changes) {
  CODECREW_FENCED(store::Status, setWorkspaceChanges(changes));
}

#undef CODECREW_FENCED

}  // namespace codecrew::engine
