#include "core/crypto.h"
#include "store_fixture.h"

namespace codecrew::store::testing {
namespace {

class OutputsTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    wf_ = newWorkflow(t1_);
    ex_ = newExecution(t1_, wf_);
  }
  Id wf_ = 0;
  Id ex_ = 0;
};

TEST_F(OutputsTest, CodeFilesAddAndListByExecution) {
  Id conv = newConversation(t1_, wf_, ex_);
  CodeFile f;
  f.tenant_id = t1_;
  f.workflow_id = wf_;
  f.conversation_id = conv;
  f.execution_id = ex_;
  f.filename = "app/main.py";
  f.content = "print('hi')\n";
  f.file_type = "python";
  auto added = store_->addCodeFile(f);
  ASSERT_OK(added);
  EXPECT_EQ(added->filename, "app/main.py");
  EXPECT_EQ(added->content, "print('hi')\n");
  EXPECT_EQ(added->file_type, "python");
  EXPECT_EQ(added->conversation_id, std::optional<Id>(conv));
  CodeFile loose = f;
  loose.execution_id = std::nullopt;
  loose.conversation_id = std::nullopt;
  loose.filename = "README.md";
  ASSERT_OK(store_->addCodeFile(loose));

  auto all = store_->listCodeFiles(t1_, wf_, std::nullopt);
  ASSERT_OK(all);
  EXPECT_EQ(all->size(), 2u);
  auto of_exec = store_->listCodeFiles(t1_, wf_, ex_);
  ASSERT_OK(of_exec);
  ASSERT_EQ(of_exec->size(), 1u);
  EXPECT_EQ((*of_exec)[0].filename, "app/main.py");

  f.filename = "";
  EXPECT_CODE(store_->addCodeFile(f), ErrorCode::kInvalidArgument);
  f.filename = "x";
  f.conversation_id = 999;
  EXPECT_CODE(store_->addCodeFile(f), ErrorCode::kNotFound);
  EXPECT_CODE(store_->listCodeFiles(t1_, 999, std::nullopt), ErrorCode::kNotFound);
}

TEST_F(OutputsTest, DiffsPageAndFilterByPath) {
  for (const char* path : {"b.py", "a.py", "b.py", "c.py"}) {
    Diff d;
    d.tenant_id = t1_;
    d.workflow_id = wf_;
    d.execution_id = ex_;
    d.path = path;
    d.diff = std::string("--- a/") + path + "\n+++ b/" + path + "\n";
    ASSERT_OK(store_->addDiff(d));
  }
  auto page = store_->listDiffs(t1_, wf_, std::nullopt, std::nullopt, {1, 3});
  ASSERT_OK(page);
  EXPECT_EQ(page->total, 4);
  ASSERT_EQ(page->items.size(), 3u);
  EXPECT_EQ(page->items[0].path, "a.py");
  EXPECT_EQ(page->items[1].path, "b.py");
  auto b = store_->listDiffs(t1_, wf_, ex_, std::string("b.py"), {});
  ASSERT_OK(b);
  EXPECT_EQ(b->total, 2);
  EXPECT_EQ(b->items[0].diff, "--- a/b.py\n+++ b/b.py\n");
  Diff bad;
  bad.tenant_id = t1_;
  bad.workflow_id = wf_;
  EXPECT_CODE(store_->addDiff(bad), ErrorCode::kInvalidArgument);
  EXPECT_CODE(store_->listDiffs(t1_, wf_, std::nullopt, std::nullopt, {1, 500}), ErrorCode::kInvalidArgument);
}

TEST_F(OutputsTest, ArtifactsFilterByKindAndChecksumTheirContent) {
  Artifact a;
  a.tenant_id = t1_;
  a.workflow_id = wf_;
  a.execution_id = ex_;
  a.kind = "plan";
  a.content = "# Plan";
  auto plan = store_->addArtifact(a);
  ASSERT_OK(plan);
  EXPECT_EQ(plan->checksum, core::sha256Hex("# Plan"));
  a.kind = "adr";
  a.uri = "s3://bucket/adr.md";
  a.checksum = "given";
  auto adr = store_->addArtifact(a);
  ASSERT_OK(adr);
  EXPECT_EQ(adr->checksum, "given");
  EXPECT_EQ(adr->uri, "s3://bucket/adr.md");

  auto plans = store_->listArtifacts(t1_, wf_, std::nullopt, std::string("plan"), {});
  ASSERT_OK(plans);
  ASSERT_EQ(plans->total, 1);
  EXPECT_EQ(plans->items[0].content, "# Plan");
  auto all = store_->listArtifacts(t1_, wf_, ex_, std::nullopt, {});
  ASSERT_OK(all);
  EXPECT_EQ(all->total, 2);
  auto one = store_->getArtifact(t1_, wf_, adr->id);
  ASSERT_OK(one);
  EXPECT_EQ(one->uri, "s3://bucket/adr.md");
  EXPECT_EQ(one->kind, "adr");
  EXPECT_CODE(store_->getArtifact(t2_, wf_, adr->id), ErrorCode::kNotFound);               // another tenant's
  EXPECT_CODE(store_->getArtifact(t1_, newWorkflow(t1_), adr->id), ErrorCode::kNotFound);  // another workflow's
  EXPECT_CODE(store_->getArtifact(t1_, wf_, adr->id + 1000), ErrorCode::kNotFound);
  a.kind = "";
  EXPECT_CODE(store_->addArtifact(a), ErrorCode::kInvalidArgument);
  a.kind = "plan";
  a.execution_id = newExecution(t1_, newWorkflow(t1_, "other"));  // not this workflow's
  EXPECT_CODE(store_->addArtifact(a), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace codecrew::store::testing
