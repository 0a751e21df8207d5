#include "llm/router/router_metrics.h"

#include "store/statuses.h"

namespace codecrew::llm {

RouterMetrics::RouterMetrics(telemetry::Registry& r, std::string router)
    : requests_(r.counter("codecrew_llm_requests_total",
                          "Model call attempts, by provider, model, endpoint, origin (crew or gateway), status "
                          "(success, truncated, failed, skipped) and failure kind.",
                          {"provider", "model", "endpoint", "origin", "status", "error"})),
      duration_(r.histogram("codecrew_llm_request_duration_seconds",
                            "Time from a model call attempt's send to its whole answer (or failure).",
                            {"provider", "model", "endpoint", "origin"}, telemetry::modelSecondsBuckets())),
      first_token_(r.histogram("codecrew_llm_time_to_first_token_seconds",
                               "Time from a streamed model call's send to its first delta.",
                               {"provider", "model", "origin"}, telemetry::modelSecondsBuckets())),
      tokens_(r.counter("codecrew_llm_tokens_total", "Tokens of model calls, input (prompt) and output (completion).",
                        {"provider", "model", "origin", "direction"})),
      cost_(r.counter("codecrew_llm_cost_usd_total", "Cost of model calls in US dollars, by the price table.",
                      {"provider", "model", "origin"})),
      retries_(r.counter("codecrew_llm_retries_total",
                         "Model call attempts retried on the same model, by the failure that caused the retry.",
                         {"provider", "endpoint", "reason"})),
      waits_(r.counter("codecrew_llm_rate_limit_waits_total",
                       "Model calls that waited for room under a configured rate limit.", {"provider"})),
      wait_seconds_(r.counter("codecrew_llm_rate_limit_wait_seconds_total",
                              "Time model calls spent waiting for room under configured rate limits.", {"provider"})),
      trips_(r.counter("codecrew_llm_breaker_trips_total",
                       "Times a provider endpoint's circuit breaker opened, by router (crew or gateway).",
                       {"provider", "endpoint", "router"})),
      breaker_(r.gauge("codecrew_llm_breaker_state",
                       "A provider endpoint's circuit breaker in a router (crew or gateway): 0 closed, 1 half-open, "
                       "2 open.",
                       {"provider", "endpoint", "router"})),
      router_(std::move(router)) {}

telemetry::Family<telemetry::Counter>& budgetExhaustedFamily(telemetry::Registry& r) {
  return r.counter("codecrew_budget_exhausted_total",
                   "Work stopped on an exhausted budget: scope execution (a run's budget) or gateway (an API key's "
                   "budget on /v1).",
                   {"scope"});
}

void RouterMetrics::attempt(const AttemptMetrics& a) {
  requests_.with({a.provider, a.model, a.endpoint, a.origin, callStatusName(a.status), a.error}).inc();
  if (a.seconds) duration_.with({a.provider, a.model, a.endpoint, a.origin}).observe(*a.seconds);
  if (a.first_token_seconds) first_token_.with({a.provider, a.model, a.origin}).observe(*a.first_token_seconds);
  if (a.input_tokens > 0) tokens_.with({a.provider, a.model, a.origin, "input"}).inc(double(a.input_tokens));
  if (a.output_tokens > 0) tokens_.with({a.provider, a.model, a.origin, "output"}).inc(double(a.output_tokens));
  if (a.cost > 0) cost_.with({a.provider, a.model, a.origin}).inc(a.cost);
}

void RouterMetrics::retry(const std::string& provider, std::string_view endpoint, std::string_view reason) {
  retries_.with({provider, endpoint, reason}).inc();
}

void RouterMetrics::rateLimitWait(const std::string& provider, double seconds) {
  waits_.with({provider}).inc();
  wait_seconds_.with({provider}).inc(seconds);
}

void RouterMetrics::breakerTrip(const std::string& provider, std::string_view endpoint) {
  trips_.with({provider, endpoint, router_}).inc();
}

void RouterMetrics::breakerState(const std::string& provider, std::string_view endpoint, CircuitBreaker::State state) {
  const double value = state == CircuitBreaker::State::kOpen ? 2 : state == CircuitBreaker::State::kHalfOpen ? 1 : 0;
  breaker_.with({provider, endpoint, router_}).set(value);
}

}  // namespace codecrew::llm
