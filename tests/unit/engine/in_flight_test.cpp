// Many executions waiting on their models at once: 500 executions run on the
// in-process queue, each calling a model over real HTTP (the fake upstream,
// answering after one second), on two threads. All of them are inside their
// model call at the same time, and all complete, with every call recorded.
#include "engine/execution_queue.h"
#include "fake_upstream.h"
#include "http/client/beast_http_client.h"
#include "llm/provider_registry.h"
#include "llm/providers/http_provider.h"
#include "llm/record/call_recorder.h"
#include "store/store_factory.h"
#include "support/temp_dir.h"
#include "tools/builtin/builtin_tools.h"
#include "tools/sandbox/fake_sandbox.h"

#include <gtest/gtest.h>
#include <boost/asio/io_context.hpp>

#include <thread>

namespace codecrew::engine {
namespace {

constexpr int kExecutions = 500;

constexpr const char* kOneCallCrew = R"(
name: onecall
agents: {writer: {role: writer, model: writer, tools: [], max_iterations: 2, max_output_tokens: 50}}
stages: [{stage: BUILD, tasks: [{name: answer, agent: writer, description: "{{goal}}"}]}]
)";

TEST(ManyExecutionsInFlight, FiveHundredWaitOnTheirModelsAtOnceWithoutAThreadEach) {
  testing::FakeUpstream upstream(testing::FakeUpstreamOptions{"127.0.0.1", 0, 1000, 2});
  ASSERT_TRUE(upstream.start().ok());
  testing::TempDir dir;
  auto clock = core::SystemClock::instance();
  auto opened = store::openSqliteStore((dir.path() / "db.sqlite").string(), clock);
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  std::shared_ptr<store::Store> store(std::move(opened).value());
  auto tenant = store->ensureTenant("t")->id;

  boost::asio::io_context io;
  llm::ProviderConfig config{"fake", "openai", upstream.baseUrl() + "/v1", "sk-test-0123456789"};
  config.models = {"fake-model"};
  auto client = std::make_shared<http::BeastHttpClient>();
  auto registry = std::make_shared<llm::ProviderRegistry>();
  registry->addProvider(std::make_shared<llm::HttpProvider>(config.name, config.kind, llm::makeWireFormat(config),
                                                            client, clock),
                        config.models);
  auto recorder = std::make_shared<llm::MemoryCallRecorder>();
  auto sleeper = std::make_shared<llm::AsioSleeper>();
  auto router = std::make_shared<llm::Router>(llm::RouterDeps{registry, recorder, llm::Redactor::create({}).value(),
                                                              clock, sleeper,
                                                              std::make_shared<llm::RateScheduler>(clock, sleeper)});
  auto tools = std::make_shared<tools::ToolRegistry>();
  tools::addBuiltinTools(*tools);
  auto catalog = CrewCatalog::builtIn();
  ASSERT_TRUE(catalog.ok());
  catalog->add(parseCrewYaml(kOneCallCrew).value());
  auto engine = std::make_shared<CrewEngine>(
      EngineDeps{store,
                 std::make_shared<RouterModelClient>(router, registry, std::map<std::string, std::string>{},
                                                     "fake/fake-model"),
                 tools,
                 std::make_shared<tools::FakeSandbox>(),
                 clock,
                 std::make_shared<CrewCatalog>(std::move(catalog).value()),
                 {},
                 {}});

  std::atomic<int> completed{0};
  InProcessExecutionQueue queue(io.get_executor(), engine, store, clock, "test", kExecutions,
                                [&](core::Id, const core::Result<RunOutcome>& r) {
                                  if (r.ok() && *r == RunOutcome::kCompleted) ++completed;
                                });
  for (int i = 0; i < kExecutions; ++i) {
    store::Workflow w;
    w.tenant_id = tenant;
    w.name = "wf " + std::to_string(i);
    w.crew = "onecall";
    auto wf = store->createWorkflow(w);
    ASSERT_TRUE(wf.ok());
    auto e = store->createExecution(tenant, wf->value.id, std::nullopt, boost::json::object());
    ASSERT_TRUE(e.ok());
    e->value.workspace = (dir.path() / ("ws" + std::to_string(i))).string();
    ASSERT_TRUE(store->updateExecution(e->value).ok());
    ASSERT_TRUE(queue.enqueue(tenant, e->value.id).ok());
  }
  std::thread second([&] { io.run(); });
  io.run();
  second.join();

  EXPECT_EQ(completed.load(), kExecutions);
  EXPECT_EQ(upstream.requests().size(), std::size_t(kExecutions));
  EXPECT_EQ(upstream.peakConcurrent(), std::size_t(kExecutions)) << "every execution waited on its model at once";
  EXPECT_EQ(recorder->calls().size(), std::size_t(kExecutions));
  auto done = store->listJobsByStatus(store::JobStatus::kSucceeded);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->size(), std::size_t(kExecutions));
}

}  // namespace
}  // namespace codecrew::engine
