#include "store_fixture.h"

#include <stdexcept>
#include <thread>

namespace codecrew::store::testing {
namespace {

class TransactTest : public StoreTest {
 protected:
  std::int64_t workflowCount(Id tenant) {
    auto page = store_->listWorkflows(tenant, {});
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->total : -1;
  }
  Workflow workflow(const std::string& name) {
    Workflow w;
    w.tenant_id = t1_;
    w.name = name;
    return w;
  }
};

TEST_F(TransactTest, CommitsWhenFnSucceeds) {
  auto st = store_->transact([&](Store& s) -> Status {
    if (auto r = s.createWorkflow(workflow("a")); !r.ok()) return r.error();
    if (auto r = s.createWorkflow(workflow("b")); !r.ok()) return r.error();
    return {};
  });
  ASSERT_OK(st);
  EXPECT_EQ(workflowCount(t1_), 2);
}

TEST_F(TransactTest, RollsBackWhenFnFails) {
  auto st = store_->transact([&](Store& s) -> Status {
    if (auto r = s.createWorkflow(workflow("a")); !r.ok()) return r.error();
    return core::Error::conflict("changed my mind");
  });
  EXPECT_CODE(st, ErrorCode::kConflict);
  EXPECT_EQ(workflowCount(t1_), 0);
}

TEST_F(TransactTest, RollsBackAndRethrowsOnException) {
  EXPECT_THROW((void)store_->transact([&](Store& s) -> Status {
    (void)s.createWorkflow(workflow("a"));
    throw std::runtime_error("bug");
  }),
               std::runtime_error);
  EXPECT_EQ(workflowCount(t1_), 0);
  ASSERT_OK(store_->createWorkflow(workflow("after")));  // the writer is usable again
  EXPECT_EQ(workflowCount(t1_), 1);
}

TEST_F(TransactTest, ReadsInsideSeeUncommittedWrites) {
  auto st = store_->transact([&](Store& s) -> Status {
    auto r = s.createWorkflow(workflow("a"));
    if (!r.ok()) return r.error();
    auto got = s.getWorkflow(t1_, r->value.id);
    if (!got.ok()) return got.error();
    EXPECT_EQ(got->name, "a");
    return {};
  });
  ASSERT_OK(st);
}

TEST_F(TransactTest, OtherThreadsDoNotSeeUncommittedWrites) {
  std::int64_t seen_inside = -1;
  auto st = store_->transact([&](Store& s) -> Status {
    if (auto r = s.createWorkflow(workflow("a")); !r.ok()) return r.error();
    std::thread reader([&] { seen_inside = workflowCount(t1_); });
    reader.join();
    return {};
  });
  ASSERT_OK(st);
  EXPECT_EQ(seen_inside, 0);
  EXPECT_EQ(workflowCount(t1_), 1);
}

TEST_F(TransactTest, NestedTransactJoinsTheOuterOne) {
  auto st = store_->transact([&](Store& outer) -> Status {
    if (auto r = outer.createWorkflow(workflow("outer")); !r.ok()) return r.error();
    auto inner = outer.transact([&](Store& s) -> Status {
      if (auto r = s.createWorkflow(workflow("inner")); !r.ok()) return r.error();
      return {};
    });
    if (!inner.ok()) return inner;
    return core::Error::conflict("roll everything back");
  });
  EXPECT_CODE(st, ErrorCode::kConflict);
  EXPECT_EQ(workflowCount(t1_), 0);  // the inner commit was only a savepoint
}

TEST_F(TransactTest, FailedNestedTransactUndoesOnlyItsOwnWork) {
  auto st = store_->transact([&](Store& outer) -> Status {
    if (auto r = outer.createWorkflow(workflow("outer")); !r.ok()) return r.error();
    auto inner = outer.transact([&](Store& s) -> Status {
      (void)s.createWorkflow(workflow("inner"));
      return core::Error::invalidArgument("inner fails");
    });
    EXPECT_CODE(inner, ErrorCode::kInvalidArgument);
    return {};
  });
  ASSERT_OK(st);
  auto page = store_->listWorkflows(t1_, {});
  ASSERT_OK(page);
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0].name, "outer");
}

TEST_F(TransactTest, AFailingMethodInsideLeavesTheRestIntact) {
  auto st = store_->transact([&](Store& s) -> Status {
    if (auto r = s.createWorkflow(workflow("kept")); !r.ok()) return r.error();
    auto bad = s.createExecution(t1_, 999999, std::nullopt, nullptr);
    EXPECT_CODE(bad, ErrorCode::kNotFound);
    return {};
  });
  ASSERT_OK(st);
  EXPECT_EQ(workflowCount(t1_), 1);
}

TEST_F(TransactTest, MethodsAreAtomicOnTheirOwn) {
  Id wf = newWorkflow(t1_);
  std::vector<LlmCall> calls = {makeCall(t1_, std::nullopt, "m", 10, 0.1, 5, 1000),
                                makeCall(t1_, std::nullopt, "", 10, 0.1, 5, 1000)};  // no model: invalid
  EXPECT_CODE(store_->insertLlmCalls(calls), ErrorCode::kInvalidArgument);
  LlmCallQuery q;
  auto page = store_->listLlmCalls(t1_, q);
  ASSERT_OK(page);
  EXPECT_EQ(page->total, 0);
  (void)wf;
}

}  // namespace
}  // namespace codecrew::store::testing
