// What `codecrew doctor` says of observability: where GET /metrics is served
// and to whom, and whether spans are exported (where to, as which service,
// sampled how). Never a header's value (they hold credentials).
// Thread-safety: a pure function of its arguments.
#pragma once

#include "core/config.h"
#include "telemetry/otlp_config.h"

#include <ostream>

namespace codecrew::app {

void printObservabilityReport(std::ostream& out, const core::MetricsConfig& metrics,
                              const telemetry::OtlpConfig& tracing);

}  // namespace codecrew::app
