// Call records through the real store: the router writes every attempt to a
// SqliteStore (StoreCallRecorder on a blocking pool), attempts come back
// linked, and a planted API key appears nowhere in the database file.
#include "llm/record/store_call_recorder.h"
#include "llm/router/router.h"
#include "llm_test_util.h"
#include "store/sql/sql_store.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <boost/asio/thread_pool.hpp>
#include <boost/json.hpp>

#include <fstream>
#include <sstream>

namespace codecrew::llm {
namespace {

constexpr const char* kPlantedStoreKey = "sk-planted-store-0123456789abcdefghijklmnop";

TEST(StoreCallRecorder, RouterAttemptsLandLinkedAndRedacted) {
  testing::TempDir dir;
  auto db_path = dir.str() + "/calls.db";
  auto clock = std::make_shared<core::FakeClock>();
  auto opened = store::SqlStore::openSqlite(db_path, clock);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  std::shared_ptr<store::Store> db = std::move(opened.value());
  ASSERT_TRUE(db->migrate().ok());
  auto tenant = db->ensureTenant("acme");
  ASSERT_TRUE(tenant.ok());

  boost::asio::thread_pool blocking(1);
  auto sleeper = std::make_shared<FakeSleeper>(clock);
  auto registry = std::make_shared<ProviderRegistry>();
  auto provider = std::make_shared<test::ScriptedProvider>("openai");
  provider->planted_key = kPlantedStoreKey;
  registry->addProvider(provider, {"gpt-4o"});
  RouterDeps deps{registry,
                  std::make_shared<StoreCallRecorder>(db, blocking.get_executor()),
                  Redactor::create({kPlantedStoreKey}).value(),
                  clock,
                  sleeper,
                  std::make_shared<RateScheduler>(clock, sleeper)};
  Router router(deps);
  provider->pushError(FailureKind::kRateLimited, 429, std::chrono::milliseconds(1000));
  provider->pushText(std::string("echo ") + kPlantedStoreKey, 20, 8);

  ChatRequest request;
  request.model = "gpt-4o";
  request.messages = {Message::user(std::string("my key is ") + kPlantedStoreKey)};
  CallContext context;
  context.tenant_id = tenant->id;
  context.budget_snapshot = boost::json::object{{"cost_left", 1.5}};
  auto routed = test::run(router.chat("coder", request, context));
  ASSERT_TRUE(routed.ok()) << routed.error().message;

  store::LlmCallQuery query;
  query.sort_by = "id";
  query.descending = false;
  auto page = db->listLlmCalls(tenant->id, query);
  ASSERT_TRUE(page.ok()) << page.error().message;
  ASSERT_EQ(page->items.size(), 2u);
  const auto& first = page->items[0];
  const auto& second = page->items[1];
  EXPECT_EQ(first.status, store::CallStatus::kFailed);
  EXPECT_EQ(first.error_code, "rate_limited");
  EXPECT_EQ(second.status, store::CallStatus::kSuccess);
  EXPECT_EQ(second.attempt, 2);
  EXPECT_EQ(second.fallback_of, first.id);
  EXPECT_EQ(second.total_tokens, 28);
  EXPECT_GT(second.cost, 0);
  EXPECT_EQ(second.budget_snapshot.at("cost_left"), 1.5);
  EXPECT_EQ(routed->call_id, second.id);

  db.reset();
  std::ifstream in(db_path, std::ios::binary);
  std::stringstream bytes;
  bytes << in.rdbuf();
  for (const char* suffix : {"", "-wal"}) {
    std::ifstream extra(db_path + suffix, std::ios::binary);
    bytes << extra.rdbuf();
  }
  EXPECT_EQ(bytes.str().find(kPlantedStoreKey), std::string::npos);
  EXPECT_NE(bytes.str().find("[REDACTED]"), std::string::npos);
}

}  // namespace
}  // namespace codecrew::llm
