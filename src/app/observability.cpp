#include "app/observability.h"

#include "app/otlp_post.h"
#include "core/log.h"
#include "core/version.h"
#include "llm/router/router.h"

#include <sys/resource.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace codecrew::app {
namespace {

struct ProcessStat {
  double cpu_seconds = 0;
  double virtual_bytes = 0;
  double resident_bytes = 0;
  double start_seconds = 0;  // since the epoch
};

// /proc/self/stat: utime (14), stime (15), starttime (22), vsize (23), rss (24).
std::optional<ProcessStat> readProcessStat() {
  std::ifstream in("/proc/self/stat");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = text.rfind(')');  // the command name may hold spaces
  if (close == std::string::npos) return std::nullopt;
  std::istringstream fields(text.substr(close + 2));
  std::vector<std::string> f;
  for (std::string x; fields >> x;) f.push_back(x);
  // f[0] is field 3 (state).
  if (f.size() < 22) return std::nullopt;
  const double ticks = double(::sysconf(_SC_CLK_TCK));
  const double page = double(::sysconf(_SC_PAGESIZE));
  ProcessStat s;
  s.cpu_seconds = (std::stod(f[11]) + std::stod(f[12])) / ticks;
  s.virtual_bytes = std::stod(f[20]);
  s.resident_bytes = std::stod(f[21]) * page;
  std::ifstream up("/proc/uptime");
  double uptime = 0;
  up >> uptime;
  const double now = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  s.start_seconds = now - uptime + std::stod(f[19]) / ticks;
  return s;
}

double openDescriptors() {
  std::error_code ec;
  double n = 0;
  for (std::filesystem::directory_iterator it("/proc/self/fd", ec), end; !ec && it != end; it.increment(ec)) ++n;
  return n;
}

void addProcessGauges(telemetry::Registry& r, const std::string& data_dir) {
  auto& cpu = r.counter("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.").with({});
  auto& rss = r.gauge("process_resident_memory_bytes", "Resident memory size in bytes.").with({});
  auto& vsz = r.gauge("process_virtual_memory_bytes", "Virtual memory size in bytes.").with({});
  auto& fds = r.gauge("process_open_fds", "Number of open file descriptors.").with({});
  auto& max_fds = r.gauge("process_max_fds", "Maximum number of open file descriptors.").with({});
  auto& start =
      r.gauge("process_start_time_seconds", "Start time of the process since the Unix epoch in seconds.").with({});
  auto& free_bytes = r.gauge("codecrew_data_dir_free_bytes",
                             "Bytes available to codecrew on the data directory's filesystem.")
                         .with({});
  auto& size_bytes =
      r.gauge("codecrew_data_dir_size_bytes", "Size in bytes of the data directory's filesystem.").with({});
  r.onScrape([&cpu, &rss, &vsz, &fds, &max_fds, &start, &free_bytes, &size_bytes, data_dir] {
    if (auto s = readProcessStat()) {
      // A counter only goes up: it is moved by the CPU time used since the last scrape.
      if (s->cpu_seconds > cpu.value()) cpu.inc(s->cpu_seconds - cpu.value());
      rss.set(s->resident_bytes);
      vsz.set(s->virtual_bytes);
      start.set(std::round(s->start_seconds * 100) / 100);
    }
    fds.set(openDescriptors());
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0) max_fds.set(double(limit.rlim_cur));
    struct statvfs fs {};
    if (::statvfs(data_dir.c_str(), &fs) == 0) {
      free_bytes.set(double(fs.f_bavail) * double(fs.f_frsize));
      size_bytes.set(double(fs.f_blocks) * double(fs.f_frsize));
    }
  });
  r.gauge("codecrew_build_info", "Always 1: the version of codecrew this process runs.", {"version"})
      .with({core::kVersion})
      .set(1);
}

}  // namespace

core::Result<Observability> buildObservability(const core::Config& config, const core::EnvMap& env,
                                               const std::string& process_name) {
  Observability out;
  out.metrics = std::make_shared<telemetry::Registry>();
  std::error_code ec;
  std::filesystem::create_directories(config.storage.data_dir, ec);
  addProcessGauges(*out.metrics, std::filesystem::absolute(config.storage.data_dir, ec).string());
  http::ClientOptions client;
  client.proxy = http::ProxyConfig::fromEnv(env);
  auto tracing = makeTracing(env, core::kVersion, process_name, client);
  if (!tracing) return tracing.error();
  out.tracer = tracing->tracer;
  if (auto exporter = tracing->exporter) {
    out.flush = [exporter] { exporter->shutdown(); };
    auto& spans = out.metrics->counter("codecrew_trace_spans_total",
                                       "Spans this process handed to its OTLP exporter, by outcome (exported, "
                                       "dropped).",
                                       {"outcome"});
    auto& exported = spans.with({"exported"});
    auto& dropped = spans.with({"dropped"});
    out.metrics->onScrape([exporter, &exported, &dropped] {
      const auto stats = exporter->stats();
      if (double(stats.spans_exported) > exported.value())
        exported.inc(double(stats.spans_exported) - exported.value());
      if (double(stats.spans_dropped) > dropped.value()) dropped.inc(double(stats.spans_dropped) - dropped.value());
    });
    core::log::info("tracing on: spans are exported over OTLP/HTTP (JSON)",
                    {{"endpoint", exporter->config().endpoint}});
  }
  return out;
}

void addStoreGauges(telemetry::Registry& r, std::weak_ptr<store::Store> weak, std::shared_ptr<core::Clock> clock) {
  auto& executions = r.gauge("codecrew_executions",
                             "Executions by state, in the whole database (every tenant; the same on every node).",
                             {"state"});
  auto& depth = r.gauge("codecrew_queue_depth", "Executions queued and not yet claimed by a worker.").with({});
  auto& oldest = r.gauge("codecrew_queue_oldest_wait_seconds",
                         "How long the longest-waiting queued execution has waited (0: none waits).")
                     .with({});
  auto& approvals = r.gauge("codecrew_approvals_pending", "Approvals waiting for a decision.").with({});
  auto& approval_age = r.gauge("codecrew_approval_oldest_pending_seconds",
                               "How long the oldest pending approval has waited (0: none waits).")
                           .with({});
  for (auto status : {store::RunStatus::kPending, store::RunStatus::kRunning, store::RunStatus::kWaitingApproval,
                      store::RunStatus::kCompleted, store::RunStatus::kFailed, store::RunStatus::kCancelled})
    executions.with({store::runStatusName(status)});
  r.onScrape([&executions = executions, &depth = depth, &oldest = oldest, &approvals = approvals,
              &approval_age = approval_age, weak = std::move(weak), clock = std::move(clock)] {
    auto st = weak.lock();
    if (!st) return;
    auto snapshot = st->operationalSnapshot();
    if (!snapshot) {
      core::log::warn("metrics: could not read the store's counts", {{"error", snapshot.error().message}});
      return;
    }
    executions.zeroAll();
    for (const auto& [status, count] : snapshot->executions)
      executions.with({store::runStatusName(status)}).set(double(count));
    const auto now = clock->nowMillis();
    auto age = [now](const std::optional<core::Millis>& since) {
      return since ? std::max(0.0, double(now - *since) / 1000.0) : 0.0;
    };
    depth.set(double(snapshot->queued_jobs));
    oldest.set(age(snapshot->oldest_queued_at));
    approvals.set(double(snapshot->pending_approvals));
    approval_age.set(age(snapshot->oldest_approval_at));
  });
}

void addBreakerGauges(telemetry::Registry& r, std::weak_ptr<llm::Router> weak) {
  r.onScrape([weak = std::move(weak)] {
    if (auto router = weak.lock()) router->reportBreakers();
  });
}

std::function<std::optional<std::string>()> modelsDown(std::weak_ptr<llm::Router> weak, const llm::LlmConfig& config) {
  std::vector<std::string> providers;
  for (const auto& p : config.providers) providers.push_back(p.name);
  if (providers.empty()) return nullptr;
  return [weak = std::move(weak), providers = std::move(providers)]() -> std::optional<std::string> {
    auto router = weak.lock();
    if (!router) return std::nullopt;
    for (const auto& p : providers)
      if (router->breakerState(p) != llm::CircuitBreaker::State::kOpen) return std::nullopt;
    std::string names;
    for (const auto& p : providers) names += (names.empty() ? "" : ", ") + p;
    return "every configured provider's circuit breaker is open (" + names + "): model calls fail at once";
  };
}

void addReadyGauge(telemetry::Registry& r, std::function<bool()> ready) {
  auto& gauge = r.gauge("codecrew_ready", "1 when this process is ready (GET /readyz answers 200), else 0.").with({});
  r.onScrape([&gauge, ready = std::move(ready)] { gauge.set(ready() ? 1 : 0); });
}

}  // namespace codecrew::app
