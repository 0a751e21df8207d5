// Plans and guardrails: schema validation of plans, test reports and review
// verdicts; DAG checks; the runner's parallelism, file locks, result flow and
// resume; budgets and context shrinking.
#include "engine/budget_ledger.h"
#include "engine/context_fitter.h"
#include "engine/output_schemas.h"
#include "engine/plan_runner.h"

#include <gtest/gtest.h>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>

namespace codecrew::engine {
namespace {
namespace asio = boost::asio;

Plan planOf(const char* text) {
  auto p = parsePlan(boost::json::parse(text));
  EXPECT_TRUE(p.ok()) << p.error().message;
  return std::move(p).value();
}

TEST(PlanTest, ValidatesSchemaAndGraph) {
  Plan p = planOf(R"({"tasks":[{"id":"a","title":"A","depends_on":[]},{"id":"b","title":"B","depends_on":["a"]}]})");
  EXPECT_EQ(p.topologicalOrder(), (std::vector<std::string>{"a", "b"}));
  auto missing_title = parsePlan(boost::json::parse(R"({"tasks":[{"id":"a","depends_on":[]}]})"));
  ASSERT_FALSE(missing_title.ok());
  EXPECT_NE(missing_title.error().message.find("schema"), std::string::npos);
  auto cycle = parsePlan(boost::json::parse(
      R"({"tasks":[{"id":"a","title":"A","depends_on":["b"]},{"id":"b","title":"B","depends_on":["a"]}]})"));
  ASSERT_FALSE(cycle.ok());
  EXPECT_NE(cycle.error().message.find("cycle"), std::string::npos);
  EXPECT_FALSE(parsePlan(boost::json::parse(R"({"tasks":[{"id":"a","title":"A","depends_on":["z"]}]})")).ok());
  EXPECT_FALSE(
      parsePlan(boost::json::parse(
                    R"({"tasks":[{"id":"a","title":"A","depends_on":[]},{"id":"a","title":"A","depends_on":[]}]})"))
          .ok());
}

TEST(PlanTest, StructuredOutputsAreFoundAndChecked) {
  auto fenced = parseStructuredOutput(OutputKind::kReview,
                                      "Here you go:\n```json\n{\"verdict\":\"approve\",\"summary\":\"fine\"}\n```\n");
  ASSERT_TRUE(fenced.ok()) << fenced.error().message;
  EXPECT_EQ(fenced->at("verdict").as_string(), "approve");
  auto bad_enum = parseStructuredOutput(OutputKind::kReview, R"({"verdict":"maybe","summary":"x"})");
  ASSERT_FALSE(bad_enum.ok());
  EXPECT_NE(bad_enum.error().message.find("review"), std::string::npos);
  EXPECT_FALSE(parseStructuredOutput(OutputKind::kTestReport, "all tests passed!").ok());
  EXPECT_FALSE(parseStructuredOutput(OutputKind::kTestReport, R"({"passed":"yes","summary":"x"})").ok());
  EXPECT_TRUE(parseStructuredOutput(OutputKind::kTestReport, R"({"passed":true,"summary":"3 ok","total":3})").ok());
}

// Each task takes a few turns of the event loop; records concurrency and overlaps per file.
struct Recorder {
  int running = 0, peak = 0;
  std::map<std::string, int> editing;
  bool overlap = false;
  std::vector<std::string> order;
};

PlanTaskFn slowTask(Recorder& r) {
  return [&r](const PlanTask& t, TaskOutputs deps) -> asio::awaitable<core::Result<std::string>> {
    ++r.running;
    r.peak = std::max(r.peak, r.running);
    for (const auto& f : t.files)
      if (++r.editing[f] > 1) r.overlap = true;
    for (int i = 0; i < 3; ++i) co_await asio::post(co_await asio::this_coro::executor, asio::use_awaitable);
    for (const auto& f : t.files) --r.editing[f];
    --r.running;
    r.order.push_back(t.id);
    std::string out = t.id + "(";
    for (const auto& [id, o] : deps) out += o;
    co_return out + ")";
  };
}

core::Result<PlanRunReport> runPlan(const Plan& plan, PlanRunOptions opts, PlanTaskFn fn, FileLockTable& locks) {
  asio::io_context io;
  std::optional<core::Result<PlanRunReport>> out;
  PlanRunner runner(locks, std::move(opts));
  asio::co_spawn(
      io, [&]() -> asio::awaitable<void> { out.emplace(co_await runner.run(plan, fn)); },
      [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
      });
  io.run();
  return std::move(*out);
}

TEST(PlanRunnerTest, RunsReadyTasksInParallelUpToTheLimit) {
  Plan p = planOf(R"({"tasks":[
    {"id":"a","title":"A","files":["a.py"],"depends_on":[]},
    {"id":"b","title":"B","files":["b.py"],"depends_on":[]},
    {"id":"c","title":"C","files":["c.py"],"depends_on":[]},
    {"id":"d","title":"D","files":["d.py"],"depends_on":["a","b","c"]}]})");
  Recorder r;
  FileLockTable locks;
  auto report = runPlan(p, {.max_parallel = 2}, slowTask(r), locks);
  ASSERT_TRUE(report.ok()) << report.error().message;
  EXPECT_EQ(report->peak_parallelism, 2);
  EXPECT_EQ(r.peak, 2);
  EXPECT_EQ(r.order.back(), "d");
  EXPECT_EQ(report->outputs.at("d"), "d(a()b()c())");
  EXPECT_EQ(locks.lockedCount(), 0u);
}

TEST(PlanRunnerTest, TasksSharingAFileNeverRunTogether) {
  Plan p = planOf(R"({"tasks":[
    {"id":"a","title":"A","files":["shared.py","a.py"],"depends_on":[]},
    {"id":"b","title":"B","files":["b.py","shared.py"],"depends_on":[]},
    {"id":"c","title":"C","files":["c.py"],"depends_on":[]}]})");
  Recorder r;
  FileLockTable locks;
  auto report = runPlan(p, {.max_parallel = 4}, slowTask(r), locks);
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(r.overlap);
  EXPECT_EQ(r.peak, 2);  // a and c, then b
  EXPECT_EQ(report->outputs.size(), 3u);
}

TEST(PlanRunnerTest, ResumedTasksAreNotRunAgainAndFailuresStopTheRun) {
  Plan p = planOf(R"({"tasks":[{"id":"a","title":"A","depends_on":[]},{"id":"b","title":"B","depends_on":["a"]}]})");
  Recorder r;
  FileLockTable locks;
  auto report = runPlan(p, {.max_parallel = 2, .completed = {{"a", "saved"}}}, slowTask(r), locks);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(r.order, std::vector<std::string>{"b"});
  EXPECT_EQ(report->outputs.at("b"), "b(saved)");
  auto failing = [](const PlanTask& t, TaskOutputs) -> asio::awaitable<core::Result<std::string>> {
    co_return core::Error::internal("boom in " + t.id);
  };
  auto failed = runPlan(p, {}, failing, locks);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.error().message.find("plan task a failed"), std::string::npos);
}

TEST(FileLockTableTest, AllOrNothingAndReentrant) {
  FileLockTable t;
  EXPECT_TRUE(t.tryLockAll({"a", "./b"}, "x"));
  EXPECT_FALSE(t.tryLockAll({"c", "b"}, "y"));
  EXPECT_FALSE(t.holder("c").has_value());
  EXPECT_TRUE(t.tryLock("a", "x"));
  EXPECT_EQ(t.holder("b"), "x");
  t.unlockAll("x");
  EXPECT_TRUE(t.tryLock("b", "y"));
}

TEST(BudgetLedgerTest, BreachesShowTheTokenMath) {
  BudgetLedger l({{100, 0}, {0, 0}, {1000, 0}});
  EXPECT_FALSE(l.checkBefore("dev", 90).has_value());
  auto step = l.checkBefore("dev", 150);
  ASSERT_TRUE(step.has_value());
  EXPECT_EQ(step->scope, "step");
  l.charge("dev", {950, 0.1});
  auto exec = l.checkBefore("dev", 80);
  ASSERT_TRUE(exec.has_value());
  EXPECT_EQ(exec->math(),
            "execution budget exceeded: 950 tokens spent + 80 estimated for the next call = 1030 > 1000 allowed");
  auto restored = BudgetLedger::fromJson({}, l.toJson());
  EXPECT_EQ(restored.total().tokens, 950);
  EXPECT_TRUE(restored.checkBefore("dev", 80).has_value());
  restored.extend("execution");
  EXPECT_FALSE(restored.checkBefore("dev", 80).has_value());
}

TEST(ContextFitterTest, ShrinksAndRecordsWhatWasCut) {
  llm::ChatRequest r;
  r.messages = {llm::Message::system("sys"), llm::Message::user("task")};
  for (int i = 0; i < 6; ++i) {
    r.messages.push_back(llm::Message::assistant("turn " + std::to_string(i)));
    r.messages.push_back(llm::Message::toolResult("c" + std::to_string(i), "read_file", std::string(4000, 'x')));
  }
  FitOptions o{.context_window = 3000, .safety_buffer = 100, .output_reserve = 500, .blob_keep_chars = 200};
  auto fit = fitToContext(r, o);
  ASSERT_TRUE(fit.ok()) << fit.error().message;
  EXPECT_LE(fit->estimated_tokens, 2400);
  EXPECT_FALSE(fit->truncated_sections.empty());
  EXPECT_EQ(fit->request.messages[0].content, "sys");
  EXPECT_EQ(fit->request.messages[1].content, "task");
  FitOptions tiny{.context_window = 50, .safety_buffer = 10, .output_reserve = 30};
  auto impossible = fitToContext(r, tiny);
  ASSERT_FALSE(impossible.ok());
  EXPECT_EQ(impossible.error().code, core::ErrorCode::kResourceExhausted);
}

}  // namespace
}  // namespace codecrew::engine
