#include "llm/providers/json_util.h"

#include "llm/provider_error.h"

#include <algorithm>
#include <cmath>

namespace codecrew::llm::json {

std::string str(const boost::json::value* v) {
  if (v && v->is_string()) return std::string(v->as_string());
  return {};
}

std::string str(const boost::json::object& o, std::string_view key) { return str(o.if_contains(key)); }

std::int64_t i64(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v) return 0;
  constexpr auto limit = kExactIntegerLimit;
  if (v->is_int64()) return std::clamp(v->as_int64(), -limit, limit);
  if (v->is_uint64()) return static_cast<std::int64_t>(std::min(v->as_uint64(), static_cast<std::uint64_t>(limit)));
  if (v->is_double()) {
    double d = v->as_double();
    if (std::isnan(d)) return 0;
    return static_cast<std::int64_t>(std::clamp(d, -static_cast<double>(limit), static_cast<double>(limit)));
  }
  return 0;
}

const boost::json::object* obj(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v ? v->if_object() : nullptr;
}

const boost::json::array* arr(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v ? v->if_array() : nullptr;
}

core::Result<boost::json::object> parseObject(std::string_view text, std::string_view what,
                                              boost::json::storage_ptr storage) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec, std::move(storage));
  if (ec || !v.is_object()) {
    return providerError(FailureKind::kMalformed,
                         std::string(what) + " is not a JSON object: " + std::string(text.substr(0, 200)));
  }
  return std::move(v.as_object());
}

boost::json::object argumentsObject(std::string_view text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(text, ec);
  if (ec || !v.is_object()) return {};
  return std::move(v.as_object());
}

}  // namespace codecrew::llm::json
