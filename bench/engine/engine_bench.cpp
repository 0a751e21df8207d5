// Figures for the crew engine (reported, never asserted):
//  - BM_AgentSteps: steps per second on one thread; each step is an LLM call
//    to a zero-latency provider through the real Router and the journaled
//    model client, its LlmCall written to SQLite (on a one-thread blocking
//    pool, as in the server), a write_file tool call, and its journal
//    (messages, events, checkpoint) in one SQLite transaction, twice per step
//    (reply and tool results).
//  - BM_AgentStepsPostgres: the same on PostgreSQL (a fresh schema of the
//    server CODECREW_BENCH_POSTGRES_URL names; bench/scaleout/run.sh starts
//    one), registered only with that variable set.
//  - BM_WaitingExecutionMemory: resident memory per execution suspended in
//    its model call (the provider never answers), as a counter.
#include "engine/crew_engine.h"
#include "engine/journaled_model_client.h"
#include "llm/record/store_call_recorder.h"
#include "store/store_factory.h"
#include "tools/builtin/builtin_tools.h"

#include <benchmark/benchmark.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>

#include <libpq-fe.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace codecrew::engine {
namespace {
namespace asio = boost::asio;

// Answers every call at once: a write_file of a new file, up to `turns`, then a final text.
class InstantProvider final : public llm::Provider {
 public:
  explicit InstantProvider(int turns, bool never = false) : turns_(turns), never_(never) {}
  const std::string& name() const override { return name_; }
  const std::string& kind() const override { return name_; }
  asio::awaitable<core::Result<llm::ChatResponse>> chat(const llm::ChatRequest&, const llm::CallOptions& o) override {
    if (never_) {
      asio::steady_timer t(co_await asio::this_coro::executor, std::chrono::hours(24));
      boost::system::error_code ec;
      co_await t.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    llm::ChatResponse r;
    r.model = "instant";
    r.usage = llm::Usage{100, 20, 120, 0, {}, true};
    if (o.call_index < turns_) {
      auto args = boost::json::object{{"path", "f" + std::to_string(o.call_index) + ".txt"}, {"content", "x"}};
      r.message.tool_calls.push_back({"c" + std::to_string(o.call_index), "write_file", boost::json::serialize(args)});
      r.finish_reason = llm::FinishReason::kToolCalls;
    } else {
      r.message.content = "done";
      r.finish_reason = llm::FinishReason::kStop;
    }
    co_return r;
  }
  asio::awaitable<core::Result<llm::ChatResponse>> stream(const llm::ChatRequest& r, const llm::CallOptions& o,
                                                          llm::DeltaSink) override {
    co_return co_await chat(r, o);
  }

 private:
  int turns_;
  bool never_;
  std::string name_ = "instant";
};

constexpr const char* kCrew = R"(
name: bench
agents: {dev: {role: developer, model: coder, tools: [write_file], max_iterations: 100000}}
stages: [{stage: BUILD, tasks: [{name: b, agent: dev, description: go}]}]
limits: {stall_turns: 0}
)";

// Runs sql on the server of url (schema setup and teardown).
void runPostgres(const std::string& url, const std::string& sql) {
  PGconn* c = PQconnectdb(url.c_str());
  PQclear(PQexec(c, "SET client_min_messages = warning"));
  PQclear(PQexec(c, sql.c_str()));
  PQfinish(c);
}

struct Bench {
  asio::thread_pool blocking{1};  // call records are written here, as in the server
  std::filesystem::path dir;
  std::string pg_url;  // the server's URL, when the store is PostgreSQL
  std::string schema;
  std::shared_ptr<store::Store> store;
  std::shared_ptr<CrewEngine> engine;
  core::Id tenant = 0;

  Bench(int turns, bool never, const std::string& postgres_url = "") : pg_url(postgres_url) {
    char tmpl[] = "/tmp/engine-bench-XXXXXX";
    dir = ::mkdtemp(tmpl);
    auto clock = core::SystemClock::instance();
    if (pg_url.empty()) {
      store = std::shared_ptr<store::Store>(store::openSqliteStore((dir / "db.sqlite").string(), clock).value());
    } else {
      schema = "engine_bench_" + std::to_string(::getpid());
      runPostgres(pg_url, "DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema);
      const std::string sep = pg_url.find('?') == std::string::npos ? "?" : "&";
      store = std::shared_ptr<store::Store>(
          store::openPostgresStore(pg_url + sep + "options=-csearch_path%3D" + schema, clock).value());
    }
    tenant = store->ensureTenant("bench")->id;
    auto registry = std::make_shared<llm::ProviderRegistry>();
    registry->addProvider(std::make_shared<InstantProvider>(turns, never), {"instant"});
    auto sleeper = std::make_shared<llm::AsioSleeper>();
    llm::RouterDeps deps{registry,
                         std::make_shared<llm::StoreCallRecorder>(store, blocking.get_executor()),
                         llm::Redactor::create({}).value(),
                         clock,
                         sleeper,
                         std::make_shared<llm::RateScheduler>(clock, sleeper)};
    auto tools = std::make_shared<tools::ToolRegistry>();
    tools::addFileTools(*tools);
    auto catalog = CrewCatalog::builtIn().value();
    catalog.add(parseCrewYaml(kCrew).value());
    engine = std::make_shared<CrewEngine>(
        EngineDeps{store,
                   std::make_shared<JournaledModelClient>(
                       std::make_shared<RouterModelClient>(std::make_shared<llm::Router>(deps), registry,
                                                           std::map<std::string, std::string>{}, "instant"),
                       store),
                   tools,
                   nullptr,
                   clock,
                   std::make_shared<CrewCatalog>(std::move(catalog)),
                   {},
                   {}});
  }
  ~Bench() {
    blocking.join();
    engine.reset();
    store.reset();
    if (!schema.empty()) runPostgres(pg_url, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    std::filesystem::remove_all(dir);
  }

  core::Id newExecution(int i) {
    store::Workflow w;
    w.tenant_id = tenant;
    w.name = "bench";
    w.crew = "bench";
    auto wf = store->createWorkflow(w).value().value;
    auto e = store->createExecution(tenant, wf.id, std::nullopt, boost::json::object()).value().value;
    e.workspace = (dir / ("ws" + std::to_string(i))).string();
    return store->updateExecution(e).value().id;
  }
};

asio::awaitable<void> runToEnd(Bench& bench, core::Id id) {
  auto outcome = co_await bench.engine->run(bench.tenant, id);
  if (!outcome) std::fprintf(stderr, "run failed: %s\n", outcome.error().message.c_str());
}

void agentSteps(benchmark::State& state, const std::string& postgres_url) {
  const int turns = static_cast<int>(state.range(0));
  Bench bench(turns, false, postgres_url);
  std::int64_t steps = 0;
  int i = 0;
  for (auto _ : state) {
    auto id = bench.newExecution(i++);
    asio::io_context io;
    asio::co_spawn(io, runToEnd(bench, id), asio::detached);
    io.run();
    steps += turns + 1;
  }
  state.SetItemsProcessed(steps);
  state.counters["steps_per_s"] = benchmark::Counter(static_cast<double>(steps), benchmark::Counter::kIsRate);
}
void BM_AgentSteps(benchmark::State& state) { agentSteps(state, ""); }
BENCHMARK(BM_AgentSteps)->Arg(50)->Unit(benchmark::kMillisecond)->UseRealTime();

[[maybe_unused]] const bool kPostgresRegistered = [] {
  const char* url = std::getenv("CODECREW_BENCH_POSTGRES_URL");
  if (!url || !*url) return false;
  benchmark::RegisterBenchmark("BM_AgentStepsPostgres",
                               [u = std::string(url)](benchmark::State& state) { agentSteps(state, u); })
      ->Arg(50)
      ->Unit(benchmark::kMillisecond)
      ->UseRealTime();
  return true;
}();

long residentKb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return 0;
}

void BM_WaitingExecutionMemory(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  for (auto _ : state) {
    Bench bench(1, true);
    std::vector<core::Id> ids;
    for (int i = 0; i < n; ++i) ids.push_back(bench.newExecution(i));
    asio::io_context io;
    long before = residentKb();
    for (auto id : ids) asio::co_spawn(io, runToEnd(bench, id), asio::detached);
    while (io.poll() > 0) {
    }
    long after = residentKb();
    state.counters["kb_per_waiting_execution"] = static_cast<double>(after - before) / n;
    state.counters["executions"] = n;
    io.stop();
  }
}
BENCHMARK(BM_WaitingExecutionMemory)->Arg(500)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace codecrew::engine

BENCHMARK_MAIN();
