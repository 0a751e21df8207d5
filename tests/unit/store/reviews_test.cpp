#include "store_fixture.h"

namespace codecrew::store::testing {
namespace {

class ReviewsTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    wf_ = newWorkflow(t1_);
    ex_ = newExecution(t1_, wf_);
  }
  Approval approval(const std::string& gate) {
    Approval a;
    a.tenant_id = t1_;
    a.workflow_id = wf_;
    a.execution_id = ex_;
    a.gate = gate;
    return a;
  }
  Id wf_ = 0;
  Id ex_ = 0;
};

TEST_F(ReviewsTest, ApprovalStartsPending) {
  Approval a = approval("after:PLANNING");
  a.status = store::ApprovalStatus::kApproved;  // ignored: new approvals are pending
  auto created = store_->createApproval(a);
  ASSERT_OK(created);
  EXPECT_EQ(created->status, store::ApprovalStatus::kPending);
  EXPECT_EQ(created->requested_at, clock_->nowMillis());
  EXPECT_FALSE(created->decision.has_value());
  auto got = store_->getApproval(t1_, created->id);
  ASSERT_OK(got);
  EXPECT_EQ(got->gate, "after:PLANNING");
  a.gate = "";
  EXPECT_CODE(store_->createApproval(a), ErrorCode::kInvalidArgument);
  a.gate = "x";
  a.execution_id = 4040;
  EXPECT_CODE(store_->createApproval(a), ErrorCode::kNotFound);
}

TEST_F(ReviewsTest, DecisionsMapToStatuses) {
  const std::pair<store::Decision, store::ApprovalStatus> cases[] = {
      {store::Decision::kApprove, store::ApprovalStatus::kApproved},
      {store::Decision::kReject, store::ApprovalStatus::kRejected},
      {store::Decision::kRequestChanges, store::ApprovalStatus::kChangesRequested}};
  for (auto [decision, status] : cases) {
    auto a = store_->createApproval(approval("before:DEPLOY"));
    ASSERT_OK(a);
    clock_->advance(std::chrono::seconds(1));
    auto d = store_->decideApproval(t1_, a->id, decision, "alice", "looks fine");
    ASSERT_OK(d);
    EXPECT_EQ(d->status, status);
    EXPECT_EQ(d->decision, std::optional<store::Decision>(decision));
    EXPECT_EQ(d->reviewer, "alice");
    EXPECT_EQ(d->comment, "looks fine");
    EXPECT_EQ(d->decided_at, std::optional<Millis>(clock_->nowMillis()));
  }
}

TEST_F(ReviewsTest, DecidingTwiceConflictsAndBadDecisionsAreRejected) {
  auto a = store_->createApproval(approval("g"));
  ASSERT_OK(a);
  EXPECT_FALSE(store::parseDecision("maybe").has_value()) << "a decision is one of three";

  ASSERT_OK(store_->decideApproval(t1_, a->id, store::Decision::kApprove, "bob", ""));
  EXPECT_CODE(store_->decideApproval(t1_, a->id, store::Decision::kReject, "eve", ""), ErrorCode::kConflict);
  auto still = store_->getApproval(t1_, a->id);
  ASSERT_OK(still);
  EXPECT_EQ(still->status, store::ApprovalStatus::kApproved);
  EXPECT_EQ(still->reviewer, "bob");
  EXPECT_CODE(store_->decideApproval(t1_, 7777, store::Decision::kApprove, "bob", ""), ErrorCode::kNotFound);
  EXPECT_CODE(store_->decideApproval(t2_, a->id, store::Decision::kApprove, "bob", ""), ErrorCode::kNotFound);
}

TEST_F(ReviewsTest, ListFiltersByStatusAndExecution) {
  Id ex2 = newExecution(t1_, wf_);
  auto a1 = store_->createApproval(approval("one"));
  auto a2 = store_->createApproval(approval("two"));
  Approval other = approval("three");
  other.execution_id = ex2;
  auto a3 = store_->createApproval(other);
  ASSERT_OK(a1);
  ASSERT_OK(a2);
  ASSERT_OK(a3);
  ASSERT_OK(store_->decideApproval(t1_, a2->id, store::Decision::kReject, "r", ""));

  auto pending = store_->listApprovals(t1_, store::ApprovalStatus::kPending, std::nullopt, {});
  ASSERT_OK(pending);
  EXPECT_EQ(pending->total, 2);
  EXPECT_EQ(pending->items[0].id, a1->id);
  auto all = store_->listApprovals(t1_, std::nullopt, std::nullopt, {});
  ASSERT_OK(all);
  EXPECT_EQ(all->total, 3);

  auto of_ex2 = store_->listApprovals(t1_, std::nullopt, ex2, {});
  ASSERT_OK(of_ex2);
  ASSERT_EQ(of_ex2->total, 1);
  EXPECT_EQ(of_ex2->items[0].id, a3->id);
  auto theirs = store_->listApprovals(t2_, std::nullopt, std::nullopt, {});
  ASSERT_OK(theirs);
  EXPECT_EQ(theirs->total, 0);
  EXPECT_CODE(store_->listApprovals(t2_, std::nullopt, ex2, {}), ErrorCode::kNotFound);
}

TEST_F(ReviewsTest, PullRequestUpsertKeepsOnePerWorkflow) {
  auto none = store_->getPullRequest(t1_, wf_);
  ASSERT_OK(none);
  EXPECT_FALSE(none->has_value());
  PullRequest pr;
  pr.tenant_id = t1_;
  pr.workflow_id = wf_;
  pr.number = 12;
  pr.url = "https://github.example/pr/12";
  pr.title = "Add login";
  pr.state = "open";
  pr.head_branch = "codecrew/1";
  pr.base_branch = "main";
  pr.head_sha = "abc";
  auto first = store_->upsertPullRequest(pr);
  ASSERT_OK(first);
  const Millis created = first->created_at;
  clock_->advance(std::chrono::seconds(10));
  pr.state = "merged";
  pr.head_sha = "def";
  auto second = store_->upsertPullRequest(pr);
  ASSERT_OK(second);
  EXPECT_EQ(second->id, first->id);
  EXPECT_EQ(second->state, "merged");
  EXPECT_EQ(second->head_sha, "def");
  EXPECT_EQ(second->created_at, created);
  EXPECT_EQ(second->updated_at, clock_->nowMillis());
  auto got = store_->getPullRequest(t1_, wf_);
  ASSERT_OK(got);
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->number, 12);
  EXPECT_EQ((*got)->title, "Add login");
  EXPECT_EQ((*got)->base_branch, "main");
  pr.workflow_id = 6060;
  EXPECT_CODE(store_->upsertPullRequest(pr), ErrorCode::kNotFound);
}

// Delivery's fields round-trip; a webhook (no tenant) finds the pull
// request by repository and branch or number; checks of an old head go.
TEST_F(ReviewsTest, DeliveryFieldsLookupsAndStaleChecks) {
  PullRequest pr;
  pr.tenant_id = t1_;
  pr.workflow_id = wf_;
  pr.number = 7;
  pr.state = "open";
  pr.head_branch = "codecrew/wf1-x";
  pr.head_sha = "new";
  pr.repository = "acme/shop";
  pr.draft = true;
  pr.fix_attempts = 2;
  pr.fingerprints = boost::json::array{"aa", "bb"};
  pr.loop_state = "needs_human";
  pr.loop_reason = "capped";
  auto stored = store_->upsertPullRequest(pr);
  ASSERT_OK(stored);
  EXPECT_TRUE(stored->draft);
  EXPECT_EQ(stored->fix_attempts, 2);
  EXPECT_EQ(stored->fingerprints, (boost::json::array{"aa", "bb"}));
  EXPECT_EQ(stored->loop_state, "needs_human");
  EXPECT_EQ(stored->loop_reason, "capped");
  auto byBranch = store_->findPullRequestByBranch("acme/shop", "codecrew/wf1-x");
  ASSERT_OK(byBranch);
  ASSERT_TRUE(byBranch->has_value());
  EXPECT_EQ((*byBranch)->tenant_id, t1_);
  EXPECT_EQ((*byBranch)->id, stored->id);
  auto byNumber = store_->findPullRequestByNumber("acme/shop", 7);
  ASSERT_OK(byNumber);
  ASSERT_TRUE(byNumber->has_value());
  EXPECT_EQ((*byNumber)->id, stored->id);
  EXPECT_FALSE(store_->findPullRequestByBranch("acme/other", "codecrew/wf1-x")->has_value());
  EXPECT_FALSE(store_->findPullRequestByNumber("acme/shop", 8)->has_value());
  Check c;
  c.tenant_id = t1_;
  c.pull_request_id = stored->id;
  c.name = "unit";
  c.head_sha = "old";
  ASSERT_OK(store_->upsertCheck(c));
  c.name = "lint";
  c.head_sha = "new";
  c.summary = "2 warnings";
  c.output = "tail";
  ASSERT_OK(store_->upsertCheck(c));
  ASSERT_OK(store_->dropChecksNotAt(t1_, stored->id, "new"));
  auto left = store_->listChecks(t1_, stored->id, {1, 10});
  ASSERT_OK(left);
  ASSERT_EQ(left->total, 1);
  EXPECT_EQ(left->items[0].name, "lint");
  EXPECT_EQ(left->items[0].summary, "2 warnings");
  EXPECT_EQ(left->items[0].output, "tail");
  pr.head_sha = "newer";  // a push moved the head: its checks go
  ASSERT_OK(store_->upsertPullRequest(pr));
  EXPECT_EQ(store_->listChecks(t1_, stored->id, {1, 10})->total, 0);
}

TEST_F(ReviewsTest, ChecksUpsertByNameAndPage) {
  PullRequest pr;
  pr.tenant_id = t1_;
  pr.workflow_id = wf_;
  auto stored = store_->upsertPullRequest(pr);
  ASSERT_OK(stored);
  Check c;
  c.tenant_id = t1_;
  c.pull_request_id = stored->id;
  for (const char* name : {"lint", "build", "test"}) {
    c.name = name;
    c.status = "queued";
    ASSERT_OK(store_->upsertCheck(c));
  }
  c.name = "build";
  c.status = "completed";
  c.conclusion = "success";
  c.url = "https://ci.example/1";
  auto updated = store_->upsertCheck(c);
  ASSERT_OK(updated);
  EXPECT_EQ(updated->status, "completed");
  EXPECT_EQ(updated->conclusion, "success");
  auto page = store_->listChecks(t1_, stored->id, {1, 2});
  ASSERT_OK(page);
  EXPECT_EQ(page->total, 3);
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].name, "build");
  EXPECT_EQ(page->items[0].url, "https://ci.example/1");
  EXPECT_EQ(page->items[1].name, "lint");
  c.name = "";
  EXPECT_CODE(store_->upsertCheck(c), ErrorCode::kInvalidArgument);
  c.name = "x";
  c.pull_request_id = 3030;
  EXPECT_CODE(store_->upsertCheck(c), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace codecrew::store::testing
