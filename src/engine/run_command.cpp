#include "engine/run_command.h"

#include "core/config.h"
#include "engine/crew_engine.h"
#include "engine/engine_runtime.h"
#include "llm/llm_runtime.h"
#include "llm/tokenizer/ranks_location.h"
#include "store/store_factory.h"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <filesystem>

namespace codecrew::engine {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;

constexpr int kCompleted = 0, kFailed = 1, kSetup = 2, kWaiting = 3, kCancelled = 4;

void printProgress(std::ostream& out, const std::string& kind, const json::object& d) {
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
  else if (kind == "approval") out << "-- approval needed: " << str("gate") << " (id " << str("approval_id") << ")\n";
  else if (kind == "approval_decided") out << "-- " << str("gate") << ": " << str("decision") << "\n";
  else if (kind == "guardrail_violation") out << "   " << str("agent") << " output rejected: " << str("violation") << "\n";
  else if (kind == "budget.cheaper_model") out << "   " << str("agent") << " switches to " << str("policy") << "\n";
  out.flush();
}

void printSummary(std::ostream& out, store::Store& store, const store::Execution& e) {
  auto artifacts = store.listArtifacts(e.tenant_id, e.workflow_id, e.id, std::nullopt, {1, 200});
  auto diffs = store.listDiffs(e.tenant_id, e.workflow_id, e.id, std::nullopt, {1, 200});
  const auto* meta = e.meta.if_object();
  const auto* cp = meta ? meta->if_contains("checkpoint") : nullptr;
  std::string branch = cp && cp->is_object() && cp->as_object().contains("branch")
                           ? std::string(cp->as_object().at("branch").as_string())
                           : "";
  out << "\nexecution " << e.id << ": " << e.status << " at " << e.stage << "\n"
      << fmt::format("  llm calls {}  tokens {}  cost ${:.4f}  avg latency {:.0f} ms  models {}\n", e.total_calls,
                     e.total_tokens, e.total_cost, e.avg_latency_ms, json::serialize(e.models))
      << "  branch " << branch << "\n"
      << "  artifacts " << (artifacts ? artifacts->total : 0) << "  diffs " << (diffs ? diffs->total : 0) << "\n";
  if (!e.error.empty()) out << "  error: " << e.error << "\n";
}

core::Result<core::Id> startExecution(store::Store& store, core::Id tenant, const RunOptions& o) {
  store::Workflow w;
  w.tenant_id = tenant;
  w.name = o.goal.substr(0, 80);
  w.description = o.goal;
  w.crew = o.crew;
  w.repository_url = std::filesystem::absolute(o.repo).string();
  auto wf = store.createWorkflow(w);
  if (!wf) return wf.error();
  auto e = store.createExecution(tenant, wf->value.id, std::nullopt,
                                 json::object{{"workspace", std::filesystem::absolute(o.repo).lexically_normal().string()},
                                              {"source", "codecrew run"}});
  if (!e) return e.error();
  return e->value.id;
}

core::Result<RunOutcome> runOnce(asio::io_context& io, CrewEngine& engine, core::Id tenant, core::Id exec) {
  std::optional<core::Result<RunOutcome>> result;
  asio::co_spawn(
      io, [&]() -> asio::awaitable<void> { result.emplace(co_await engine.run(tenant, exec)); },
      [](std::exception_ptr e) {
        if (e) std::rethrow_exception(e);
      });
  io.restart();
  io.run();
  return std::move(*result);
}

}  // namespace

int runCrewCommand(const RunOptions& o, std::ostream& out, std::ostream& err) {
  if ((o.goal.empty() && !o.resume) || o.repo.empty()) {
    err << "usage: codecrew run \"<goal>\" --repo DIR [--crew sdlc] [--record F | --replay F]\n";
    return kSetup;
  }
  if (!o.record.empty() && !o.replay.empty()) {
    err << "--record and --replay cannot be used together\n";
    return kSetup;
  }
  auto config = core::loadConfig(o.config, core::processEnv());
  if (!config) return err << "config: " << config.error().message << "\n", kSetup;
  if (!o.data_dir.empty()) {
    config->storage.data_dir = o.data_dir;
    config->storage.database_url.clear();
  }
  auto clock = core::SystemClock::instance();
  auto opened = store::openStore(*config, clock);
  if (!opened) return err << "store: " << opened.error().message << "\n", kSetup;
  std::shared_ptr<store::Store> store(std::move(opened).value());
  asio::io_context io;
  asio::thread_pool blocking(1);
  auto env = core::processEnv();
  if (!o.crews_dir.empty()) env["CODECREW_CREWS_DIR"] = o.crews_dir;
  if (!o.model.empty()) env["CODECREW_MODEL"] = o.model;
  llm::LlmRuntimeOptions lo;
  lo.blocking = blocking.get_executor();
  lo.clock = clock;
  lo.store = store;
  lo.env = env;
  lo.record_cassette = o.record;
  lo.replay_cassette = o.replay;
  auto ranks = llm::tokenizer::resolveRanksDir(&config->document, env);
  if (std::filesystem::exists(ranks)) lo.tiktoken_dir = ranks;
  auto runtime = llm::buildLlmRuntime(config->document, lo);
  if (!runtime) return err << "llm: " << runtime.error().message << "\n", kSetup;
  if (o.replay.empty() && runtime->config.providers.empty())
    return err << "llm: no LLM provider is configured: set OPENAI_API_KEY (or another provider's key), or pass "
                  "--replay CASSETTE\n",
           kSetup;
  auto document = config->document;
  if (!o.real_sandbox) {
    json::object engine_section;
    if (auto* e = document.if_contains("engine"); e && e->is_object()) engine_section = e->as_object();
    engine_section["sandbox"] = "none";
    document["engine"] = std::move(engine_section);
  }
  auto parts = buildEngine(document, env, *runtime, !o.replay.empty(), store, clock,
                           [&out](core::Id, const std::string& kind, const json::object& d) { printProgress(out, kind, d); });
  if (!parts) return err << "engine: " << parts.error().message << "\n", kSetup;
  if (auto c = parts->crews->find(o.crew); !c) return err << c.error().message << "\n", kSetup;
  if (o.real_sandbox && !parts->settings.sandbox)
    err << "warning: commands are refused, the sandbox does not work here: " << parts->settings.sandbox_problem << "\n";
  auto engine = parts->engine;
  auto tenant = store->ensureTenant("local");
  if (!tenant) return err << tenant.error().message << "\n", kSetup;
  core::Id exec_id = 0;
  if (o.resume) {
    exec_id = *o.resume;
    if (auto ok = engine->prepareResume(tenant->id, exec_id); !ok) return err << ok.error().message << "\n", kSetup;
  } else {
    auto started = startExecution(*store, tenant->id, o);
    if (!started) return err << started.error().message << "\n", kSetup;
    exec_id = *started;
  }
  out << "codecrew run: execution " << exec_id << " with crew " << o.crew << " in " << o.repo << "\n";
  core::Result<RunOutcome> outcome = RunOutcome::kFailed;
  while (true) {
    outcome = runOnce(io, *engine, tenant->id, exec_id);
    if (!outcome || *outcome != RunOutcome::kWaitingApproval || !o.approve_all) break;
    auto pending = store->listApprovals(tenant->id, std::string("pending"), exec_id, {});
    if (!pending || pending->items.empty()) break;
    for (const auto& a : pending->items)
      (void)store->decideApproval(tenant->id, a.id, "approve", "codecrew run --approve-all", "");
  }
  blocking.join();
  if (!outcome) return err << "run: " << outcome.error().message << "\n", kFailed;
  auto e = store->getExecutionById(tenant->id, exec_id);
  if (e) printSummary(out, *store, *e);
  switch (*outcome) {
    case RunOutcome::kCompleted: return kCompleted;
    case RunOutcome::kCancelled: return kCancelled;
    case RunOutcome::kWaitingApproval:
      out << "waiting for approval: decide it with POST /approvals/{id}/approve (or reject, request-changes) on a "
             "server using the same data directory, then `codecrew run --resume "
          << exec_id << " --repo " << o.repo << "`; or rerun with --approve-all\n";
      return kWaiting;
    case RunOutcome::kFailed: return kFailed;
  }
  return kFailed;
}

}  // namespace codecrew::engine
