// /health and /readyz as readiness checks: 503 while the database cannot be
// written (a store whose writes fail, as on a full disk or a read-only
// file), 200 again once it can, and the write probe cached for a second of
// the clock; /readyz also says when the engine is not attached where it
// should run and when every provider's breaker is open; /healthz always 200.
#include "api/readiness.h"
#include "api/route_support.h"
#include "api/routes.h"
#include "store/store_factory.h"
#include "store/store_wrapper.h"
#include "support/temp_dir.h"

#include <gtest/gtest.h>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <atomic>

namespace codecrew::api {
namespace {

using namespace std::chrono_literals;

// Writes fail while broken, as SQLite's do on a full disk; reads still work.
class BreakableStore final : public store::StoreWrapper {
 public:
  using StoreWrapper::StoreWrapper;
  core::Status probeWrite() override {
    ++probes;
    if (broken) return core::Error::unavailable("database or disk is full");
    return StoreWrapper::probeWrite();
  }
  std::atomic<bool> broken{false};
  std::atomic<int> probes{0};
};

class ReadinessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto opened = store::openSqliteStore((dir_.path() / "ready.db").string(), clock_);
    ASSERT_TRUE(opened) << opened.error().message;
    store_ = std::make_shared<BreakableStore>(std::shared_ptr<store::Store>(std::move(*opened)));
    auto ctx = std::make_shared<ApiContext>();
    ctx->store = store_;
    ctx->clock = clock_;
    auto config = std::make_shared<core::Config>();
    config->storage.data_dir = dir_.str();
    ctx->config = config;
    registerSystemRoutes(router_, ctx);
  }

  std::pair<int, boost::json::object> health(const std::string& path = "/health") {
    http::Request req;
    req.method = "GET";
    req.path = path;
    auto match = router_.match("GET", path);
    EXPECT_NE(match.route, nullptr);
    auto response = match.route->handler(req);
    return {response.status, boost::json::parse(response.body).as_object()};
  }

  testing::TempDir dir_;
  std::shared_ptr<core::FakeClock> clock_ = std::make_shared<core::FakeClock>();
  std::shared_ptr<BreakableStore> store_;
  http::Router router_;
};

TEST_F(ReadinessTest, NotReadyWhileTheDatabaseCannotBeWrittenAndReadyAgainAfter) {
  auto [status, body] = health();
  EXPECT_EQ(status, 200);
  EXPECT_EQ(body.at("status").as_string(), "ok");
  EXPECT_TRUE(body.at("database").at("writable").as_bool());

  store_->broken = true;
  clock_->advance(2s);
  std::tie(status, body) = health();
  EXPECT_EQ(status, 503);
  EXPECT_EQ(body.at("status").as_string(), "unavailable");
  EXPECT_FALSE(body.at("database").at("ok").as_bool());
  EXPECT_FALSE(body.at("database").at("writable").as_bool());
  EXPECT_NE(body.at("database").at("error").as_string().find("disk is full"), std::string::npos);

  store_->broken = false;
  clock_->advance(2s);
  std::tie(status, body) = health();
  EXPECT_EQ(status, 200);
  EXPECT_TRUE(body.at("database").at("writable").as_bool());
}

TEST_F(ReadinessTest, TheWriteProbeIsCachedForASecond) {
  for (int i = 0; i < 5; ++i) EXPECT_EQ(health().first, 200);
  EXPECT_EQ(store_->probes.load(), 1);
  store_->broken = true;
  EXPECT_EQ(health().first, 200) << "within the second the last reading stands";
  clock_->advance(1s);
  EXPECT_EQ(health().first, 503);
  EXPECT_EQ(store_->probes.load(), 2);
}

TEST_F(ReadinessTest, ReadyzFollowsTheDatabaseAndHealthzOnlyTheProcess) {
  auto [status, body] = health("/readyz");
  EXPECT_EQ(status, 200);
  EXPECT_EQ(body.at("status").as_string(), "ready");
  EXPECT_TRUE(body.at("checks").at("database").at("ok").as_bool());
  store_->broken = true;
  clock_->advance(2s);
  std::tie(status, body) = health("/readyz");
  EXPECT_EQ(status, 503);
  EXPECT_EQ(body.at("status").as_string(), "not_ready");
  EXPECT_NE(body.at("checks").at("database").at("error").as_string().find("disk is full"), std::string::npos);
  std::tie(status, body) = health("/healthz");
  EXPECT_EQ(status, 200) << "the process is alive however its database is";
  EXPECT_EQ(body.at("status").as_string(), "alive");
  store_->broken = false;
  clock_->advance(2s);
  EXPECT_EQ(health("/readyz").first, 200);
}

// An execution service whose engine may be detached.
class Executions final : public engine::ExecutionService {
 public:
  bool attached() const override { return on; }
  core::Status checkStartable(const store::Workflow&) const override { return core::okStatus(); }
  core::Result<engine::StartResult> start(engine::StartRequest) override { return core::Error::internal("unused"); }
  core::Result<store::Execution> cancel(core::Id, core::Id, std::optional<core::Id>) override {
    return core::Error::internal("unused");
  }
  core::Result<store::Execution> resume(core::Id, core::Id) override { return core::Error::internal("unused"); }
  core::Result<store::Approval> decide(const engine::DecideRequest&) override {
    return core::Error::internal("unused");
  }
  bool on = true;
};

TEST_F(ReadinessTest, NotReadyWithoutTheEngineWhereItShouldRunOrWithEveryProviderDown) {
  auto executions = std::make_shared<Executions>();
  std::optional<std::string> down;
  auto probe = std::make_shared<WriteProbe>(store_, clock_, dir_.str());
  Readiness readiness(probe, executions, true, [&] { return down; });
  auto report = readiness.check();
  EXPECT_TRUE(report.ready) << boost::json::serialize(report.checks);
  executions->on = false;
  report = readiness.check();
  EXPECT_FALSE(report.ready);
  EXPECT_FALSE(report.checks.at("engine").at("ok").as_bool());
  executions->on = true;
  down = "every configured provider's circuit breaker is open (openai)";
  report = readiness.check();
  EXPECT_FALSE(report.ready);
  EXPECT_EQ(report.checks.at("models").at("error").as_string(), *down);
  // An API node that runs no executions is not judged on the engine.
  down.reset();
  executions->on = false;
  EXPECT_TRUE(Readiness(probe, executions, false, nullptr).check().ready);
}

}  // namespace
}  // namespace codecrew::api
