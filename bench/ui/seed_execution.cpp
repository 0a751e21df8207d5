// seed_execution: writes, through the Store (migrations applied), one
// workflow of the dev tenant ("default", the tenant of `serve --dev`) with one
// finished sdlc execution shaped like the engine's own records: a
// conversation per agent step (planner, architect, six developer tasks of a
// plan DAG, tester, reviewer, deployer, monitor) with its messages and tool
// results (terminal output of run_command included), 200 LLM calls with
// varied models, tokens, costs and latencies, the events of a whole run
// (execution.status, agent.llm_call, agent.tool_call, agent.finished,
// task.completed, execution.stage, approval.requested/decided), both
// approval gates decided, artifacts and diffs. Timestamps come from a fake
// clock walking through a 40-minute run. Prints
// {"workflow_id", "execution_id", "llm_calls", "events"} as JSON.
//
//   seed_execution --data-dir D [--calls N]
//
// For bench/ui/first_render.sh: the monitor's time to first render with a
// finished 200-call execution.
#include "core/clock.h"
#include "store/store.h"
#include "store/store_factory.h"

#include <boost/json.hpp>

#include <cstdlib>
#include <iostream>
#include <random>
#include <string>
#include <vector>

namespace {
namespace json = boost::json;
using codecrew::core::Id;
using codecrew::core::Millis;
using codecrew::core::Status;
namespace store = codecrew::store;

struct Model {
  const char* name;
  const char* provider;
  double input_per_mtok;   // US dollars per million prompt tokens
  double output_per_mtok;  // ... and per million completion tokens
};

constexpr Model kClaudeSonnet{"claude-sonnet-4", "anthropic", 3.0, 15.0};
constexpr Model kClaudeOpus{"claude-opus-4", "anthropic", 15.0, 75.0};
constexpr Model kGpt4o{"gpt-4o", "openai", 2.5, 10.0};
constexpr Model kGpt4oMini{"gpt-4o-mini", "openai", 0.15, 0.6};
constexpr Model kGeminiFlash{"gemini-2.5-flash", "gemini", 0.3, 2.5};

// One agent step: a task of a stage run by an agent through `calls` model calls.
struct Step {
  std::string stage;
  std::string task;
  std::string agent;
  std::string plan_task;  // BUILD: the plan task it implements
  int calls = 1;
  std::vector<const Model*> models;  // cycled through call by call
  std::vector<std::string> tools;    // cycled through by the calls that use tools
  std::string output;                // the agent's final answer
};

const char* kGoal =
    "A python3 command-line program wordcount.py that counts lines, words and characters, "
    "with a JSON output mode, a --top N word frequency report and unit tests";

json::object planJson() {
  auto task = [](const char* id, const char* title, json::array files, json::array deps) {
    return json::object{{"id", id},
                        {"title", title},
                        {"description", std::string(title) + ", with tests"},
                        {"files", std::move(files)},
                        {"depends_on", std::move(deps)}};
  };
  return {{"summary", "wordcount: counting core, CLI, JSON output, frequency report, tests and packaging."},
          {"tasks",
           json::array{task("core", "Counting core (count_text)", {"wordcount/core.py"}, {}),
                       task("cli", "Command line (argparse, files and stdin)", {"wordcount/cli.py"}, {"core"}),
                       task("json", "JSON output mode", {"wordcount/output.py"}, {"cli"}),
                       task("top", "--top N word frequencies", {"wordcount/freq.py"}, {"core"}),
                       task("tests", "Unit tests for every module", {"tests/test_wordcount.py"},
                            {"cli", "json", "top"}),
                       task("packaging", "pyproject.toml and README", {"pyproject.toml", "README.md"}, {"cli"})}}};
}

std::vector<Step> sdlcSteps(int total_calls) {
  std::vector<Step> steps = {
      {"PLANNING",
       "requirements",
       "planner",
       "",
       4,
       {&kClaudeSonnet},
       {"list_files", "read_file"},
       "# Requirements\n\n- `wordcount FILE...` prints lines, words and characters per file and a total.\n"
       "- `--json` prints the same as JSON.\n- `--top N` lists the N most frequent words.\n"
       "- Reads stdin without files; exit code 1 on an unreadable file.\n"},
      {"PLANNING", "plan", "planner", "", 4, {&kClaudeSonnet}, {"repo_map"}, json::serialize(planJson())},
      {"DESIGN",
       "design",
       "architect",
       "",
       8,
       {&kGpt4o, &kClaudeSonnet},
       {"read_file", "search_text"},
       "# Design\n\n| module | role |\n| --- | --- |\n| `core.py` | `count_text(text) -> Counts` |\n"
       "| `cli.py` | argparse, files, stdin |\n| `output.py` | text and JSON renderers |\n"
       "| `freq.py` | `top_words(text, n)` |\n\nNo dependencies beyond the standard library.\n"}};
  for (const char* t : {"core", "cli", "json", "top", "tests", "packaging"})
    steps.push_back({"BUILD",
                     "implement",
                     "developer",
                     t,
                     22,
                     {&kGpt4o, &kGpt4oMini, &kGpt4oMini},
                     {"write_file", "run_command", "read_file", "git_diff"},
                     std::string("Task ") + t + " done: files written, its tests pass."});
  steps.push_back({"TEST",
                   "test",
                   "tester",
                   "",
                   18,
                   {&kGeminiFlash},
                   {"run_command", "read_file"},
                   R"({"passed":true,"total":24,"failed":0,"summary":"24 tests ran, all passed","failures":[]})"});
  steps.push_back(
      {"REVIEW",
       "review",
       "reviewer",
       "",
       14,
       {&kClaudeOpus, &kClaudeSonnet},
       {"git_diff", "read_file"},
       R"({"verdict":"approve","summary":"Clear modules, good tests.","comments":[{"path":"wordcount/cli.py","comment":"exit code 1 on unreadable files is tested"}]})"});
  steps.push_back(
      {"DEPLOY",
       "runbook",
       "deployer",
       "",
       10,
       {&kGpt4oMini},
       {"run_command"},
       "# Runbook\n\nInstall: `pip install .`\nRun: `wordcount FILE --json`\nRoll back: reinstall the previous tag.\n"});
  steps.push_back({"MONITOR",
                   "monitor",
                   "monitor",
                   "",
                   10,
                   {&kGpt4oMini},
                   {"run_command"},
                   "# Monitoring\n\n`wordcount README.md` answered in 41 ms. Watch the exit code in scripts.\n"});
  // Scale the calls to the requested total (the shape stays the same).
  int sum = 0;
  for (const auto& s : steps) sum += s.calls;
  int assigned = 0;
  for (auto& s : steps) {
    s.calls = std::max(1, s.calls * total_calls / sum);
    assigned += s.calls;
  }
  // The rounding difference goes to (or comes from) the BUILD tasks, round robin.
  for (std::size_t k = 0; assigned != total_calls; ++k) {
    auto& s = steps[3 + k % 6];
    if (assigned < total_calls) {
      ++s.calls;
      ++assigned;
    } else if (s.calls > 1) {
      --s.calls;
      --assigned;
    }
  }
  return steps;
}

class Seeder {
 public:
  Seeder(std::shared_ptr<codecrew::core::FakeClock> clock, Id tenant)
      : clock_(std::move(clock)), tenant_(tenant), rng_(20260401) {}

  // Writes everything through db (the store of one transaction).
  Status run(store::Store& db, int total_calls) {
    db_ = &db;
    store::Workflow w;
    w.tenant_id = tenant_;
    w.name = "wordcount (ui bench)";
    w.description = kGoal;
    w.crew = "sdlc";
    auto wf = db_->createWorkflow(w);
    if (!wf) return wf.error();
    workflow_ = wf->value.id;
    tick(2000);
    auto ex = db_->createExecution(tenant_, workflow_, std::nullopt,
                                   json::object{{"source", "bench/ui/seed_execution"}});
    if (!ex) return ex.error();
    exec_ = ex->value;
    started_ = clock_->nowMillis();
    if (auto st = event("execution.status", {{"status", "running"}, {"stage", "NEW"}}); !st) return st;

    std::string stage;
    json::object plan_done;
    for (const auto& step : sdlcSteps(total_calls)) {
      if (step.stage != stage) {
        if (!stage.empty()) {
          // PLANNING ended before its gate (the engine's order: stage, then approval).
          if (stage != "PLANNING")
            if (auto st = endStage(stage, step.stage); !st) return st;
          if (step.stage == "DEPLOY")
            if (auto st = gate("before:DEPLOY"); !st) return st;
        }
        stage = step.stage;
      }
      if (auto st = runStep(step); !st) return st;
      if (!step.plan_task.empty()) plan_done[step.plan_task] = step.output;
      bool last_build_task = step.plan_task == "packaging";
      if (step.plan_task.empty() || last_build_task)
        if (auto st = event("task.completed", {{"task", step.task}, {"visit", step.stage + "#0"}}); !st) return st;
      if (step.task == "plan") {
        if (auto st = endStage("PLANNING", "PLANNING"); !st) return st;
        if (auto st = gate("after:PLANNING"); !st) return st;
      }
    }
    if (auto st = endStage("MONITOR", "DONE"); !st) return st;
    if (auto st = outputs(); !st) return st;
    return finish(plan_done);
  }

  Id workflow() const { return workflow_; }
  Id execution() const { return exec_.id; }
  int calls() const { return calls_; }
  int events() const { return events_; }

 private:
  void tick(int ms) { clock_->advance(std::chrono::milliseconds(ms)); }

  int between(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  Status event(const std::string& type, json::object data) {
    store::Event e;
    e.tenant_id = tenant_;
    e.workflow_id = workflow_;
    e.execution_id = exec_.id;
    e.type = type;
    e.data = std::move(data);
    auto r = db_->appendEvent(e);
    if (!r) return r.error();
    ++events_;
    tick(between(2, 40));
    return {};
  }

  Status message(Id conversation, const std::string& role, const std::string& content, json::object meta) {
    store::Message m;
    m.tenant_id = tenant_;
    m.conversation_id = conversation;
    m.role = role;
    m.content = content;
    m.message_metadata = std::move(meta);
    auto r = db_->addMessage(m);
    if (!r) return r.error();
    return {};
  }

  Status endStage(const std::string& from, const std::string& to) {
    std::string commit;
    for (int i = 0; i < 40; ++i) commit.push_back("0123456789abcdef"[between(0, 15)]);
    return event("execution.stage", {{"from", from}, {"to", to}, {"commit", commit}});
  }

  Status gate(const std::string& name) {
    store::Approval a;
    a.tenant_id = tenant_;
    a.workflow_id = workflow_;
    a.execution_id = exec_.id;
    a.gate = name;
    auto created = db_->createApproval(a);
    if (!created) return created.error();
    if (auto st = event("approval.requested", {{"approval_id", created->id}, {"gate", name}}); !st) return st;
    if (auto st = event("execution.status", {{"status", "running"}, {"stage", "WAITING_APPROVAL"}}); !st) return st;
    tick(between(60'000, 180'000));  // a person reads and decides
    auto decided = db_->decideApproval(tenant_, created->id, store::Decision::kApprove, "dev", "looks good");
    if (!decided) return decided.error();
    return event("approval.decided", {{"approval_id", created->id}, {"gate", name}, {"decision", "approve"}});
  }

  // A tool call's arguments and result, shaped like the built-in tools'.
  std::pair<json::object, json::object> toolCall(const std::string& tool, const Step& step, int i) {
    std::string file = step.plan_task.empty() ? "wordcount/cli.py" : "wordcount/" + step.plan_task + ".py";
    if (tool == "run_command") {
      std::string out;
      int tests = between(4, 24);
      for (int t = 0; t < tests; ++t)
        out += "test_case_" + std::to_string(t) + " (tests.test_wordcount.WordcountTest) ... ok\n";
      out += "\n----------------------------------------------------------------------\nRan " + std::to_string(tests) +
             " tests in 0.0" + std::to_string(between(10, 99)) + "s\n\nOK\n";
      return {{{"command", "python3 -m unittest -v 2>&1"}},
              {{"exit_code", 0},
               {"signal", nullptr},
               {"timed_out", false},
               {"stdout", out},
               {"stderr", ""},
               {"stdout_truncated", false},
               {"stderr_truncated", false},
               {"duration_ms", between(80, 900)}}};
    }
    if (tool == "write_file") {
      std::string content = "\"\"\"" + file + "\"\"\"\n\n\ndef f" + std::to_string(i) +
                            "(text):\n    return len(text)\n";
      return {{{"path", file}, {"content", content}}, {{"path", file}, {"bytes_written", content.size()}}};
    }
    if (tool == "git_diff")
      return {{},
              {{"base", "07eab0a1"},
               {"files", json::array{json::object{{"path", file}, {"change", "added"}}}},
               {"diff", "diff --git a/" + file + " b/" + file + "\n+def count_text(text):\n"}}};
    return {{{"path", file}}, {{"path", file}, {"content", "def count_text(text):\n    ...\n"}}};
  }

  Status runStep(const Step& step) {
    std::string name = step.stage + "#0/" + step.task + (step.plan_task.empty() ? "" : "/" + step.plan_task);
    store::Conversation c;
    c.tenant_id = tenant_;
    c.workflow_id = workflow_;
    c.execution_id = exec_.id;
    c.agent = step.agent;
    c.step = name;
    c.prompt = std::string(kGoal);
    c.timestamp = clock_->nowMillis();
    auto conv = db_->createConversation(c);
    if (!conv) return conv.error();
    if (auto st = message(conv->id, "system", "You are the " + step.agent + " of a software crew. The goal: " + kGoal,
                          {});
        !st)
      return st;
    if (auto st = message(conv->id, "user", "Your task " + name + ".\n\nExpected output: see the crew template.", {});
        !st)
      return st;
    std::int64_t context = between(1200, 2400);
    std::int64_t step_tokens = 0;
    double step_cost = 0;
    for (int i = 0; i < step.calls; ++i) {
      const Model& m = *step.models[i % step.models.size()];
      bool last = i + 1 == step.calls;
      std::int64_t completion = last ? between(150, 900) : between(40, 600);
      context += between(200, 1400);
      store::LlmCall call;
      call.tenant_id = tenant_;
      call.conversation_id = conv->id;
      call.execution_id = exec_.id;
      call.provider = m.provider;
      call.model = m.name;
      call.prompt_tokens = context;
      call.completion_tokens = completion;
      call.total_tokens = context + completion;
      call.max_tokens = 4096;
      call.total_tokens_requested = call.total_tokens;
      call.response_time_ms = between(350, 2500) + completion * between(8, 25);
      call.cost = (double(context) * m.input_per_mtok + double(completion) * m.output_per_mtok) / 1e6;
      call.status = between(0, 60) == 0 && !last ? store::CallStatus::kTruncated : store::CallStatus::kSuccess;
      tick(static_cast<int>(call.response_time_ms));
      call.timestamp = clock_->nowMillis();
      call.prompt_hash = std::to_string(rng_());
      call.response_hash = std::to_string(rng_());
      call.request_data = json::object{{"model", m.name},
                                       {"messages", json::array{json::object{{"role", "user"}, {"content", name}}}}};
      json::array tool_calls;
      std::vector<std::pair<std::string, std::pair<json::object, json::object>>> tools;
      if (!last) {
        int n = between(1, 2);
        for (int k = 0; k < n; ++k) {
          std::string tool = step.tools[(i + k) % step.tools.size()];
          std::string id = name + "#" + std::to_string(i) + "." + std::to_string(k);
          auto args_result = toolCall(tool, step, i);
          tool_calls.push_back(
              json::object{{"id", id}, {"name", tool}, {"arguments", json::serialize(args_result.first)}});
          tools.emplace_back(id, std::move(args_result));
        }
      }
      call.response_data = json::object{{"content", last ? step.output : ""}, {"tool_calls", tool_calls}};
      auto inserted = db_->insertLlmCall(call);
      if (!inserted) return inserted.error();
      ++calls_;
      step_tokens += call.total_tokens;
      step_cost += call.cost;
      json::object meta{{"tool_calls", tool_calls}, {"model", m.name},
                        {"provider", m.provider},   {"llm_call_id", inserted->id},
                        {"prompt_tokens", context}, {"completion_tokens", completion},
                        {"cost", call.cost}};
      if (auto st = message(conv->id, "assistant", last ? step.output : "", std::move(meta)); !st) return st;
      if (auto st = event("agent.llm_call", {{"agent", step.agent},
                                             {"step", name},
                                             {"model", m.name},
                                             {"tokens", call.total_tokens},
                                             {"cost", call.cost},
                                             {"llm_call_id", inserted->id},
                                             {"iteration", i + 1}});
          !st)
        return st;
      for (std::size_t k = 0; k < tools.size(); ++k) {
        const auto& [id, args_result] = tools[k];
        std::string tool(tool_calls[k].at("name").as_string());
        tick(tool == "run_command" ? between(100, 4000) : between(2, 30));
        if (auto st = message(conv->id, "tool", json::serialize(args_result.second),
                              {{"tool_call_id", id}, {"name", tool}});
            !st)
          return st;
        if (auto st =
                event("agent.tool_call",
                      {{"agent", step.agent}, {"step", name}, {"tool", tool}, {"tool_call_id", id}, {"ok", true}});
            !st)
          return st;
      }
    }
    auto done = db_->getConversation(tenant_, conv->id);
    if (!done) return done.error();
    done->output = step.output;
    done->total_tokens_used = step_tokens;
    done->total_cost = step_cost;
    if (auto r = db_->updateConversation(*done); !r) return r.error();
    return event("agent.finished", {{"agent", step.agent}, {"step", name}});
  }

  Status outputs() {
    const std::pair<const char*, std::string> artifacts[] = {
        {"requirements",
         "# Requirements\n\n- Count lines, words and characters per file, and a total.\n- `--json` output.\n- `--top N` word frequencies.\n"},
        {"plan", json::serialize(planJson())},
        {"design",
         "# Design\n\n```\ncli.py -> core.py\n       -> output.py\n       -> freq.py\n```\n\nEach module has its own tests.\n"},
        {"test_report", R"({"passed":true,"total":24,"failed":0,"summary":"24 tests ran, all passed","failures":[]})"},
        {"review", R"({"verdict":"approve","summary":"Clear modules, good tests.","comments":[]})"},
        {"runbook",
         "# Runbook\n\n1. `pip install .`\n2. `wordcount FILE --json`\n\n**Roll back**: reinstall the previous tag.\n"},
        {"monitoring", "# Monitoring\n\n- Exit code 0 on success, 1 on an unreadable file.\n"}};
    for (const auto& [kind, content] : artifacts) {
      store::Artifact a;
      a.tenant_id = tenant_;
      a.workflow_id = workflow_;
      a.execution_id = exec_.id;
      a.kind = kind;
      a.uri = "git:codecrew/execution-" + std::to_string(exec_.id) + ":docs/crew/" + kind;
      a.content = content;
      if (auto r = db_->addArtifact(a); !r) return r.error();
    }
    const std::pair<const char*, const char*> diffs[] = {
        {"wordcount/core.py",
         "diff --git a/wordcount/core.py b/wordcount/core.py\nnew file mode 100644\n--- /dev/null\n+++ b/wordcount/core.py\n"
         "@@ -0,0 +1,8 @@\n+from dataclasses import dataclass\n+\n+\n+@dataclass\n+class Counts:\n+    lines: int\n+    words: int\n+    chars: int\n"},
        {"wordcount/cli.py",
         "diff --git a/wordcount/cli.py b/wordcount/cli.py\n--- a/wordcount/cli.py\n+++ b/wordcount/cli.py\n"
         "@@ -1,6 +1,8 @@\n import argparse\n import sys\n+\n+from . import output\n \n \n def main(argv=None):\n-    parser = argparse.ArgumentParser()\n+    parser = argparse.ArgumentParser(description=\"Count lines, words and characters.\")\n+    parser.add_argument(\"--json\", action=\"store_true\")\n     return 0\n"},
        {"README.md",
         "diff --git a/README.md b/README.md\n--- a/README.md\n+++ b/README.md\n@@ -1,2 +1,4 @@\n-# wc\n+# wordcount\n+\n+`wordcount FILE... [--json] [--top N]`\n"}};
    for (const auto& [path, text] : diffs) {
      store::Diff d;
      d.tenant_id = tenant_;
      d.workflow_id = workflow_;
      d.execution_id = exec_.id;
      d.path = path;
      d.diff = text;
      if (auto r = db_->addDiff(d); !r) return r.error();
    }
    return {};
  }

  Status finish(const json::object& plan_done) {
    if (auto st = event("execution.status", {{"status", "completed"}, {"branch", branch()}}); !st) return st;
    auto totals = db_->refreshExecutionTotals(tenant_, exec_.id);
    if (!totals) return totals.error();
    store::Execution e = *totals;
    e.status = store::RunStatus::kCompleted;
    e.stage = store::Stage::kDone;
    e.started_at = started_;
    e.finished_at = clock_->nowMillis();
    e.meta = json::object{{"source", "bench/ui/seed_execution"},
                          {"checkpoint",
                           json::object{{"branch", branch()},
                                        {"plan", planJson()},
                                        {"progress",
                                         json::object{{"BUILD#0", json::object{{"tasks_done", json::array{"implement"}},
                                                                               {"plan_done", plan_done}}}}}}}};
    if (auto r = db_->updateExecution(e); !r) return r.error();
    auto job = db_->getJobForExecution(tenant_, exec_.id);
    if (!job) return job.error();
    job->status = store::JobStatus::kSucceeded;
    job->attempts = 1;
    if (auto r = db_->updateJob(*job); !r) return r.error();
    if (auto r = db_->updateWorkflowStatus(tenant_, workflow_, store::RunStatus::kCompleted); !r) return r.error();
    return {};
  }

  std::string branch() const { return "codecrew/execution-" + std::to_string(exec_.id); }

  store::Store* db_ = nullptr;
  std::shared_ptr<codecrew::core::FakeClock> clock_;
  Id tenant_;
  std::mt19937 rng_;
  Id workflow_ = 0;
  store::Execution exec_;
  Millis started_ = 0;
  int calls_ = 0;
  int events_ = 0;
};

int usage() {
  std::cerr << "usage: seed_execution --data-dir DIR [--calls N]   (N: 20 to 100000, default 200)\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::string data_dir;
  int calls = 200;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--data-dir" && i + 1 < argc) {
      data_dir = argv[++i];
    } else if (a == "--calls" && i + 1 < argc) {
      calls = std::atoi(argv[++i]);
    } else {
      return usage();
    }
  }
  if (data_dir.empty() || calls < 20 || calls > 100000) return usage();
  // A fixed start (2026-04-01T09:00:00Z): the same seed writes the same run.
  auto clock = std::make_shared<codecrew::core::FakeClock>(1'775'034'000'000);
  auto db = store::openSqliteStore(data_dir + "/codecrew.db", clock);
  if (!db) {
    std::cerr << "seed_execution: " << db.error().message << "\n";
    return 1;
  }
  auto tenant = (*db)->ensureTenant("default");
  if (!tenant) {
    std::cerr << "seed_execution: " << tenant.error().message << "\n";
    return 1;
  }
  Seeder seeder(clock, tenant->id);
  auto st = (*db)->transact([&](store::Store& tx) { return seeder.run(tx, calls); });
  if (!st) {
    std::cerr << "seed_execution: " << st.error().message << "\n";
    return 1;
  }
  std::cout << json::serialize(json::object{{"workflow_id", seeder.workflow()},
                                            {"execution_id", seeder.execution()},
                                            {"llm_calls", seeder.calls()},
                                            {"events", seeder.events()}})
            << std::endl;
  return 0;
}
