#include "tools/sandbox/metered_sandbox.h"

namespace codecrew::tools {

MeteredSandbox::MeteredSandbox(std::shared_ptr<Sandbox> inner, telemetry::Registry& registry)
    : inner_(std::move(inner)),
      runs_(registry.counter("codecrew_sandbox_runs_total",
                             "Commands run in the sandbox, by result: ok (exit 0), nonzero (another exit or a "
                             "signal), timeout, error (could not be run).",
                             {"result"})),
      duration_(registry
                    .histogram("codecrew_sandbox_run_duration_seconds", "Wall-clock time of sandboxed commands.", {},
                               {0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800})
                    .with({})) {
  for (const char* result : {"ok", "nonzero", "timeout", "error"}) runs_.with({result});
}

core::Result<SandboxResult> MeteredSandbox::run(const SandboxCommand& command) {
  auto result = inner_->run(command);
  if (!result) {
    runs_.with({"error"}).inc();
    return result;
  }
  const char* outcome = result->timedOut ? "timeout" : (result->exitCode && *result->exitCode == 0) ? "ok" : "nonzero";
  runs_.with({outcome}).inc();
  duration_.observe(std::chrono::duration<double>(result->duration).count());
  return result;
}

}  // namespace codecrew::tools
