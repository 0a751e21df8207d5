// Helpers shared by the libFuzzer targets of this folder (see
// docs/fuzzing.md): the input as text, and an input split in two at its first
// NUL byte (the targets that take two texts: a patch and the file it applies
// to, CrewAI's agents.yaml and tasks.yaml).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

namespace codecrew::fuzz {

inline std::string_view asText(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// {before the first NUL, after it}; the second is empty when there is none.
inline std::pair<std::string_view, std::string_view> splitAtNul(std::string_view text) {
  auto nul = text.find('\0');
  if (nul == std::string_view::npos) return {text, {}};
  return {text.substr(0, nul), text.substr(nul + 1)};
}

}  // namespace codecrew::fuzz
