// Small helpers for reading provider JSON without exceptions: missing or
// mistyped fields read as empty/zero.
// Thread-safety: pure functions.
#pragma once

#include "core/result.h"

#include <boost/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace codecrew::llm::json {

std::string str(const boost::json::value* v);
std::string str(const boost::json::object& o, std::string_view key);
// An integer field, clamped to +-kExactIntegerLimit (2^53, the integers a
// JSON number holds exactly; a fraction is dropped): a number past int64's
// range reads as the limit, not as undefined behaviour, and sums of a few
// such fields (prompt + cached + completion tokens) cannot overflow.
constexpr std::int64_t kExactIntegerLimit = std::int64_t{1} << 53;
std::int64_t i64(const boost::json::object& o, std::string_view key);
const boost::json::object* obj(const boost::json::object& o, std::string_view key);
const boost::json::array* arr(const boost::json::object& o, std::string_view key);
// Parses text that must be a JSON object; kUnavailable (a malformed answer)
// naming `what` otherwise. `storage` (e.g. a monotonic_resource over a
// buffer on the stack, for an object read and dropped at once) must outlive
// the object.
core::Result<boost::json::object> parseObject(std::string_view text, std::string_view what,
                                              boost::json::storage_ptr storage = {});
// Parses tool-call argument text into an object ({} for empty or invalid text).
boost::json::object argumentsObject(std::string_view text);

}  // namespace codecrew::llm::json
