#include "app/run_command.h"

#include "app/interrupt_watch.h"
#include "app/run_activity.h"
#include "app/runtime.h"
#include "core/log.h"
#include "engine/execution_records.h"
#include "tools/git/git_repository.h"

#include <fmt/format.h>
#include <boost/json/serialize.hpp>

#include <unistd.h>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <mutex>

namespace codecrew::app {
namespace {

namespace json = boost::json;
namespace fs = std::filesystem;
using engine::RunOutcome;

void printProgress(std::mutex& mu, std::ostream& out, const std::string& kind, const json::object& d) {
  std::lock_guard lock(mu);
  auto str = [&](const char* k) {
    const auto* v = d.if_contains(k);
    return v && v->is_string() ? std::string(v->as_string()) : (v ? json::serialize(*v) : std::string());
  };
  if (kind == "stage") out << "== " << str("stage") << " (" << str("visit") << ")\n";
  else if (kind == "llm_call")
    out << fmt::format("   {:<10} {:<32} llm  {} tokens={} cost=${:.4f}\n", str("agent"), str("step"), str("model"),
                       str("tokens"), d.at("cost").to_number<double>());
  else if (kind == "tool_call")
    out << fmt::format("   {:<10} {:<32} tool {} {}\n", str("agent"), str("step"), str("tool"),
                       d.at("ok").as_bool() ? "ok" : "error");
  else if (kind == "human_input") out << "-- " << str("task") << " answered (human_input):\n" << str("output") << "\n";
  else if (kind == "approval") out << "-- approval needed: " << str("gate") << " (id " << str("approval_id") << ")\n";
  else if (kind == "approval_decided") out << "-- " << str("gate") << ": " << str("decision") << "\n";
  else if (kind == "guardrail_violation")
    out << "   " << str("agent") << " output rejected: " << str("violation") << "\n";
  else if (kind == "budget.cheaper_model") out << "   " << str("agent") << " switches to " << str("policy") << "\n";
  out.flush();
}

void printSummary(std::ostream& out, store::Store& store, const store::Execution& e) {
  auto artifacts = store.listArtifacts(e.tenant_id, e.workflow_id, e.id, std::nullopt, {1, 200});
  auto diffs = store.listDiffs(e.tenant_id, e.workflow_id, e.id, std::nullopt, {1, 200});
  const auto* cp = e.checkpoint.if_object();
  const auto* b = cp ? cp->if_contains("branch") : nullptr;
  std::string branch = b && b->is_string() ? std::string(b->as_string()) : "";
  out << "\nexecution " << e.id << ": " << store::runStatusName(e.status) << " at " << store::stageName(e.stage) << "\n"
      << fmt::format("  llm calls {}  tokens {}  cost ${:.4f}  avg latency {:.0f} ms  models {}\n", e.total_calls,
                     e.total_tokens, e.total_cost, e.avg_latency_ms, json::serialize(e.models))
      << "  branch " << branch << "\n"
      << "  artifacts " << (artifacts ? artifacts->total : 0) << "  diffs " << (diffs ? diffs->total : 0) << "\n";
  if (!e.error.empty()) out << "  error: " << e.error << "\n";
}

// The end of the execution's next run, as the watch reports it.
class RunWaiter {
 public:
  explicit RunWaiter(engine::ExecutionWatch& watch) : watch_(watch) {}
  // Call before whatever queues the run.
  void arm(core::Id execution_id) {
    auto promise = std::make_shared<std::promise<core::Result<RunOutcome>>>();
    next_ = promise->get_future();
    watch_.whenFinished(execution_id,
                        [promise](const core::Result<RunOutcome>& outcome) { promise->set_value(outcome); });
  }
  core::Result<RunOutcome> wait() { return next_.get(); }

 private:
  engine::ExecutionWatch& watch_;
  std::future<core::Result<RunOutcome>> next_;
};

// Asks for a gate's decision on the terminal; nullopt when the input ends.
std::optional<engine::DecideRequest> askDecision(std::istream& in, std::ostream& out, const store::Approval& a) {
  while (true) {
    out << "approve gate " << a.gate << " (approval " << a.id << ")? [a]pprove, [r]eject, [c]hanges: " << std::flush;
    std::string answer;
    if (!std::getline(in, answer)) return std::nullopt;
    engine::DecideRequest d;
    d.approval_id = a.id;
    d.reviewer = "codecrew run";
    if (answer == "a" || answer == "approve") return d;
    if (answer == "r" || answer == "reject") {
      d.decision = engine::ApprovalDecision::kReject;
      return d;
    }
    if (answer == "c" || answer == "changes") {
      out << "what should change? " << std::flush;
      if (!std::getline(in, d.comment)) return std::nullopt;
      if (d.comment.empty()) continue;
      d.decision = engine::ApprovalDecision::kRequestChanges;
      return d;
    }
  }
}

// --input name=text, each once.
core::Result<engine::CrewInputs> parseInputs(const std::vector<std::string>& flags) {
  json::object given;
  for (const auto& f : flags) {
    auto eq = f.find('=');
    if (eq == std::string::npos || eq == 0)
      return core::Error::invalidArgument("--input " + f + ": give it as name=text, e.g. --input topic=\"AI agents\"");
    std::string name = f.substr(0, eq);
    if (given.contains(name)) return core::Error::invalidArgument("--input " + name + " is given twice");
    given[name] = f.substr(eq + 1);
  }
  auto inputs = engine::crewInputsFromJson(json::value(std::move(given)), "--input");
  if (!inputs) return inputs.error();
  return inputs;
}

core::Result<core::Id> startRun(Runtime& rt, core::Id tenant, const RunOptions& o, RunWaiter& waiter) {
  auto inputs = parseInputs(o.inputs);
  if (!inputs) return inputs.error();
  fs::path repo = fs::absolute(o.repo).lexically_normal();
  store::Workflow w;
  w.tenant_id = tenant;
  w.name = o.goal.substr(0, 80);
  w.description = o.goal;
  w.crew = o.crew;
  w.repository_url = repo.string();
  w.inputs = engine::crewInputsToJson(*inputs);
  // Every placeholder filled before anything is made or stored.
  if (auto ok = engine::checkStartInputs(*rt.crews, w, {}); !ok) return ok.error();
  std::error_code ec;
  fs::create_directories(repo, ec);
  if (ec) return core::Error::invalidArgument("cannot create '" + repo.string() + "': " + ec.message());
  if (auto git = tools::GitRepository::openOrInit(repo.string()); !git) return git.error();
  auto wf = rt.store->createWorkflow(w);
  if (!wf) return wf.error();
  engine::StartRequest start;
  start.tenant_id = tenant;
  start.workflow_id = wf->value.id;
  start.meta = json::object{{"source", "codecrew run"}};
  start.origin = engine::StartOrigin::kCli;
  start.workspace = repo;  // the user's own repository, worked in place
  start.before_queue = [&](const store::Execution& e) { waiter.arm(e.id); };
  auto started = rt.executions->start(std::move(start));
  if (!started) return started.error();
  return started->execution.id;
}

std::string resumeCommand(const RunOptions& o, core::Id exec_id) {
  return "codecrew run --resume " + std::to_string(exec_id) + " --repo " + o.repo +
         (o.data_dir.empty() ? "" : " --data-dir " + o.data_dir);
}

void printWaiting(std::ostream& out, const RunOptions& o, core::Id exec_id, const store::Approval& a) {
  out << "waiting for approval " << a.id << " (" << a.gate << "). Decide it on a terminal with `"
      << resumeCommand(o, exec_id) << "`, or in the web UI of `codecrew serve --dev"
      << (o.data_dir.empty() ? "" : " --data-dir " + o.data_dir) << "` (which then runs the rest); or rerun with "
      << "--approve-all\n";
}

}  // namespace

int runCrewCommand(const RunOptions& o, std::istream& in, std::ostream& out, std::ostream& err) {
  if ((o.goal.empty() && !o.resume) || o.repo.empty()) {
    err << "usage: codecrew run \"<goal>\" --repo DIR [--crew sdlc] [--input name=text]... [--record F | --replay F]\n";
    return kRunSetup;
  }
  if (!o.record.empty() && !o.replay.empty()) {
    err << "--record and --replay cannot be used together\n";
    return kRunSetup;
  }
  auto env = core::processEnv();
  auto config = core::loadConfig(o.config, env);
  if (!config) return err << "config: " << config.error().message << "\n", kRunSetup;
  if (!o.data_dir.empty()) {
    config->storage.data_dir = o.data_dir;
    config->storage.database_url.clear();
  }
  // The terminal shows progress lines; the server's info log (every event)
  // would bury them, so it starts at warnings unless configured lower.
  core::LogConfig log = config->log;
  if (log.level == "info") log.level = "warn";
  core::log::init(log);
  if (!o.crews_dir.empty()) env["CODECREW_CREWS_DIR"] = o.crews_dir;
  if (!o.model.empty()) env["CODECREW_MODEL"] = o.model;
  if (!o.real_sandbox) {
    json::object engine_section;
    if (auto* e = config->document.if_contains("engine"); e && e->is_object()) engine_section = e->as_object();
    engine_section["sandbox"] = "none";
    config->document["engine"] = std::move(engine_section);
  }
  std::mutex out_mu;
  RunActivity activity(out, out_mu, o.terminal);
  // Ctrl-C ends the process at once, as a crash would: every step already
  // done is in the last checkpoint, and the resume command says how to go on.
  std::atomic<core::Id> running_id{0};
  InterruptWatch interrupt([&] {
    std::lock_guard lock(out_mu);
    activity.clearLineLocked();
    const core::Id id = running_id.load();
    if (id == 0) out << "\ninterrupted before the execution started\n";
    else
      out << "\ninterrupted: execution " << id << " keeps every finished step. Resume it with `" << resumeCommand(o, id)
          << "`\n";
    out.flush();
    std::_Exit(kRunInterrupted);
  });
  RuntimeOptions ro;
  ro.config = std::move(config).value();
  ro.env = env;
  ro.replay_cassette = o.replay;
  ro.record_cassette = o.record;
  ro.worker_name = "run-" + std::to_string(::getpid());
  ro.trusted_repositories.push_back(fs::absolute(o.repo).lexically_normal());  // the user's own, named here
  ro.progress_tap = [&out, &out_mu, &activity](core::Id, const std::string& kind, const json::object& d) {
    activity.onProgress(kind, d);
    printProgress(out_mu, out, kind, d);
  };
  auto built = Runtime::build(ro);
  if (!built) return err << built.error().message << "\n", kRunSetup;
  auto& rt = **built;
  if (o.replay.empty() && rt.llm.config.providers.empty())
    return err << "llm: no LLM provider is configured: set OPENAI_API_KEY (or another provider's key), or pass "
                  "--replay CASSETTE\n",
           kRunSetup;
  if (auto c = rt.crews->find(o.crew); !c && !o.resume) return err << c.error().message << "\n", kRunSetup;
  if (o.real_sandbox && !rt.engine_settings->sandbox)
    err << "warning: commands are refused, the sandbox does not work here: " << rt.engine_settings->sandbox_problem
        << "\n";
  auto tenant = rt.devTenant();
  if (!tenant) return err << tenant.error().message << "\n", kRunSetup;

  RunWaiter waiter(*rt.watch);
  core::Id exec_id = 0;
  bool running = true;
  if (o.resume) {
    exec_id = static_cast<core::Id>(*o.resume);
    auto pending = rt.store->listApprovals(*tenant, store::ApprovalStatus::kPending, exec_id, {1, 1});
    if (!pending) return err << pending.error().message << "\n", kRunSetup;
    if (pending->total > 0) {
      running = false;  // its gate is decided below
    } else {
      waiter.arm(exec_id);
      if (auto ok = rt.executions->resume(*tenant, exec_id); !ok) {
        rt.watch->forget(exec_id);
        return err << ok.error().message << "\n", kRunSetup;
      }
    }
  } else {
    auto started = startRun(rt, *tenant, o, waiter);
    if (!started) return err << started.error().message << "\n", kRunSetup;
    exec_id = *started;
  }
  running_id = exec_id;
  std::string crew = o.crew;
  if (auto e = rt.store->getExecutionById(*tenant, exec_id); e)
    if (auto w = rt.store->getWorkflow(*tenant, e->workflow_id); w) crew = w->crew;
  out << "codecrew run: execution " << exec_id << " with crew " << crew << " in " << o.repo << "\n";
  activity.start();
  core::Result<RunOutcome> outcome = RunOutcome::kWaitingApproval;
  while (true) {
    if (running) outcome = waiter.wait();
    running = true;
    if (!outcome || *outcome != RunOutcome::kWaitingApproval) break;
    auto pending = rt.store->listApprovals(*tenant, store::ApprovalStatus::kPending, exec_id, {1, 1});
    if (!pending || pending->items.empty()) break;
    const auto& gate = pending->items.front();
    std::optional<engine::DecideRequest> decision;
    if (o.approve_all) {
      decision.emplace();
      decision->approval_id = gate.id;
      decision->reviewer = "codecrew run --approve-all";
    } else if (o.ask) {
      std::lock_guard lock(out_mu);
      decision = askDecision(in, out, gate);
    }
    if (!decision) {
      printWaiting(out, o, exec_id, gate);
      rt.stop();
      return kRunWaiting;
    }
    decision->tenant_id = *tenant;
    waiter.arm(exec_id);
    if (auto decided = rt.executions->decide(*decision); !decided) {
      rt.watch->forget(exec_id);
      rt.stop();
      return err << decided.error().message << "\n", kRunFailed;
    }
  }
  activity.stop();
  rt.stop();
  if (!outcome) return err << "run: " << outcome.error().message << "\n", kRunFailed;
  auto e = rt.store->getExecutionById(*tenant, exec_id);
  if (e) printSummary(out, *rt.store, *e);
  switch (*outcome) {
    case RunOutcome::kCompleted: return kRunCompleted;
    case RunOutcome::kCancelled: return kRunCancelled;
    case RunOutcome::kWaitingApproval: return kRunWaiting;
    case RunOutcome::kFailed: return kRunFailed;
  }
  return kRunFailed;
}

}  // namespace codecrew::app
