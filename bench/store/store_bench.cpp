// Figures for SqliteStore: single and batched LLM-call inserts, workflow
// creation, and the reads behind GET /workflows and the llm-calls listing,
// from one thread and from several at once (reader pool).
#include "core/clock.h"
#include "store/store_factory.h"

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>

namespace {

using namespace codecrew;

constexpr int kCalls = 10'000;
constexpr int kWorkflows = 100;

// One store shared by all benchmarks. The read benchmarks query a tenant
// filled once (100 workflows, 10k LLM calls on one conversation); the write
// benchmarks add to a second tenant so the read figures stay comparable.
struct Fixture {
  std::filesystem::path dir;
  std::unique_ptr<store::Store> db;
  core::Id tenant = 0;
  core::Id workflow = 0;
  core::Id conversation = 0;
  core::Id write_tenant = 0;
  core::Id write_conversation = 0;

  Fixture() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "codecrew-bench-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
    dir = tmpl;
    auto opened = store::openSqliteStore((dir / "bench.db").string(), core::SystemClock::instance());
    if (!opened.ok()) throw std::runtime_error(opened.error().message);
    db = std::move(opened).value();
    tenant = db->ensureTenant("bench")->id;
    for (int i = 0; i < kWorkflows; ++i) {
      store::Workflow w;
      w.tenant_id = tenant;
      w.name = "workflow " + std::to_string(i);
      workflow = db->createWorkflow(w)->value.id;
    }
    store::Conversation c;
    c.tenant_id = tenant;
    c.workflow_id = workflow;
    conversation = db->createConversation(c)->id;
    std::vector<store::LlmCall> batch;
    for (int i = 0; i < kCalls; ++i) batch.push_back(call(i));
    if (!db->insertLlmCalls(batch).ok()) throw std::runtime_error("fill failed");
    write_tenant = db->ensureTenant("writes")->id;
    store::Workflow w;
    w.tenant_id = write_tenant;
    w.name = "writes";
    c.tenant_id = write_tenant;
    c.workflow_id = db->createWorkflow(w)->value.id;
    write_conversation = db->createConversation(c)->id;
  }
  ~Fixture() {
    db.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }

  store::LlmCall call(int i, bool for_writes = false) const {
    store::LlmCall c;
    c.tenant_id = for_writes ? write_tenant : tenant;
    c.conversation_id = for_writes ? write_conversation : conversation;
    c.model = (i % 3 == 0) ? "gpt-4o" : (i % 3 == 1) ? "claude" : "llama";
    c.total_tokens = 100 + (i * 37) % 5000;
    c.cost = ((i * 13) % 1000) / 1000.0;
    c.response_time_ms = (i * 7) % 900;
    c.timestamp = 1'700'000'000'000 + i * 1000;
    c.request_data = boost::json::object{{"prompt", "request number " + std::to_string(i)}};
    c.response_data = boost::json::object{{"text", "response"}};
    return c;
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

void BM_InsertLlmCall(benchmark::State& state) {
  auto& f = fixture();
  int i = 0;
  for (auto _ : state) {
    auto r = f.db->insertLlmCall(f.call(i++, true));
    if (!r.ok()) state.SkipWithError(r.error().message.c_str());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_InsertLlmCall);

void BM_InsertLlmCallsBatch(benchmark::State& state) {
  auto& f = fixture();
  std::vector<store::LlmCall> batch;
  for (int i = 0; i < state.range(0); ++i) batch.push_back(f.call(i, true));
  for (auto _ : state) {
    if (!f.db->insertLlmCalls(batch).ok()) state.SkipWithError("insert failed");
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_InsertLlmCallsBatch)->Arg(100);

void BM_CreateWorkflow(benchmark::State& state) {
  auto& f = fixture();
  store::Workflow w;
  w.tenant_id = f.write_tenant;
  w.name = "bench";
  for (auto _ : state) {
    if (!f.db->createWorkflow(w).ok()) state.SkipWithError("create failed");
  }
}
BENCHMARK(BM_CreateWorkflow);

void BM_GetWorkflow(benchmark::State& state) {
  auto& f = fixture();
  for (auto _ : state) {
    auto r = f.db->getWorkflow(f.tenant, f.workflow);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_GetWorkflow)->Threads(1)->Threads(4);

void BM_ListWorkflows100(benchmark::State& state) {
  auto& f = fixture();
  store::WorkflowFilter filter;
  filter.page.page_size = 100;
  for (auto _ : state) {
    auto r = f.db->listWorkflows(f.tenant, filter);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ListWorkflows100)->Threads(1)->Threads(4);

void BM_ListLlmCalls(benchmark::State& state) {
  auto& f = fixture();
  store::LlmCallQuery q;
  q.conversation_id = f.conversation;
  q.page.page_size = 50;
  q.sort_by = state.range(0) == 0 ? "timestamp" : "cost";
  if (state.range(1) == 1) q.q = "NUMBER 12";
  for (auto _ : state) {
    auto r = f.db->listLlmCalls(f.tenant, q);
    if (!r.ok()) state.SkipWithError(r.error().message.c_str());
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}
// {sort: 0 timestamp / 1 cost} x {q: 0 none / 1 substring}
BENCHMARK(BM_ListLlmCalls)->ArgNames({"cost_sort", "q"})->Args({0, 0})->Args({1, 0})->Args({0, 1});

void BM_LlmCallTotals(benchmark::State& state) {
  auto& f = fixture();
  store::LlmCallQuery q;
  q.conversation_id = f.conversation;
  for (auto _ : state) {
    auto r = f.db->llmCallTotals(f.tenant, q);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_LlmCallTotals);

}  // namespace

BENCHMARK_MAIN();
