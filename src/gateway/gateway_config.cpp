#include "gateway/gateway_config.h"

#include <boost/json.hpp>

namespace codecrew::gateway {

namespace bj = boost::json;

namespace {

core::Result<std::int64_t> nonNegativeInt(const bj::value& v, const std::string& where) {
  if (v.is_int64() && v.as_int64() >= 0) return v.as_int64();
  if (v.is_uint64()) return static_cast<std::int64_t>(v.as_uint64());
  return core::Error::invalidArgument(where + " must be a non-negative integer");
}

core::Result<double> nonNegativeNumber(const bj::value& v, const std::string& where) {
  if (v.is_number() && v.to_number<double>() >= 0) return v.to_number<double>();
  return core::Error::invalidArgument(where + " must be a non-negative number");
}

// Reads the limit fields present in table over `limits`.
core::Status readLimits(const bj::object& table, const std::string& where, KeyLimits& limits) {
  struct IntField {
    const char* name;
    std::int64_t KeyLimits::*field;
  };
  struct CostField {
    const char* name;
    double KeyLimits::*field;
  };
  for (auto [name, field] :
       {IntField{"rpm", &KeyLimits::rpm}, IntField{"tpm", &KeyLimits::tpm},
        IntField{"daily_tokens", &KeyLimits::daily_tokens}, IntField{"monthly_tokens", &KeyLimits::monthly_tokens}}) {
    if (const auto* v = table.if_contains(name)) {
      auto n = nonNegativeInt(*v, where + "." + name);
      if (!n.ok()) return n.error();
      limits.*field = n.value();
    }
  }
  for (auto [name, field] :
       {CostField{"daily_cost", &KeyLimits::daily_cost}, CostField{"monthly_cost", &KeyLimits::monthly_cost}}) {
    if (const auto* v = table.if_contains(name)) {
      auto n = nonNegativeNumber(*v, where + "." + name);
      if (!n.ok()) return n.error();
      limits.*field = n.value();
    }
  }
  return core::okStatus();
}

core::Status readWriter(const bj::object& table, CallWriterOptions& writer) {
  if (const auto* v = table.if_contains("batch_size")) {
    auto n = nonNegativeInt(*v, "gateway.batch_size");
    if (!n.ok() || n.value() == 0) return core::Error::invalidArgument("gateway.batch_size must be a positive integer");
    writer.batch_size = static_cast<std::size_t>(n.value());
  }
  if (const auto* v = table.if_contains("queue_capacity")) {
    auto n = nonNegativeInt(*v, "gateway.queue_capacity");
    if (!n.ok() || n.value() == 0)
      return core::Error::invalidArgument("gateway.queue_capacity must be a positive integer");
    writer.capacity = static_cast<std::size_t>(n.value());
  }
  if (const auto* v = table.if_contains("flush_interval_ms")) {
    auto n = nonNegativeInt(*v, "gateway.flush_interval_ms");
    if (!n.ok() || n.value() == 0)
      return core::Error::invalidArgument("gateway.flush_interval_ms must be a positive integer");
    writer.flush_interval = std::chrono::milliseconds(n.value());
  }
  return core::okStatus();
}

}  // namespace

const KeyLimits& GatewayConfig::limitsFor(const std::string& key_prefix) const {
  auto it = keys.find(key_prefix);
  return it != keys.end() ? it->second : defaults;
}

core::Result<GatewayConfig> gatewayConfigFromDocument(const bj::object& document) {
  GatewayConfig config;
  const auto* section = document.if_contains("gateway");
  if (!section) return config;
  if (!section->is_object()) return core::Error::invalidArgument("gateway must be a table");
  const auto& table = section->as_object();
  if (auto st = readLimits(table, "gateway", config.defaults); !st.ok()) return st.error();
  if (auto st = readWriter(table, config.writer); !st.ok()) return st.error();
  if (const auto* v = table.if_contains("responses_kept")) {
    auto n = nonNegativeInt(*v, "gateway.responses_kept");
    if (!n.ok()) return n.error();
    config.responses_kept = static_cast<std::size_t>(n.value());
  }
  if (const auto* v = table.if_contains("responses_memory_mb")) {
    auto n = nonNegativeInt(*v, "gateway.responses_memory_mb");
    if (!n.ok() || n.value() == 0)
      return core::Error::invalidArgument("gateway.responses_memory_mb must be a positive integer");
    config.responses_memory_bytes = static_cast<std::size_t>(n.value()) << 20;
  }
  if (const auto* v = table.if_contains("discover_models")) {
    if (!v->is_bool()) return core::Error::invalidArgument("gateway.discover_models must be true or false");
    config.discover_models = v->as_bool();
  }
  if (const auto* role = table.if_contains("role")) {
    if (!role->is_string() || role->as_string().empty())
      return core::Error::invalidArgument("gateway.role must be a non-empty string");
    config.role = std::string(role->as_string());
  }
  if (const auto* keys = table.if_contains("keys")) {
    if (!keys->is_object()) return core::Error::invalidArgument("gateway.keys must be a table of key prefixes");
    for (const auto& [prefix, v] : keys->as_object()) {
      const std::string where = "gateway.keys." + std::string(prefix);
      if (!v.is_object()) return core::Error::invalidArgument(where + " must be a table");
      KeyLimits limits = config.defaults;
      if (auto st = readLimits(v.as_object(), where, limits); !st.ok()) return st.error();
      config.keys.emplace(std::string(prefix), limits);
    }
  }
  return config;
}

}  // namespace codecrew::gateway
