#include "store_fixture.h"

namespace codecrew::store::testing {
namespace {

// Everything below belongs to tenant 1; tenant 2 asks for it by id.
class TenantIsolationTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    Project p;
    p.tenant_id = t1_;
    p.name = "p";
    auto project = store_->createProject(p);
    ASSERT_OK(project);
    project_ = project->id;
    wf_ = newWorkflow(t1_);
    ex_ = newExecution(t1_, wf_);
    conv_ = newConversation(t1_, wf_, ex_);
    auto job = store_->getJobForExecution(t1_, ex_);
    ASSERT_OK(job);
    job_ = *job;
    JobAttempt a;
    a.tenant_id = t1_;
    a.job_id = job_.id;
    auto attempt = store_->addJobAttempt(a);
    ASSERT_OK(attempt);
    attempt_ = *attempt;
    auto call = store_->insertLlmCall(makeCall(t1_, conv_, "m", 1, 0, 0, 0));
    ASSERT_OK(call);
    call_ = call->id;
    Approval ap;
    ap.tenant_id = t1_;
    ap.workflow_id = wf_;
    ap.execution_id = ex_;
    ap.gate = "g";
    auto approval = store_->createApproval(ap);
    ASSERT_OK(approval);
    approval_ = approval->id;
    PullRequest pr;
    pr.tenant_id = t1_;
    pr.workflow_id = wf_;
    auto stored = store_->upsertPullRequest(pr);
    ASSERT_OK(stored);
    pr_ = stored->id;
  }

  Id project_ = 0, wf_ = 0, ex_ = 0, conv_ = 0, call_ = 0, approval_ = 0, pr_ = 0;
  ExecutionJob job_;
  JobAttempt attempt_;
};

TEST_F(TenantIsolationTest, EveryGetterReportsAnotherTenantsObjectAsNotFound) {
  EXPECT_CODE(store_->getProject(t2_, project_), ErrorCode::kNotFound);
  EXPECT_CODE(store_->getWorkflow(t2_, wf_), ErrorCode::kNotFound);
  EXPECT_CODE(store_->getExecution(t2_, wf_, ex_), ErrorCode::kNotFound);
  EXPECT_CODE(store_->getExecutionById(t2_, ex_), ErrorCode::kNotFound);
  EXPECT_CODE(store_->listExecutions(t2_, wf_, {}), ErrorCode::kNotFound);
  EXPECT_CODE(store_->getJobForExecution(t2_, ex_), ErrorCode::kNotFound);
  EXPECT_CODE(store_->listJobAttempts(t2_, job_.id), ErrorCode::kNotFound);
  EXPECT_CODE(store_->getConversation(t2_, conv_), ErrorCode::kNotFound);
  EXPECT_CODE(store_->listConversations(t2_, wf_), ErrorCode::kNotFound);
  EXPECT_CODE(store_->listMessages(t2_, conv_), ErrorCode::kNotFound);
  EXPECT_CODE(store_->getLlmCall(t2_, call_), ErrorCode::kNotFound);
  EXPECT_CODE(store_->listCodeFiles(t2_, wf_, std::nullopt), ErrorCode::kNotFound);
  EXPECT_CODE(store_->listDiffs(t2_, wf_, std::nullopt, std::nullopt, {}), ErrorCode::kNotFound);
  EXPECT_CODE(store_->listArtifacts(t2_, wf_, std::nullopt, std::nullopt, {}), ErrorCode::kNotFound);
  EXPECT_CODE(store_->getApproval(t2_, approval_), ErrorCode::kNotFound);
  EXPECT_CODE(store_->getPullRequest(t2_, wf_), ErrorCode::kNotFound);
  EXPECT_CODE(store_->listChecks(t2_, pr_, {}), ErrorCode::kNotFound);
  EXPECT_CODE(store_->listEvents(t2_, wf_, 0, 10), ErrorCode::kNotFound);
  EXPECT_CODE(store_->refreshExecutionTotals(t2_, ex_), ErrorCode::kNotFound);
}

TEST_F(TenantIsolationTest, WritesCannotReachAnotherTenantsObjects) {
  EXPECT_CODE(store_->deleteWorkflow(t2_, wf_), ErrorCode::kNotFound);
  EXPECT_CODE(store_->updateWorkflowStatus(t2_, wf_, store::RunStatus::kRunning), ErrorCode::kNotFound);
  EXPECT_CODE(store_->decideApproval(t2_, approval_, store::Decision::kApprove, "x", ""), ErrorCode::kNotFound);
  ExecutionJob job = job_;
  job.tenant_id = t2_;
  EXPECT_CODE(store_->updateJob(job), ErrorCode::kNotFound);
  JobAttempt attempt = attempt_;
  attempt.tenant_id = t2_;
  EXPECT_CODE(store_->updateJobAttempt(attempt), ErrorCode::kNotFound);
  EXPECT_CODE(store_->addJobAttempt(attempt), ErrorCode::kNotFound);

  // Children of tenant 1's objects cannot be created under tenant 2.
  Workflow w;
  w.tenant_id = t2_;
  w.name = "x";
  w.project_id = project_;
  EXPECT_CODE(store_->createWorkflow(w), ErrorCode::kNotFound);
  Conversation c;
  c.tenant_id = t2_;
  c.workflow_id = wf_;
  EXPECT_CODE(store_->createConversation(c), ErrorCode::kNotFound);
  Message m;
  m.tenant_id = t2_;
  m.conversation_id = conv_;
  m.role = "user";
  EXPECT_CODE(store_->addMessage(m), ErrorCode::kNotFound);
  EXPECT_CODE(store_->insertLlmCall(makeCall(t2_, conv_, "m", 1, 0, 0, 0)), ErrorCode::kNotFound);
  CodeFile f;
  f.tenant_id = t2_;
  f.workflow_id = wf_;
  f.filename = "a";
  EXPECT_CODE(store_->addCodeFile(f), ErrorCode::kNotFound);
  Check ch;
  ch.tenant_id = t2_;
  ch.pull_request_id = pr_;
  ch.name = "ci";
  EXPECT_CODE(store_->upsertCheck(ch), ErrorCode::kNotFound);

  // And nothing of tenant 1 changed.
  auto still = store_->getWorkflow(t1_, wf_);
  ASSERT_OK(still);
  EXPECT_EQ(still->status, store::RunStatus::kPending);
}

TEST_F(TenantIsolationTest, ListsOnlyShowTheTenantsRows) {
  auto workflows = store_->listWorkflows(t2_, {});
  ASSERT_OK(workflows);
  EXPECT_EQ(workflows->total, 0);
  auto projects = store_->listProjects(t2_, {});
  ASSERT_OK(projects);
  EXPECT_EQ(projects->total, 0);
  auto approvals = store_->listApprovals(t2_, std::nullopt, std::nullopt, {});
  ASSERT_OK(approvals);
  EXPECT_EQ(approvals->total, 0);
  auto audit = store_->listAudit(t2_, {});
  ASSERT_OK(audit);
  EXPECT_EQ(audit->total, 0);
}

}  // namespace
}  // namespace codecrew::store::testing
