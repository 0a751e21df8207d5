// `codecrew worker`: a process that runs executions and nothing else, from
// the queue of a shared PostgreSQL database (engine/leased_execution_queue.h).
// Any number of workers on any hosts share the work; API nodes (`codecrew
// serve`, with or without its embedded worker) queue it. At SIGINT/SIGTERM a
// worker stops claiming, lets its runs in flight finish for up to
// [server] shutdown_grace_seconds, then hands the leases of runs still going
// back to the queue and stops: another worker claims them at once and
// resumes each from its checkpoint (a worker that dies instead leaves its
// leases to expire after [queue] heartbeat_timeout_seconds).
#include "api/readiness.h"
#include "app/app_setup.h"
#include "app/commands.h"
#include "app/metrics_listener.h"
#include "app/observability.h"
#include "app/runtime.h"
#include "core/log.h"
#include "core/version.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <chrono>
#include <csignal>
#include <iostream>
#include <thread>

namespace codecrew::app {
namespace {

int workerFail(const std::string& msg, int code) {
  std::cerr << "codecrew worker: " << msg << "\n";
  return code;
}

}  // namespace

int runWorker(const WorkerOptions& options) {
  auto config = loadAppConfig(options.common);
  if (!config) return workerFail(config.error().message, 2);
  if (!config->usesPostgres()) {
    return workerFail(
        "a worker runs executions from a database that API nodes share: set DATABASE_URL to a postgresql:// URL "
        "([storage] database_url). With SQLite, `codecrew serve` runs executions itself.",
        2);
  }
  const std::string name = processName("worker");
  auto observed = buildObservability(*config, core::processEnv(), name);
  if (!observed) return workerFail(observed.error().message, 2);
  RuntimeOptions ro;
  ro.config = *config;
  ro.env = core::processEnv();
  ro.metrics = observed->metrics;
  ro.tracer = observed->tracer;
  if (options.crews_dir) ro.env["CODECREW_CREWS_DIR"] = *options.crews_dir;
  ro.replay_cassette = options.replay.value_or("");
  ro.engine = true;
  ro.shared_queue = true;
  ro.relay_events = false;  // no live subscribers here
  ro.worker_name = name;
  auto built = Runtime::build(ro);
  if (!built) return workerFail(built.error().message, setupExitCode(built.error()));
  auto runtime = std::move(built).value();

  boost::asio::io_context signals_io;
  boost::asio::signal_set signals(signals_io, SIGINT, SIGTERM);
  signals.async_wait([](const boost::system::error_code&, int) {});
  // The worker's only HTTP: /metrics, /healthz and /readyz on [metrics] listen.
  std::unique_ptr<http::Server> operator_listener;
  if (!config->metrics.listen.empty()) {
    auto ctx = std::make_shared<api::ApiContext>();
    ctx->store = runtime->store;
    ctx->config = runtime->config;
    ctx->clock = runtime->clock;
    ctx->executions = runtime->executions;
    ctx->metrics = observed->metrics;
    ctx->readiness = std::make_shared<api::Readiness>(
        std::make_shared<api::WriteProbe>(runtime->store, runtime->clock, api::probeDirectory(runtime->config.get())),
        runtime->executions, true, modelsDown(runtime->llm.router, runtime->llm.config));
    addReadyGauge(*observed->metrics, [readiness = ctx->readiness] { return readiness->check().ready; });
    auto started = startMetricsListener(config->metrics.listen, ctx);
    if (!started) return workerFail(started.error().message, setupExitCode(started.error()));
    operator_listener = std::move(started).value();
  }
  if (auto started = runtime->recover(); !started) return workerFail(started.error().message, 1);
  core::log::info("worker started", {{"version", core::kVersion},
                                     {"worker", ro.worker_name},
                                     {"slots", runtime->engine_settings ? runtime->engine_settings->max_running : 0},
                                     {"heartbeat_interval_seconds", config->queue.heartbeat_interval_seconds},
                                     {"heartbeat_timeout_seconds", config->queue.heartbeat_timeout_seconds},
                                     {"metrics_listen", config->metrics.listen}});
  std::cout << "codecrew worker " << ro.worker_name << " started" << std::endl;
  signals_io.run();  // until SIGINT or SIGTERM

  core::log::info("worker stopping: no new claims", {{"running", runtime->shared_queue->running()}});
  runtime->shared_queue->stop();
  const auto grace_end = std::chrono::steady_clock::now() + std::chrono::seconds(config->server.shutdown_grace_seconds);
  while (runtime->shared_queue->running() > 0 && std::chrono::steady_clock::now() < grace_end) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (runtime->shared_queue->running() > 0) {
    const int handed = runtime->shared_queue->handBack();
    core::log::warn("runs still in flight stop where they are; their leases are handed back for another worker",
                    {{"running", runtime->shared_queue->running()}, {"handed_back", handed}});
  }
  runtime->stop();
  if (operator_listener) operator_listener->stop();
  if (observed->flush) observed->flush();
  core::log::info("worker stopped");
  core::log::flush();
  return 0;
}

}  // namespace codecrew::app
