#include "store_fixture.h"

namespace codecrew::store::testing {
namespace {

class EventsTest : public StoreTest {
 protected:
  Result<Event> append(Id tenant, Id wf, const std::string& type, std::optional<Id> ex = std::nullopt) {
    Event e;
    e.tenant_id = tenant;
    e.workflow_id = wf;
    e.execution_id = ex;
    e.type = type;
    e.seq = 999;  // ignored: the store assigns it
    e.data = boost::json::object{{"type", type}};
    return store_->appendEvent(e);
  }
};

TEST_F(EventsTest, SeqCountsPerWorkflowFromOne) {
  Id a = newWorkflow(t1_, "a");
  Id b = newWorkflow(t1_, "b");
  Id ex = newExecution(t1_, a);
  for (int i = 1; i <= 3; ++i) {
    auto e = append(t1_, a, "a" + std::to_string(i), ex);
    ASSERT_OK(e);
    EXPECT_EQ(e->seq, i);
    EXPECT_EQ(e->execution_id, std::optional<Id>(ex));
  }
  auto first_b = append(t1_, b, "b1");
  ASSERT_OK(first_b);
  EXPECT_EQ(first_b->seq, 1);
  EXPECT_EQ(first_b->data.at("type").as_string(), "b1");
}

TEST_F(EventsTest, ListAfterSeqWithLimit) {
  Id wf = newWorkflow(t1_);
  for (int i = 0; i < 5; ++i) ASSERT_OK(append(t1_, wf, "e" + std::to_string(i)));
  auto all = store_->listEvents(t1_, wf, 0, 100);
  ASSERT_OK(all);
  ASSERT_EQ(all->size(), 5u);
  auto after = store_->listEvents(t1_, wf, 2, 2);
  ASSERT_OK(after);
  ASSERT_EQ(after->size(), 2u);
  EXPECT_EQ((*after)[0].seq, 3);
  EXPECT_EQ((*after)[1].seq, 4);
  EXPECT_EQ((*after)[1].type, "e3");
  auto none = store_->listEvents(t1_, wf, 5, 10);
  ASSERT_OK(none);
  EXPECT_TRUE(none->empty());
  EXPECT_CODE(store_->listEvents(t1_, wf, 0, 0), ErrorCode::kInvalidArgument);
}

TEST_F(EventsTest, AppendValidates) {
  Id wf = newWorkflow(t1_);
  EXPECT_CODE(append(t1_, wf, ""), ErrorCode::kInvalidArgument);
  EXPECT_CODE(append(t1_, 9191, "x"), ErrorCode::kNotFound);
  EXPECT_CODE(append(t2_, wf, "x"), ErrorCode::kNotFound);
  EXPECT_CODE(append(t1_, wf, "x", 9191), ErrorCode::kNotFound);
}

}  // namespace
}  // namespace codecrew::store::testing
