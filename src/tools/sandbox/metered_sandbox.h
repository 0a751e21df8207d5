// MeteredSandbox: a Sandbox that counts and times the commands another one
// runs, for GET /metrics:
//  codecrew_sandbox_runs_total{result}        ok (exit 0), nonzero (another exit or a signal),
//                                              timeout (its wall-clock limit), error (could not run)
//  codecrew_sandbox_run_duration_seconds      wall-clock time of the commands that ran
// Thread-safety: as the wrapped sandbox; the metrics are thread-safe.
#pragma once

#include "telemetry/metrics.h"
#include "tools/sandbox/sandbox.h"

#include <memory>

namespace codecrew::tools {

class MeteredSandbox final : public Sandbox {
 public:
  MeteredSandbox(std::shared_ptr<Sandbox> inner, telemetry::Registry& registry);
  core::Result<SandboxResult> run(const SandboxCommand& command) override;

 private:
  std::shared_ptr<Sandbox> inner_;
  telemetry::Family<telemetry::Counter>& runs_;
  telemetry::Histogram& duration_;
};

}  // namespace codecrew::tools
