// Observability: what a codecrew process reports of itself, built once at
// start-up for `serve` and `worker`: the metrics registry (with the gauges
// read at each scrape: the process, the build, the data directory, the
// store's view of every tenant's executions, queue and approvals, the
// providers' breakers, readiness) and the tracer (OTLP/HTTP export when the
// OTEL_* environment asks for it; see docs/operations.md).
// Thread-safety: build at start-up; the parts are thread-safe.
#pragma once

#include "core/clock.h"
#include "core/config.h"
#include "core/result.h"
#include "llm/llm_config.h"
#include "store/store.h"
#include "telemetry/metrics.h"
#include "telemetry/tracer.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace codecrew::llm {
class Router;
}

namespace codecrew::app {

struct Observability {
  std::shared_ptr<telemetry::Registry> metrics;
  std::shared_ptr<const telemetry::Tracer> tracer = telemetry::Tracer::off();
  // Sends the spans still queued (at shutdown); empty when tracing is off.
  std::function<void()> flush;
};

// The registry with the process's own families (process_*, codecrew_build_info,
// codecrew_data_dir_*), and the tracer the environment configures.
// kInvalidArgument names a malformed OTEL_* variable.
core::Result<Observability> buildObservability(const core::Config& config, const core::EnvMap& env,
                                               const std::string& process_name);

// The store's gauges, read at each scrape: codecrew_executions{state},
// codecrew_queue_depth, codecrew_queue_oldest_wait_seconds,
// codecrew_approvals_pending, codecrew_approval_oldest_pending_seconds.
// A failed read leaves the last values and logs at warn.
void addStoreGauges(telemetry::Registry& registry, std::weak_ptr<store::Store> store,
                    std::shared_ptr<core::Clock> clock);

// codecrew_llm_breaker_state of every breaker the router has, at each scrape.
void addBreakerGauges(telemetry::Registry& registry, std::weak_ptr<llm::Router> router);

// Why no model call can go out now (every configured provider's chat
// breaker open in the router), or nothing; null without providers.
std::function<std::optional<std::string>()> modelsDown(std::weak_ptr<llm::Router> router, const llm::LlmConfig& config);

// codecrew_ready: 1 when `ready` says so, at each scrape.
void addReadyGauge(telemetry::Registry& registry, std::function<bool()> ready);

}  // namespace codecrew::app
