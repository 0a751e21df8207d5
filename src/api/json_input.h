// JsonInput: validation of a JSON request body. Parse errors say where (line
// and column); field readers check type, presence, length, range and enum
// membership and collect every problem, so one 400 lists them all; unknown
// fields are refused so typos do not pass silently.
// Thread-safety: a value owned by one handler invocation.
#pragma once

#include "core/result.h"

#include <boost/json/object.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace codecrew::api {

class JsonInput {
 public:
  // kInvalidArgument for an empty body, malformed JSON ("invalid JSON at line
  // L, column C: ...") or a top level that is not an object.
  static core::Result<JsonInput> parse(std::string_view body);

  std::optional<std::string> string(const char* field, bool required, std::size_t min_len, std::size_t max_len);
  std::optional<std::string> enumString(const char* field, bool required,
                                        std::initializer_list<std::string_view> allowed);
  std::optional<std::int64_t> integer(const char* field, bool required, std::int64_t min, std::int64_t max);
  // Any JSON object (or null when absent).
  std::optional<boost::json::object> object(const char* field, bool required);

  // ok, or kInvalidArgument whose details.fields lists {field, problem} pairs.
  core::Status finish();

  const boost::json::object& raw() const { return obj_; }

 private:
  explicit JsonInput(boost::json::object obj) : obj_(std::move(obj)) {}
  const boost::json::value* fetch(const char* field, bool required);
  void problem(std::string field, std::string text);

  boost::json::object obj_;
  std::set<std::string, std::less<>> seen_;
  std::vector<std::pair<std::string, std::string>> problems_;
};

}  // namespace codecrew::api
