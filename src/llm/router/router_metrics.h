// RouterMetrics: the Router's counters and histograms, for GET /metrics.
// Families (label values are configured names and enums, never ids):
//  codecrew_llm_requests_total{provider,model,endpoint,origin,status,error}
//  codecrew_llm_request_duration_seconds{provider,model,endpoint,origin}
//  codecrew_llm_time_to_first_token_seconds{provider,model,origin} (streams)
//  codecrew_llm_tokens_total{provider,model,origin,direction}
//  codecrew_llm_cost_usd_total{provider,model,origin}
//  codecrew_llm_retries_total{provider,endpoint,reason}
//  codecrew_llm_rate_limit_waits_total{provider}
//  codecrew_llm_rate_limit_wait_seconds_total{provider}
//  codecrew_llm_breaker_trips_total{provider,endpoint,router}
//  codecrew_llm_breaker_state{provider,endpoint,router} (0 closed, 1 half-open, 2 open; set by reportBreakers)
// origin is "gateway" for a /v1 client's own call, else "crew". A process has two routers, each with its breakers: the
// crews'
// ("crew") and the gateway's ("gateway"), named by `router`.
// Thread-safety: every method is safe from any thread.
#pragma once

#include "llm/router/circuit_breaker.h"
#include "store/models.h"
#include "telemetry/metrics.h"

#include <optional>
#include <string>

namespace codecrew::llm {

struct AttemptMetrics {
  std::string provider, model, endpoint, origin;
  store::CallStatus status = store::CallStatus::kSuccess;
  std::string error;              // a failure kind's name; "" on success
  std::optional<double> seconds;  // unset for a skipped model (nothing was sent)
  std::optional<double> first_token_seconds;
  std::int64_t input_tokens = 0, output_tokens = 0;
  double cost = 0;
};

class RouterMetrics {
 public:
  RouterMetrics(telemetry::Registry& registry, std::string router);

  void attempt(const AttemptMetrics& a);
  void retry(const std::string& provider, std::string_view endpoint, std::string_view reason);
  void rateLimitWait(const std::string& provider, double seconds);
  void breakerTrip(const std::string& provider, std::string_view endpoint);
  void breakerState(const std::string& provider, std::string_view endpoint, CircuitBreaker::State state);

 private:
  telemetry::Family<telemetry::Counter>& requests_;
  telemetry::Family<telemetry::Histogram>& duration_;
  telemetry::Family<telemetry::Histogram>& first_token_;
  telemetry::Family<telemetry::Counter>& tokens_;
  telemetry::Family<telemetry::Counter>& cost_;
  telemetry::Family<telemetry::Counter>& retries_;
  telemetry::Family<telemetry::Counter>& waits_;
  telemetry::Family<telemetry::Counter>& wait_seconds_;
  telemetry::Family<telemetry::Counter>& trips_;
  telemetry::Family<telemetry::Gauge>& breaker_;
  std::string router_;
};

// codecrew_budget_exhausted_total{scope}: work stopped on an exhausted
// budget, scope "execution" (a run's) or "gateway" (an API key's on /v1).
telemetry::Family<telemetry::Counter>& budgetExhaustedFamily(telemetry::Registry& registry);

}  // namespace codecrew::llm
