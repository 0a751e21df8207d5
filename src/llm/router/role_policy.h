// RolePolicy: how the router serves one agent role (planner, coder, reviewer,
// ...): the primary model, ordered fallbacks, a cap on the estimated cost of
// one call, a cap on its latency, and the retry policy. Read from TOML:
//   [roles.coder]  primary = "gpt-4o", fallbacks = ["claude-sonnet-4", "ollama/qwen2.5-coder"],
//                  max_cost = 0.50, max_latency_ms = 120000, max_attempts = 3
// Thread-safety: plain values.
#pragma once

#include "core/result.h"
#include "llm/router/retry_policy.h"

#include <boost/json/object.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace codecrew::llm {

struct RolePolicy {
  std::string role;
  std::string primary;  // empty: the request's own model
  std::vector<std::string> fallbacks;
  std::optional<double> max_cost_per_call;  // US dollars, estimated before the call
  std::optional<std::chrono::milliseconds> max_latency;
  RetryPolicy retry;
};

// The [roles.*] tables of the configuration document; kInvalidArgument names
// the bad key.
core::Result<std::map<std::string, RolePolicy>> rolePoliciesFromConfig(const boost::json::object& document);

}  // namespace codecrew::llm
