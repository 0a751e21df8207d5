// OtlpConfig: where and how codecrew exports its spans (OTLP/HTTP with JSON
// encoding), read from the standard OpenTelemetry environment variables.
//
// Tracing is on when OTEL_EXPORTER_OTLP_TRACES_ENDPOINT (the full URL, used
// as is) or OTEL_EXPORTER_OTLP_ENDPOINT (a base URL: "/v1/traces" is
// appended, after one '/' whether or not the base ends with one) is set and
// not empty; the traces-specific variable wins. It is off when neither is,
// when OTEL_SDK_DISABLED=true, or when OTEL_TRACES_EXPORTER=none. When off,
// only OTEL_SDK_DISABLED and OTEL_TRACES_EXPORTER are read (and checked):
// variables meant for another program in the same environment do not stop
// codecrew.
//
// When on, also read (a traces-specific variable replaces the general one):
//   OTEL_EXPORTER_OTLP_[TRACES_]HEADERS    k=v,k=v (values URL-decoded)
//   OTEL_EXPORTER_OTLP_[TRACES_]TIMEOUT    ms per request (10000)
//   OTEL_EXPORTER_OTLP_[TRACES_]PROTOCOL   http/json only
//   OTEL_SERVICE_NAME                      "codecrew"
//   OTEL_RESOURCE_ATTRIBUTES               k=v,k=v (values URL-decoded)
//   OTEL_TRACES_SAMPLER[_ARG]              parentbased_always_on; arg 0..1 (1)
//   OTEL_BSP_SCHEDULE_DELAY                ms (5000)
//   OTEL_BSP_MAX_QUEUE_SIZE                spans (2048)
//   OTEL_BSP_MAX_EXPORT_BATCH_SIZE         spans (512), at most the queue size
//   OTEL_BSP_EXPORT_TIMEOUT                ms for one export with its retries (30000)
// Every malformed value is kInvalidArgument naming the variable and the
// value. Endpoints must be http:// or https:// URLs with a host.
//
// The resource: service.name (OTEL_SERVICE_NAME, else a service.name of
// OTEL_RESOURCE_ATTRIBUTES, else "codecrew"), service.version,
// service.instance.id, host.name, telemetry.sdk.name="codecrew",
// telemetry.sdk.language="cpp", telemetry.sdk.version (the service version),
// and OTEL_RESOURCE_ATTRIBUTES (which override the detected ones, not the
// telemetry.sdk.* ones).
// Thread-safety: a pure function of its arguments (and the host name).
#pragma once

#include "core/config.h"
#include "core/result.h"
#include "telemetry/span_data.h"
#include "telemetry/tracer.h"

#include <chrono>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace codecrew::telemetry {

// The batch span processor's limits (OTEL_BSP_*).
struct BatchOptions {
  std::chrono::milliseconds schedule_delay{5000};   // a batch leaves at least this often
  std::size_t max_queue_size = 2048;                // spans waiting; more are dropped
  std::size_t max_export_batch_size = 512;          // spans per request; a full batch leaves at once
  std::chrono::milliseconds export_timeout{30000};  // one export, retries included; flush and shutdown
};

struct OtlpConfig {
  bool enabled = false;
  std::string endpoint;  // the full traces URL, e.g. http://collector:4318/v1/traces
  std::vector<std::pair<std::string, std::string>> headers;
  std::chrono::milliseconds timeout{10000};  // one request
  Attributes resource;
  std::string service_version;  // the instrumentation scope's version
  Sampler sampler;
  BatchOptions batch;
};

core::Result<OtlpConfig> loadOtlpConfig(const core::EnvMap& env, const std::string& service_version,
                                        const std::string& instance_id);

}  // namespace codecrew::telemetry
