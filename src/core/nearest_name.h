// Spelling suggestions for names a user typed: the known name nearest to an
// unknown one by edit distance, if it is near enough to be a likely typo.
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace codecrew::core {

// Edit distance: insertions, deletions, substitutions and transpositions of
// adjacent characters each cost 1 (optimal string alignment).
std::size_t editDistance(std::string_view a, std::string_view b);

// The candidate nearest to `name`, if its distance is at most a third of the
// longer name's length (at least 1, at most 3); ties go to the first one.
std::optional<std::string> nearestName(std::string_view name, std::span<const std::string> candidates);

}  // namespace codecrew::core
