#include "store/postgres/pg_error.h"

#include <boost/json/object.hpp>

#include <string>

namespace codecrew::store::postgres {
namespace {

std::string_view sqlstateOf(const core::Error& error) {
  if (!error.details.is_object()) return {};
  const auto* s = error.details.as_object().if_contains("sqlstate");
  return s && s->is_string() ? std::string_view(s->as_string()) : std::string_view();
}

}  // namespace

core::Error pgError(std::string_view sqlstate, std::string_view message) {
  std::string msg = "database: " + std::string(message);
  while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
  core::ErrorCode code = core::ErrorCode::kInternal;
  const std::string_view cls = sqlstate.substr(0, 2);
  if (sqlstate == "23505") code = core::ErrorCode::kAlreadyExists;
  else if (sqlstate == "23503") code = core::ErrorCode::kNotFound;
  else if (cls == "23" || cls == "22") code = core::ErrorCode::kInvalidArgument;
  else if (sqlstate == "40001" || sqlstate == "40P01" || cls == "08" || cls == "57" || sqlstate.empty()) {
    code = core::ErrorCode::kUnavailable;
  }
  return core::Error{code, std::move(msg), boost::json::object{{"sqlstate", std::string(sqlstate)}}};
}

bool isSerializationFailure(const core::Error& error) {
  const auto s = sqlstateOf(error);
  return s == "40001" || s == "40P01";
}

bool isConnectionFailure(const core::Error& error) {
  const auto s = sqlstateOf(error);
  return error.code == core::ErrorCode::kUnavailable && (s.empty() || s.substr(0, 2) == "08" || s.substr(0, 2) == "57");
}

}  // namespace codecrew::store::postgres
