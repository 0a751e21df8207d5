// WorkspaceStore: an execution's commits are kept in seq order, once each;
// its uncommitted changes are one row, replaced or removed; another
// tenant's execution is not found; a transaction that fails keeps nothing;
// deleting the workflow takes them along.
#include "store_fixture.h"

namespace codecrew::store::testing {
namespace {

class WorkspaceStepsTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    workflow_ = newWorkflow(t1_);
    exec_ = newExecution(t1_, workflow_);
  }

  WorkspaceStep commit(int seq, const std::string& sha) const {
    WorkspaceStep s;
    s.tenant_id = t1_;
    s.execution_id = exec_;
    s.seq = seq;
    s.commit = sha;
    s.object = "tree 4b825dc642cb6eb9a060e54bf8d69288fbee4904\n\nstep " + std::to_string(seq) + "\n";
    s.patch = "diff --git a/f b/f\n+line " + std::to_string(seq) + " \xc3\xa9\n";
    return s;
  }

  WorkspaceStep changes(const std::string& patch, const std::string& encoding = "") const {
    WorkspaceStep s;
    s.tenant_id = t1_;
    s.execution_id = exec_;
    s.patch = patch;
    s.encoding = encoding;
    return s;
  }

  Id workflow_ = 0;
  Id exec_ = 0;
};

TEST_F(WorkspaceStepsTest, CommitsComeBackInOrderAndOnceEach) {
  clock_->set(5'000);
  ASSERT_OK(store_->addWorkspaceStep(commit(2, "bbb")));
  auto first = store_->addWorkspaceStep(commit(1, "aaa"));
  ASSERT_OK(first);
  EXPECT_GT(first->id, 0);
  EXPECT_EQ(first->created_at, 5'000);
  EXPECT_CODE(store_->addWorkspaceStep(commit(2, "ccc")), ErrorCode::kAlreadyExists);
  EXPECT_CODE(store_->addWorkspaceStep(commit(0, "ddd")), ErrorCode::kInvalidArgument);
  EXPECT_CODE(store_->addWorkspaceStep(commit(3, "")), ErrorCode::kInvalidArgument);

  auto steps = store_->listWorkspaceSteps(t1_, exec_);
  ASSERT_OK(steps);
  ASSERT_EQ(steps->size(), 2u);
  EXPECT_EQ((*steps)[0].seq, 1);
  EXPECT_EQ((*steps)[0].commit, "aaa");
  EXPECT_EQ((*steps)[0].object, commit(1, "aaa").object);
  EXPECT_EQ((*steps)[0].patch, commit(1, "aaa").patch);
  EXPECT_EQ((*steps)[1].commit, "bbb");
}

TEST_F(WorkspaceStepsTest, TheUncommittedChangesAreOneRowReplacedOrRemoved) {
  ASSERT_OK(store_->addWorkspaceStep(commit(1, "aaa")));
  ASSERT_OK(store_->setWorkspaceChanges(changes("first")));
  ASSERT_OK(store_->setWorkspaceChanges(changes("00ff", "hex")));
  auto steps = store_->listWorkspaceSteps(t1_, exec_);
  ASSERT_OK(steps);
  ASSERT_EQ(steps->size(), 2u);
  EXPECT_EQ((*steps)[0].seq, 0);
  EXPECT_EQ((*steps)[0].patch, "00ff");
  EXPECT_EQ((*steps)[0].encoding, "hex");
  EXPECT_EQ((*steps)[0].commit, "");
  EXPECT_CODE(store_->setWorkspaceChanges(changes("x", "base64")), ErrorCode::kInvalidArgument);

  ASSERT_OK(store_->setWorkspaceChanges(changes("")));
  steps = store_->listWorkspaceSteps(t1_, exec_);
  ASSERT_OK(steps);
  ASSERT_EQ(steps->size(), 1u);
  EXPECT_EQ((*steps)[0].seq, 1);
}

TEST_F(WorkspaceStepsTest, AnotherTenantsExecutionIsNotFound) {
  auto theirs = commit(1, "aaa");
  theirs.tenant_id = t2_;
  EXPECT_CODE(store_->addWorkspaceStep(theirs), ErrorCode::kNotFound);
  auto their_changes = changes("x");
  their_changes.tenant_id = t2_;
  EXPECT_CODE(store_->setWorkspaceChanges(their_changes), ErrorCode::kNotFound);
  EXPECT_CODE(store_->listWorkspaceSteps(t2_, exec_), ErrorCode::kNotFound);
}

TEST_F(WorkspaceStepsTest, AFailedTransactionKeepsNothingAndTheWorkflowTakesThemAlong) {
  auto failed = store_->transact([&](Store& tx) -> Status {
    if (auto r = tx.addWorkspaceStep(commit(1, "aaa")); !r.ok()) return r.error();
    if (auto r = tx.setWorkspaceChanges(changes("pending")); !r.ok()) return r;
    return core::Error::internal("the checkpoint could not be written");
  });
  EXPECT_FALSE(failed.ok());
  auto none = store_->listWorkspaceSteps(t1_, exec_);
  ASSERT_OK(none);
  EXPECT_TRUE(none->empty());

  ASSERT_OK(store_->addWorkspaceStep(commit(1, "aaa")));
  ASSERT_OK(store_->setWorkspaceChanges(changes("pending")));
  ASSERT_OK(store_->deleteWorkflow(t1_, workflow_));
  EXPECT_CODE(store_->listWorkspaceSteps(t1_, exec_), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace codecrew::store::testing
