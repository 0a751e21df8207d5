// Small helpers to write the tools' JSON Schemas and read their (already
// validated) arguments tersely. Thread-safety: pure functions.
#pragma once

#include <boost/json.hpp>

#include <initializer_list>
#include <string>
#include <utility>

namespace codecrew::tools::schema {

inline boost::json::object property(std::string_view type, std::string_view description) {
  return {{"type", type}, {"description", description}};
}

inline boost::json::object integer(std::string_view description, std::int64_t minimum, std::int64_t maximum) {
  return {{"type", "integer"}, {"description", description}, {"minimum", minimum}, {"maximum", maximum}};
}

inline boost::json::object object(std::initializer_list<std::pair<std::string_view, boost::json::object>> props,
                                  std::initializer_list<std::string_view> required) {
  boost::json::object properties;
  for (const auto& [name, p] : props) properties[name] = p;
  boost::json::array req;
  for (auto r : required) req.emplace_back(r);
  return {{"type", "object"},
          {"properties", std::move(properties)},
          {"required", std::move(req)},
          {"additionalProperties", false}};
}

inline std::string str(const boost::json::object& args, std::string_view key, std::string fallback = "") {
  auto* v = args.if_contains(key);
  if (v && v->is_string()) return std::string(v->as_string());
  return fallback;
}

inline bool flag(const boost::json::object& args, std::string_view key, bool fallback) {
  auto* v = args.if_contains(key);
  return v && v->is_bool() ? v->as_bool() : fallback;
}

inline std::int64_t num(const boost::json::object& args, std::string_view key, std::int64_t fallback) {
  auto* v = args.if_contains(key);
  return v && v->is_int64() ? v->as_int64()
                            : (v && v->is_uint64() ? static_cast<std::int64_t>(v->as_uint64()) : fallback);
}

}  // namespace codecrew::tools::schema
