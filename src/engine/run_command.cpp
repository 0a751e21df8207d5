#include "engine/run_command.h"

#include "core/config.h"
#include "engine/crew_engine.h"
#include "http/client/beast_http_client.h"
#include "llm/cassette/recording_provider.h"
#include "llm/cassette/replay_provider.h"
#include "llm/record/store_call_recorder.h"
#include "store/store_factory.h"
#include "tools/builtin/builtin_tools.h"
#include "tools/sandbox/bubblewrap_sandbox.h"

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

struct Setup {
  std::shared_ptr<llm::ProviderRegistry> registry;
  std::map<std::string, std::string> primaries;
  std::map<std::string, llm::RolePolicy> policies;
  std::string default_model;
};

core::Result<Setup> providers(const RunOptions& o, const core::Config& config, asio::io_context& io,
                              std::shared_ptr<core::Clock> clock) {
  Setup s;
  s.registry = std::make_shared<llm::ProviderRegistry>();
  if (!o.replay.empty()) {
    auto cassette = llm::Cassette::load(o.replay);
    if (!cassette) return cassette.error();
    s.registry->addProvider(
        std::make_shared<llm::ReplayProvider>(std::move(cassette).value(), llm::ReplayProvider::Options{}),
        {"replay"});
    s.default_model = "replay";
    return s;
  }
  auto llm_config = llm::loadLlmConfig(config.document, core::processEnv());
  if (!llm_config) return llm_config.error();
  if (llm_config->providers.empty())
    return core::Error::invalidArgument("no LLM provider is configured: set OPENAI_API_KEY (or another provider's "
                                        "key), or pass --replay CASSETTE");
  auto client = std::make_shared<http::BeastHttpClient>(io.get_executor());
  auto live = llm::ProviderRegistry::fromConfig(*llm_config, client, clock);
  if (o.record.empty()) {
    s.registry = live;
  } else {
    auto writer = llm::CassetteWriter::create(o.record, llm::CassetteHeader{1, "recorded", "", "codecrew run"});
    if (!writer) return writer.error();
    for (const auto& p : llm_config->providers)
      s.registry->addProvider(std::make_shared<llm::RecordingProvider>(live->provider(p.name), *writer, clock),
                              p.models);
    for (const auto& [name, m] : llm_config->models) s.registry->addModel(m);
  }
  auto policies = llm::rolePoliciesFromConfig(config.document);
  if (!policies) return policies.error();
  s.policies = std::move(policies).value();
  for (const auto& [role, p] : s.policies) s.primaries[role] = p.primary;
  s.default_model = o.model;
  return s;
}

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
  auto crews = o.crews_dir.empty() ? CrewCatalog::builtIn() : CrewCatalog::withUserDirectory(o.crews_dir);
  if (!crews) return err << "crews: " << crews.error().message << "\n", kSetup;
  if (auto c = crews->find(o.crew); !c) return err << c.error().message << "\n", kSetup;
  asio::io_context io;
  asio::thread_pool blocking(1);
  auto setup = providers(o, *config, io, clock);
  if (!setup) return err << "llm: " << setup.error().message << "\n", kSetup;
  auto sleeper = std::make_shared<llm::AsioSleeper>();
  llm::RouterDeps deps{setup->registry, std::make_shared<llm::StoreCallRecorder>(store, blocking.get_executor()),
                       llm::Redactor::create({}).value(), clock, sleeper,
                       std::make_shared<llm::RateScheduler>(clock, sleeper)};
  auto router = std::make_shared<llm::Router>(deps);
  for (const auto& [role, p] : setup->policies) router->setPolicy(p);
  auto registry = std::make_shared<tools::ToolRegistry>();
  tools::addBuiltinTools(*registry);
  std::shared_ptr<tools::Sandbox> sandbox;
  if (o.real_sandbox) sandbox = std::make_shared<tools::BubblewrapSandbox>();
  auto tenant = store->ensureTenant("local");
  if (!tenant) return err << tenant.error().message << "\n", kSetup;
  auto engine = std::make_shared<CrewEngine>(EngineDeps{
      store, std::make_shared<RouterModelClient>(router, setup->registry, setup->primaries, setup->default_model), registry, sandbox, clock,
      std::make_shared<CrewCatalog>(std::move(crews).value()),
      [&out](core::Id, const std::string& kind, const json::object& d) { printProgress(out, kind, d); }, {}});
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
      out << "waiting for approval: approve with POST /approvals/{id}/approve, then `codecrew run --resume " << exec_id
          << " --repo " << o.repo << "`, or rerun with --approve-all\n";
      return kWaiting;
    case RunOutcome::kFailed: return kFailed;
  }
  return kFailed;
}

}  // namespace codecrew::engine
