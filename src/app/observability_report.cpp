#include "app/observability_report.h"

#include <variant>

namespace codecrew::app {
namespace {

std::string samplerText(const telemetry::Sampler& s) {
  std::string root = s.root == telemetry::Sampler::Root::kAlwaysOn    ? "every trace"
                     : s.root == telemetry::Sampler::Root::kAlwaysOff ? "no trace"
                                                                      : std::to_string(s.ratio) + " of traces";
  return s.parent_based ? root + " (a request's own traceparent decides for its trace)" : root;
}

std::string serviceName(const telemetry::OtlpConfig& c) {
  for (const auto& [key, value] : c.resource)
    if (key == "service.name")
      if (const auto* name = std::get_if<std::string>(&value)) return *name;
  return "codecrew";
}

}  // namespace

void printObservabilityReport(std::ostream& out, const core::MetricsConfig& metrics,
                              const telemetry::OtlpConfig& tracing) {
  out << "\nobservability:\n";
  out << "  metrics: GET /metrics on the API's address "
      << (metrics.public_endpoint ? "without a key ([metrics] public)" : "for admin keys") << "; ";
  if (metrics.listen.empty()) out << "no listener of its own ([metrics] listen; a worker serves none without it)\n";
  else out << "/metrics, /healthz and /readyz without keys on " << metrics.listen << "\n";
  if (!tracing.enabled) {
    out << "  tracing: off (set OTEL_EXPORTER_OTLP_ENDPOINT to export spans over OTLP/HTTP)\n";
    return;
  }
  out << "  tracing: on, OTLP/HTTP JSON to " << tracing.endpoint << " as service " << serviceName(tracing)
      << ", sampling " << samplerText(tracing.sampler);
  if (!tracing.headers.empty()) out << ", " << tracing.headers.size() << " header(s) set";
  out << "\n";
}

}  // namespace codecrew::app
