// A test bench for the crew engine: a SQLite store in a temp dir, a git
// workspace, a scripted Provider (answers chosen by agent, step and call
// index, so a resumed run sees the same script), the real llm Router with an
// in-memory call recorder, the built-in tools with a FakeSandbox, and helpers
// to create executions and run them to an outcome.
#pragma once

#include "engine/crew_engine.h"
#include "engine/semantic_context.h"
#include "llm/record/call_recorder.h"
#include "llm/router/router.h"
#include "store/store_factory.h"
#include "support/temp_dir.h"
#include "tools/builtin/builtin_tools.h"
#include "tools/sandbox/fake_sandbox.h"

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

namespace codecrew::engine::test {

struct Turn {
  std::string text;
  std::vector<std::pair<std::string, boost::json::object>> calls;  // tool name, arguments
  std::int64_t tokens = 100;
};

// Script: (agent, step, index) -> the turn the model answers with.
using Script = std::function<Turn(const std::string& agent, const std::string& step, int index)>;

class KeyedProvider final : public llm::Provider {
 public:
  explicit KeyedProvider(Script script) : script_(std::move(script)) {}
  const std::string& name() const override { return name_; }
  const std::string& kind() const override { return name_; }
  boost::asio::awaitable<core::Result<llm::ChatResponse>> chat(const llm::ChatRequest& request,
                                                               const llm::CallOptions& o) override {
    ++calls;
    seen.push_back(SeenCall{o.agent, o.step, o.call_index, request, ++in_flight_});
    if (yield_before_answer) {
      // Lets other coroutines of the run go on while this call is "in flight".
      auto ex = co_await boost::asio::this_coro::executor;
      co_await boost::asio::post(ex, boost::asio::use_awaitable);
    }
    --in_flight_;
    Turn t = script_(o.agent, o.step, o.call_index);
    llm::ChatResponse r;
    r.model = "scripted-model";
    r.message.content = t.text;
    int n = 0;
    for (auto& [name, args] : t.calls)
      r.message.tool_calls.push_back({o.step + "-" + std::to_string(o.call_index) + "-" + std::to_string(n++), name,
                                      boost::json::serialize(args)});
    r.usage = llm::Usage{t.tokens - 20, 20, t.tokens, 0, {}, true};
    r.finish_reason = t.calls.empty() ? llm::FinishReason::kStop : llm::FinishReason::kToolCalls;
    last_request = request;
    co_return r;
  }
  boost::asio::awaitable<core::Result<llm::ChatResponse>> stream(const llm::ChatRequest& request,
                                                                 const llm::CallOptions& o, llm::DeltaSink) override {
    co_return co_await chat(request, o);
  }
  std::atomic<int> calls{0};
  llm::ChatRequest last_request;
  // Every call in order, with how many calls were in flight when it came
  // (itself included); calls yield once before answering when set.
  struct SeenCall {
    std::string agent, step;
    int index = 0;
    llm::ChatRequest request;
    int in_flight = 0;
  };
  std::vector<SeenCall> seen;
  bool yield_before_answer = false;

 private:
  int in_flight_ = 0;
  Script script_;
  std::string name_ = "scripted";
};

inline std::string planJson(const std::vector<std::string>& ids) {
  boost::json::array tasks;
  for (const auto& id : ids)
    tasks.push_back(boost::json::object{{"id", id},
                                        {"title", "write " + id},
                                        {"files", boost::json::array{id + ".txt"}},
                                        {"depends_on", boost::json::array()}});
  return boost::json::serialize(boost::json::object{{"summary", "files"}, {"tasks", tasks}});
}

// The default script of the test crew: a plan of two files, each written by
// a developer, then a passing test report and an approving review.
inline Turn defaultTurn(const std::string& agent, const std::string& step, int index) {
  if (agent == "planner") return {planJson({"alpha", "beta"})};
  if (agent == "dev") {
    auto id = step.substr(step.rfind('/') + 1);
    if (index == 0) return {"", {{"write_file", {{"path", id + ".txt"}, {"content", "content of " + id + "\n"}}}}};
    return {"wrote " + id};
  }
  if (agent == "tester") {
    if (index == 0) return {"", {{"run_command", {{"command", "true"}}}}};
    return {R"({"passed": true, "summary": "all good", "total": 2, "failed": 0})"};
  }
  return {R"({"verdict": "approve", "summary": "fine"})"};
}

constexpr const char* kTestCrew = R"(
name: testcrew
agents:
  planner: {role: planner, model: planner, tools: [list_files], max_iterations: 4, max_output_tokens: 50}
  dev: {role: developer, model: coder, tools: [write_file, read_file, list_files], max_iterations: 5, max_output_tokens: 50}
  tester: {role: tester, model: tester, tools: [run_command], max_iterations: 4, max_output_tokens: 50}
  reviewer: {role: reviewer, model: reviewer, tools: [read_file], max_iterations: 3, max_output_tokens: 50}
stages:
  - stage: PLANNING
    tasks: [{name: plan, agent: planner, output: plan, artifact: plan, description: "Plan {{goal}}"}]
  - stage: BUILD
    tasks: [{name: implement, agent: dev, per_plan_task: true, description: "Do {{task}}"}]
  - stage: TEST
    tasks: [{name: test, agent: tester, output: test_report, artifact: test_report, description: "Test"}]
  - stage: REVIEW
    tasks: [{name: review, agent: reviewer, output: review, artifact: review, description: "Review"}]
limits: {max_parallel: 1, guardrail_retries: 1, stall_turns: 3, on_loop: approval, max_test_loops: 1}
)";

class EngineFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_ = std::make_shared<core::FakeClock>();
    auto s = store::openSqliteStore((dir_.path() / "db.sqlite").string(), clock_);
    ASSERT_TRUE(s.ok()) << s.error().message;
    store_ = std::shared_ptr<store::Store>(std::move(s).value());
    tenant_ = store_->ensureTenant("t")->id;
    sandbox_ = std::make_shared<tools::FakeSandbox>();
    auto registry = std::make_shared<tools::ToolRegistry>();
    tools::addBuiltinTools(*registry);
    tools_ = registry;
    script_ = defaultTurn;
    crewYaml(kTestCrew);
  }

  void crewYaml(const std::string& yaml) {
    auto catalog = CrewCatalog::builtIn();
    auto crew = parseCrewYaml(yaml);
    ASSERT_TRUE(crew.ok()) << crew.error().message;
    catalog->add(std::move(crew).value());
    crews_ = std::make_shared<CrewCatalog>(std::move(catalog).value());
  }

  // A fresh engine over the same store, as after a restart.
  std::shared_ptr<CrewEngine> makeEngine(CrashHook crash = {}) {
    provider_ = std::make_shared<KeyedProvider>([this](auto& a, auto& s, int i) { return script_(a, s, i); });
    auto registry = std::make_shared<llm::ProviderRegistry>();
    registry->addProvider(provider_);
    recorder_ = std::make_shared<llm::MemoryCallRecorder>();
    auto sleeper = std::make_shared<llm::FakeSleeper>(clock_);
    llm::RouterDeps deps{registry, recorder_, llm::Redactor::create({}).value(),
                         clock_,   sleeper,   std::make_shared<llm::RateScheduler>(clock_, sleeper)};
    auto router = std::make_shared<llm::Router>(deps);
    auto model = std::make_shared<RouterModelClient>(router, registry, std::map<std::string, std::string>{},
                                                     "test-model");
    EngineDeps engine_deps{store_,
                           model,
                           tools_,
                           sandbox_,
                           clock_,
                           crews_,
                           [this](core::Id, const std::string& kind, const boost::json::object&) {
                             progress_.push_back(kind);
                           },
                           std::move(crash)};
    engine_deps.workspaces_root = workspaces_root_;
    engine_deps.repositories = repositories_;
    engine_deps.artifacts = artifact_store_;
    engine_deps.archive_workspaces = archive_workspaces_;
    engine_deps.semantic = semantic_;
    return std::make_shared<CrewEngine>(std::move(engine_deps));
  }

  core::Id newExecution(const std::string& crew = "testcrew", const std::string& goal = "two files",
                        const std::string& workspace = "repo", const std::string& repository_url = "") {
    store::Workflow w;
    w.tenant_id = tenant_;
    w.name = "wf";
    w.description = goal;
    w.crew = crew;
    w.repository_url = repository_url;
    auto wf = store_->createWorkflow(w);
    EXPECT_TRUE(wf.ok());
    workflow_ = wf->value.id;
    auto e = store_->createExecution(tenant_, workflow_, std::nullopt, boost::json::object());
    EXPECT_TRUE(e.ok());
    auto exec = e->value;
    exec.workspace = (dir_.path() / workspace).string();
    EXPECT_TRUE(store_->updateExecution(exec).ok());
    return exec.id;
  }

  core::Result<RunOutcome> run(CrewEngine& engine, core::Id exec) {
    boost::asio::io_context io;
    std::optional<core::Result<RunOutcome>> out;
    boost::asio::co_spawn(
        io, [&]() -> boost::asio::awaitable<void> { out.emplace(co_await engine.run(tenant_, exec)); },
        [](std::exception_ptr e) {
          if (e) std::rethrow_exception(e);
        });
    io.run();
    return std::move(*out);
  }

  store::Execution execution(core::Id id) { return store_->getExecutionById(tenant_, id).value(); }

  std::string readRepo(const std::string& rel) {
    std::ifstream in(dir_.path() / "repo" / rel);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  std::vector<store::Approval> pendingApprovals(core::Id exec) {
    return store_->listApprovals(tenant_, store::ApprovalStatus::kPending, exec, {}).value().items;
  }

  testing::TempDir dir_;
  std::shared_ptr<core::FakeClock> clock_;
  std::shared_ptr<store::Store> store_;
  std::shared_ptr<tools::FakeSandbox> sandbox_;
  std::shared_ptr<const tools::ToolRegistry> tools_;
  std::shared_ptr<const CrewCatalog> crews_;
  std::shared_ptr<KeyedProvider> provider_;
  std::shared_ptr<llm::MemoryCallRecorder> recorder_;
  std::vector<std::string> progress_;
  // The engine's workspaces root: empty, so the workspaces under dir_ are
  // directories a user named; a test sets it to make them the server's.
  std::filesystem::path workspaces_root_;
  RepositoryPolicy repositories_;                       // where executions may be cloned from
  std::shared_ptr<storage::BlobStore> artifact_store_;  // null: artifact rows only
  bool archive_workspaces_ = false;
  std::shared_ptr<SemanticContext> semantic_;  // null: no semantic index
  Script script_;
  core::Id tenant_ = 0;
  core::Id workflow_ = 0;
};

}  // namespace codecrew::engine::test
