// makeOtlpPost: the real OtlpPost (telemetry/otlp_exporter.h), one blocking
// POST through codecrew's HTTP client (BeastHttpClient: TLS, proxies) with
// Content-Type application/json, run on an io_context of its own by the
// calling thread (the exporter's worker), so no server thread ever waits on
// a collector. The connection is kept alive between calls. The reply is the
// status and Retry-After (delay-seconds; an HTTP-date is ignored); any
// failure to get a status (connect, TLS, timeout) is the client's error.
// A Content-Type among the configured headers is replaced.
//
// makeTracing: the tracer and exporter the OTEL_* environment asks for
// (telemetry/otlp_config.h); with tracing off, Tracer::off() and no
// exporter. The configured header values are registered as log secrets
// (core::log::registerSecret). Shut the exporter down before exit to send
// what is queued.
// Thread-safety: the poster may be called from any thread (calls are
// serialized); makeTracing from any thread.
#pragma once

#include "core/config.h"
#include "core/result.h"
#include "http/client/beast_http_client.h"
#include "telemetry/otlp_config.h"
#include "telemetry/otlp_exporter.h"
#include "telemetry/tracer.h"

#include <memory>
#include <string>

namespace codecrew::app {

telemetry::OtlpPost makeOtlpPost(http::ClientOptions options = {});

struct Tracing {
  std::shared_ptr<telemetry::Tracer> tracer;          // never null
  std::shared_ptr<telemetry::OtlpExporter> exporter;  // null when tracing is off
};

// kInvalidArgument when an OTEL_* variable is malformed (the message names it).
core::Result<Tracing> makeTracing(const core::EnvMap& env, const std::string& service_version,
                                  const std::string& instance_id, http::ClientOptions options = {});

}  // namespace codecrew::app
