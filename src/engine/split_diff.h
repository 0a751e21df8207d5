// Splits a multi-file unified diff (git style) into one chunk per file.
// Thread-safety: a pure function.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace codecrew::engine {

// (path after the change, that file's "diff --git" chunk), in diff order.
std::vector<std::pair<std::string, std::string>> splitDiff(const std::string& diff);

}  // namespace codecrew::engine
