#include "store_fixture.h"

namespace codecrew::store::testing {
namespace {

class WorkflowsTest : public StoreTest {};

TEST_F(WorkflowsTest, CreateAndGet) {
  Workflow w;
  w.tenant_id = t1_;
  w.name = "login page";
  w.description = "add a login page";
  w.repository_url = "https://example.invalid/app.git";
  w.crew = "codegen";
  auto created = store_->createWorkflow(w);
  ASSERT_OK(created);
  EXPECT_TRUE(created->created);
  EXPECT_GT(created->value.id, 0);
  EXPECT_EQ(created->value.status, store::RunStatus::kPending);
  EXPECT_EQ(created->value.created_at, clock_->nowMillis());
  auto got = store_->getWorkflow(t1_, created->value.id);
  ASSERT_OK(got);
  EXPECT_EQ(got->name, "login page");
  EXPECT_EQ(got->description, "add a login page");
  EXPECT_EQ(got->crew, "codegen");
  EXPECT_EQ(got->repository_url, "https://example.invalid/app.git");
  EXPECT_FALSE(got->jira_story_id.has_value());
  EXPECT_CODE(store_->getWorkflow(t1_, 987654), ErrorCode::kNotFound);
}

TEST_F(WorkflowsTest, CreateValidates) {
  Workflow w;
  w.tenant_id = t1_;
  EXPECT_CODE(store_->createWorkflow(w), ErrorCode::kInvalidArgument);
  w.name = "x";
  EXPECT_FALSE(store::parseRunStatus("bogus").has_value()) << "a status is one of the six";

  w.project_id = 4242;
  EXPECT_CODE(store_->createWorkflow(w), ErrorCode::kNotFound);
}

TEST_F(WorkflowsTest, CreateIsIdempotentOnJiraStoryPerTenant) {
  Id first = newWorkflow(t1_, "story", std::string("PROJ-7"));
  clock_->advance(std::chrono::seconds(1));
  Workflow again;
  again.tenant_id = t1_;
  again.name = "a different name";
  again.jira_story_id = "PROJ-7";
  auto r = store_->createWorkflow(again);
  ASSERT_OK(r);
  EXPECT_FALSE(r->created);
  EXPECT_EQ(r->value.id, first);
  EXPECT_EQ(r->value.name, "story");  // left unchanged

  Workflow elsewhere = again;
  elsewhere.tenant_id = t2_;
  auto other = store_->createWorkflow(elsewhere);
  ASSERT_OK(other);
  EXPECT_TRUE(other->created);
  EXPECT_NE(other->value.id, first);

  // Workflows without a story id never collide.
  EXPECT_NE(newWorkflow(t1_, "a"), newWorkflow(t1_, "a"));
}

TEST_F(WorkflowsTest, FindByStoryIsExactAndTenantScoped) {
  Id mine = newWorkflow(t1_, "story", std::string("PROJ-7"));
  auto found = store_->findWorkflowByStory(t1_, "PROJ-7");
  ASSERT_OK(found);
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, mine);
  EXPECT_EQ((*found)->jira_story_id, "PROJ-7");
  auto other_tenant = store_->findWorkflowByStory(t2_, "PROJ-7");
  ASSERT_OK(other_tenant);
  EXPECT_FALSE(other_tenant->has_value());
  auto other_story = store_->findWorkflowByStory(t1_, "PROJ-70");
  ASSERT_OK(other_story);
  EXPECT_FALSE(other_story->has_value());
}

TEST_F(WorkflowsTest, ListPagesNewestFirstAndFiltersByStatus) {
  std::vector<Id> ids;
  for (int i = 0; i < 7; ++i) ids.push_back(newWorkflow(t1_, "wf" + std::to_string(i)));
  newWorkflow(t2_, "theirs");
  ASSERT_OK(store_->updateWorkflowStatus(t1_, ids[1], store::RunStatus::kRunning));
  ASSERT_OK(store_->updateWorkflowStatus(t1_, ids[4], store::RunStatus::kRunning));

  WorkflowFilter f;
  f.page = {1, 3};
  auto p1 = store_->listWorkflows(t1_, f);
  ASSERT_OK(p1);
  EXPECT_EQ(p1->total, 7);
  ASSERT_EQ(p1->items.size(), 3u);
  EXPECT_EQ(p1->items[0].id, ids[6]);
  f.page = {3, 3};
  auto p3 = store_->listWorkflows(t1_, f);
  ASSERT_OK(p3);
  ASSERT_EQ(p3->items.size(), 1u);
  EXPECT_EQ(p3->items[0].id, ids[0]);
  f.page = {4, 3};
  auto beyond = store_->listWorkflows(t1_, f);
  ASSERT_OK(beyond);
  EXPECT_TRUE(beyond->items.empty());
  EXPECT_EQ(beyond->total, 7);

  f.page = {1, 20};
  f.status = store::RunStatus::kRunning;
  auto running = store_->listWorkflows(t1_, f);
  ASSERT_OK(running);
  EXPECT_EQ(running->total, 2);
  ASSERT_EQ(running->items.size(), 2u);
  EXPECT_EQ(running->items[0].id, ids[4]);
}

TEST_F(WorkflowsTest, ListRejectsBadPages) {
  WorkflowFilter f;
  f.page = {0, 10};
  EXPECT_CODE(store_->listWorkflows(t1_, f), ErrorCode::kInvalidArgument);
  f.page = {1, 0};
  EXPECT_CODE(store_->listWorkflows(t1_, f), ErrorCode::kInvalidArgument);
  f.page = {1, 201};
  EXPECT_CODE(store_->listWorkflows(t1_, f), ErrorCode::kInvalidArgument);
  f.page = {1, 200};
  ASSERT_OK(store_->listWorkflows(t1_, f));
}

TEST_F(WorkflowsTest, UpdateStatus) {
  Id wf = newWorkflow(t1_);
  clock_->advance(std::chrono::seconds(3));
  auto r = store_->updateWorkflowStatus(t1_, wf, store::RunStatus::kCompleted);
  ASSERT_OK(r);
  EXPECT_EQ(r->status, store::RunStatus::kCompleted);
  EXPECT_EQ(r->updated_at, clock_->nowMillis());
  EXPECT_LT(r->created_at, r->updated_at);
  EXPECT_FALSE(store::parseRunStatus("done").has_value()) << "not a status: the enum cannot hold it";
  EXPECT_CODE(store_->updateWorkflowStatus(t1_, 5555, store::RunStatus::kRunning), ErrorCode::kNotFound);
}

TEST_F(WorkflowsTest, DeleteCascadesToEverythingBelow) {
  Id wf = newWorkflow(t1_);
  Id keep = newWorkflow(t1_, "keep");
  Id ex = newExecution(t1_, wf);
  Id conv = newConversation(t1_, wf, ex);
  auto job = store_->getJobForExecution(t1_, ex);
  ASSERT_OK(job);
  JobAttempt att;
  att.tenant_id = t1_;
  att.job_id = job->id;
  ASSERT_OK(store_->addJobAttempt(att));
  Message m;
  m.tenant_id = t1_;
  m.conversation_id = conv;
  m.role = "user";
  ASSERT_OK(store_->addMessage(m));
  auto call = store_->insertLlmCall(makeCall(t1_, conv, "gpt", 10, 0.1, 20, 0));
  ASSERT_OK(call);
  auto gateway_call = store_->insertLlmCall(makeCall(t1_, std::nullopt, "gpt", 10, 0.1, 20, 0));
  ASSERT_OK(gateway_call);
  CodeFile f;
  f.tenant_id = t1_;
  f.workflow_id = wf;
  f.filename = "a.py";
  ASSERT_OK(store_->addCodeFile(f));
  Diff d;
  d.tenant_id = t1_;
  d.workflow_id = wf;
  d.path = "a.py";
  ASSERT_OK(store_->addDiff(d));
  Artifact a;
  a.tenant_id = t1_;
  a.workflow_id = wf;
  a.kind = "plan";
  ASSERT_OK(store_->addArtifact(a));
  Approval ap;
  ap.tenant_id = t1_;
  ap.workflow_id = wf;
  ap.execution_id = ex;
  ap.gate = "after:PLANNING";
  auto approval = store_->createApproval(ap);
  ASSERT_OK(approval);
  PullRequest pr;
  pr.tenant_id = t1_;
  pr.workflow_id = wf;
  pr.number = 1;
  auto stored_pr = store_->upsertPullRequest(pr);
  ASSERT_OK(stored_pr);
  Check c;
  c.tenant_id = t1_;
  c.pull_request_id = stored_pr->id;
  c.name = "ci";
  ASSERT_OK(store_->upsertCheck(c));
  Event e;
  e.tenant_id = t1_;
  e.workflow_id = wf;
  e.type = "x";
  ASSERT_OK(store_->appendEvent(e));

  ASSERT_OK(store_->deleteWorkflow(t1_, wf));
  EXPECT_CODE(store_->getWorkflow(t1_, wf), ErrorCode::kNotFound);
  EXPECT_CODE(store_->getExecutionById(t1_, ex), ErrorCode::kNotFound);
  EXPECT_CODE(store_->getJobForExecution(t1_, ex), ErrorCode::kNotFound);
  EXPECT_CODE(store_->listJobAttempts(t1_, job->id), ErrorCode::kNotFound);
  EXPECT_CODE(store_->getConversation(t1_, conv), ErrorCode::kNotFound);
  EXPECT_CODE(store_->getLlmCall(t1_, call->id), ErrorCode::kNotFound);
  EXPECT_CODE(store_->getApproval(t1_, approval->id), ErrorCode::kNotFound);
  EXPECT_CODE(store_->listChecks(t1_, stored_pr->id, {}), ErrorCode::kNotFound);
  EXPECT_CODE(store_->listEvents(t1_, wf, 0, 10), ErrorCode::kNotFound);
  ASSERT_OK(store_->getLlmCall(t1_, gateway_call->id));  // not the workflow's
  ASSERT_OK(store_->getWorkflow(t1_, keep));
  auto queued = store_->listJobsByStatus(store::JobStatus::kQueued);
  ASSERT_OK(queued);
  EXPECT_TRUE(queued->empty());

  EXPECT_CODE(store_->deleteWorkflow(t1_, wf), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace codecrew::store::testing
