// Test fixture for the store tests: a migrated store, a FakeClock, two
// tenants, and builders for the objects most tests need. The one suite runs on
// both databases: on SQLite (a file in a fresh temporary directory) by
// default, on PostgreSQL (a fresh schema of the test server) when
// CODECREW_TEST_STORE=postgres, as CTest's store.postgres.* tests set it.
#pragma once

#include "core/clock.h"
#include "store/sql/sql_store.h"
#include "store/store_factory.h"
#include "support/postgres_server.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <string>

#define ASSERT_OK(expr)                                           \
  do {                                                            \
    const auto& assert_ok_r = (expr);                             \
    ASSERT_TRUE(assert_ok_r.ok()) << assert_ok_r.error().message; \
  } while (0)

#define EXPECT_CODE(expr, code_)                                                     \
  do {                                                                               \
    const auto& expect_code_r = (expr);                                              \
    if (expect_code_r.ok()) {                                                        \
      ADD_FAILURE() << "expected an error from " #expr;                              \
    } else {                                                                         \
      EXPECT_EQ(expect_code_r.error().code, code_) << expect_code_r.error().message; \
    }                                                                                \
  } while (0)

namespace codecrew::store::testing {

using core::ErrorCode;

// Whether this run of the suite is the PostgreSQL one.
inline bool onPostgres() {
  const char* which = std::getenv("CODECREW_TEST_STORE");
  return which && std::string(which) == "postgres";
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_ = std::make_shared<core::FakeClock>();
    if (onPostgres()) {
      CODECREW_REQUIRE_POSTGRES();
      schema_ = std::make_unique<codecrew::testing::ScratchSchema>();
    }
    auto opened = openSecondStore();
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(opened).value();
    auto a = store_->ensureTenant("acme");
    auto b = store_->ensureTenant("globex");
    ASSERT_TRUE(a.ok() && b.ok());
    t1_ = a->id;
    t2_ = b->id;
  }

  std::string dbPath() const { return (dir_.path() / "data" / "codecrew.db").string(); }

  // Another store on the same database (as a second process would open it).
  Result<std::unique_ptr<Store>> openSecondStore() {
    if (schema_) return openPostgresStore(schema_->url(), clock_);
    return openSqliteStore(dbPath(), clock_);
  }

  Id newWorkflow(Id tenant, const std::string& name = "wf", const std::optional<std::string>& jira = std::nullopt) {
    Workflow w;
    w.tenant_id = tenant;
    w.name = name;
    w.description = "build " + name;
    w.jira_story_id = jira;
    auto r = store_->createWorkflow(w);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? r->value.id : 0;
  }

  Id newExecution(Id tenant, Id workflow, const std::optional<std::string>& key = std::nullopt) {
    auto r = store_->createExecution(tenant, workflow, key, boost::json::object{});
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? r->value.id : 0;
  }

  Id newConversation(Id tenant, Id workflow, std::optional<Id> execution = std::nullopt) {
    Conversation c;
    c.tenant_id = tenant;
    c.workflow_id = workflow;
    c.execution_id = execution;
    c.agent = "planner";
    c.step = "plan";
    auto r = store_->createConversation(c);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    return r.ok() ? r->id : 0;
  }

  LlmCall makeCall(Id tenant, std::optional<Id> conversation, const std::string& model, std::int64_t tokens,
                   double cost, double latency, Millis timestamp) {
    LlmCall c;
    c.tenant_id = tenant;
    c.conversation_id = conversation;
    c.provider = "openai";
    c.model = model;
    c.prompt_tokens = tokens / 2;
    c.completion_tokens = tokens - tokens / 2;
    c.total_tokens = tokens;
    c.cost = cost;
    c.response_time_ms = latency;
    c.timestamp = timestamp;
    c.request_data = boost::json::object{{"prompt", "hello " + model}};
    c.response_data = boost::json::object{{"text", "ok"}};
    return c;
  }

  codecrew::testing::TempDir dir_;
  std::unique_ptr<codecrew::testing::ScratchSchema> schema_;  // PostgreSQL only
  std::shared_ptr<core::FakeClock> clock_;
  std::unique_ptr<Store> store_;
  Id t1_ = 0;
  Id t2_ = 0;
};

}  // namespace codecrew::store::testing
