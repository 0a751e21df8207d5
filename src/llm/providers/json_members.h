// JSON members without a tree: walks the members of a top-level JSON object
// in one pass over the text, giving each member's name (decoded: escapes
// such as "mod\u0065l" read as "model") and its value as the exact bytes of
// the text, and rewrites the values of named members in place. For the
// gateway's pass-through of OpenAI bodies, where only a few top-level fields
// are read or changed and everything else must stay byte for byte.
// The walk checks the JSON grammar of the whole text (nesting, strings and
// their escapes, numbers, literals; nesting at most kMaxJsonDepth deep) but
// not that strings are valid UTF-8.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace codecrew::llm::json {

inline constexpr int kMaxJsonDepth = 256;

// Calls on_member(name, value) for each member of the object that `text` is
// (whitespace around it allowed), in order, duplicates included; `value`
// views `text`. on_member returning false stops the walk (the result is then
// true if the text up to there was valid). False if `text` is not a valid
// JSON object.
bool forEachMember(std::string_view text,
                   const std::function<bool(std::string_view name, std::string_view value)>& on_member);

// `text` with the value of every top-level member called `name` replaced by
// `value_json` (which must be one JSON value), everything else unchanged;
// `text` itself when it has no such member. nullopt if `text` is not a valid
// JSON object.
std::optional<std::string> replaceMember(std::string_view text, std::string_view name, std::string_view value_json);

// The decoded text of a JSON string value (`value` includes its quotes);
// nullopt if `value` is not a string.
std::optional<std::string> stringValue(std::string_view value);

}  // namespace codecrew::llm::json
