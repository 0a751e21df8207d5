// Object ids: positive 64-bit integers assigned by the store.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace codecrew::core {

using Id = std::int64_t;

// Parses a decimal id as it appears in a URL path. Only plain positive
// integers are ids: "12" yes; "012", "-1", "1e3", "abc", "" and overflow no.
std::optional<Id> parseId(std::string_view text);

}  // namespace codecrew::core
