#include "llm/router/role_policy.h"

#include "llm/providers/json_util.h"

namespace codecrew::llm {

core::Result<std::map<std::string, RolePolicy>> rolePoliciesFromConfig(const boost::json::object& document) {
  std::map<std::string, RolePolicy> out;
  const auto* roles = json::obj(document, "roles");
  if (!roles) return out;
  for (const auto& [name, value] : *roles) {
    const auto* t = value.if_object();
    std::string role(name);
    if (!t) return core::Error::invalidArgument("roles." + role + " must be a table");
    RolePolicy p;
    p.role = role;
    p.primary = json::str(*t, "primary");
    if (const auto* fallbacks = json::arr(*t, "fallbacks")) {
      for (const auto& f : *fallbacks) {
        if (!f.is_string()) return core::Error::invalidArgument("roles." + role + ".fallbacks must be strings");
        p.fallbacks.push_back(json::str(&f));
      }
    }
    if (const auto* c = t->if_contains("max_cost"); c && c->is_number()) p.max_cost_per_call = c->to_number<double>();
    if (auto ms = json::i64(*t, "max_latency_ms"); ms > 0) p.max_latency = std::chrono::milliseconds(ms);
    if (auto n = json::i64(*t, "max_attempts"); n > 0) p.retry.max_attempts = static_cast<int>(n);
    out[role] = std::move(p);
  }
  return out;
}

}  // namespace codecrew::llm
