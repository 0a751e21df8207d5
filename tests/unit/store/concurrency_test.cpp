#include "store_fixture.h"

#include <atomic>
#include <set>
#include <thread>
#include <vector>

namespace codecrew::store::testing {
namespace {

constexpr int kThreads = 8;
constexpr int kPerThread = 25;

class ConcurrencyTest : public StoreTest {};

TEST_F(ConcurrencyTest, ManyThreadsWriteAndReadWithoutErrors) {
  std::atomic<int> failures{0};
  std::vector<std::string> errors(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const Id tenant = (t % 2 == 0) ? t1_ : t2_;
      for (int i = 0; i < kPerThread; ++i) {
        Workflow w;
        w.tenant_id = tenant;
        w.name = "wf-" + std::to_string(t) + "-" + std::to_string(i);
        auto created = store_->createWorkflow(w);
        if (!created.ok()) {
          ++failures;
          errors[t] = created.error().message;
          continue;
        }
        auto exec = store_->createExecution(tenant, created->value.id, std::nullopt, nullptr);
        auto got = store_->getWorkflow(tenant, created->value.id);
        auto list = store_->listWorkflows(tenant, {});
        if (!exec.ok() || !got.ok() || !list.ok()) {
          ++failures;
          errors[t] = !exec.ok() ? exec.error().message : !got.ok() ? got.error().message : list.error().message;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (const auto& e : errors) EXPECT_TRUE(e.empty()) << e;
  EXPECT_EQ(failures.load(), 0);
  auto a = store_->listWorkflows(t1_, {});
  auto b = store_->listWorkflows(t2_, {});
  ASSERT_OK(a);
  ASSERT_OK(b);
  EXPECT_EQ(a->total + b->total, kThreads * kPerThread);
  EXPECT_EQ(a->total, kThreads / 2 * kPerThread);
}

TEST_F(ConcurrencyTest, ConcurrentEventAppendsGetGaplessSeqs) {
  Id wf = newWorkflow(t1_);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) {
        Event e;
        e.tenant_id = t1_;
        e.workflow_id = wf;
        e.type = "tick";
        if (!store_->appendEvent(e).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(failures.load(), 0);
  auto events = store_->listEvents(t1_, wf, 0, 10000);
  ASSERT_OK(events);
  ASSERT_EQ(events->size(), static_cast<std::size_t>(kThreads * kPerThread));
  for (std::size_t i = 0; i < events->size(); ++i) EXPECT_EQ((*events)[i].seq, static_cast<std::int64_t>(i + 1));
}

TEST_F(ConcurrencyTest, ConcurrentIdempotentCreatesYieldOneRow) {
  Id wf = newWorkflow(t1_);
  std::vector<Id> execution_ids(kThreads);
  std::vector<Id> workflow_ids(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto e = store_->createExecution(t1_, wf, std::string("same-key"), nullptr);
      if (e.ok()) execution_ids[t] = e->value.id;
      Workflow w;
      w.tenant_id = t1_;
      w.name = "story";
      w.jira_story_id = "PROJ-1";
      auto c = store_->createWorkflow(w);
      if (c.ok()) workflow_ids[t] = c->value.id;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(std::set<Id>(execution_ids.begin(), execution_ids.end()).size(), 1u);
  EXPECT_NE(execution_ids[0], 0);
  EXPECT_EQ(std::set<Id>(workflow_ids.begin(), workflow_ids.end()).size(), 1u);
  EXPECT_NE(workflow_ids[0], 0);
}

TEST_F(ConcurrencyTest, TwoStoresOnOneDatabaseWaitForEachOther) {
  // A second store on the same database stands in for a second process (e.g.
  // `codecrew keys create` while the server runs, or another host): the busy
  // timeout (SQLite) or the serialization retries (PostgreSQL), not an error,
  // resolve their write contention.
  auto other = openSecondStore();
  ASSERT_OK(other);
  std::atomic<int> failures{0};
  std::string last_error;
  auto work = [&](Store& s, const std::string& prefix) {
    for (int i = 0; i < kPerThread * 2; ++i) {
      Workflow w;
      w.tenant_id = t1_;
      w.name = prefix + std::to_string(i);
      if (auto r = s.createWorkflow(w); !r.ok()) {
        ++failures;
        last_error = r.error().message;
      }
    }
  };
  std::thread a([&] { work(*store_, "a"); });
  std::thread b([&] { work(**other, "b"); });
  a.join();
  b.join();
  EXPECT_EQ(failures.load(), 0) << last_error;
  auto page = (*other)->listWorkflows(t1_, {});
  ASSERT_OK(page);
  EXPECT_EQ(page->total, kPerThread * 4);
}

TEST_F(ConcurrencyTest, APostgresPoolNeverOpensMoreConnectionsThanItsCeiling) {
  if (!onPostgres()) GTEST_SKIP() << "PostgreSQL's connection pool (the store.postgres.* run)";
  PostgresStoreOptions options;
  options.max_connections = 2;
  options.application_name = "ceiling-" + std::to_string(::getpid());
  auto opened = openPostgresStore(schema_->url(), clock_, options);
  ASSERT_OK(opened);
  auto& pooled = **opened;
  std::atomic<bool> running{true};
  std::atomic<int> peak{0};
  std::thread sampler([&] {
    while (running) {
      peak = std::max(peak.load(), codecrew::testing::clientConnectionCount(options.application_name));
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 20; ++i) {
        Workflow w;
        w.tenant_id = t1_;
        w.name = "pool-" + std::to_string(t) + "-" + std::to_string(i);
        if (!pooled.createWorkflow(w).ok() || !pooled.listWorkflows(t1_, {}).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  running = false;
  sampler.join();
  EXPECT_EQ(failures.load(), 0);  // eight threads queue for two connections
  EXPECT_GE(peak.load(), 1);
  EXPECT_LE(peak.load(), 2);
}

}  // namespace
}  // namespace codecrew::store::testing
