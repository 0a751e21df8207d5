// The rule for file paths a user gives CrewCode (session files, files in a
// chat message): relative, '/'-separated, no '.', '..' or empty segments, no
// '.git' segment, no backslashes or control characters, at most
// kMaxSessionPathLength bytes. What passes can be joined under a workspace
// and never leaves it.
// Thread-safety: pure functions.
#pragma once

#include "core/result.h"

#include <string_view>

namespace codecrew::engine {

inline constexpr std::size_t kMaxSessionPathLength = 512;

// kInvalidArgument saying what is wrong with the path.
core::Status checkSessionPath(std::string_view path);

// File content CrewCode accepts: UTF-8 text without NUL bytes.
core::Status checkTextContent(std::string_view path, std::string_view content);

}  // namespace codecrew::engine
