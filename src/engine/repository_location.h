// Where a workflow's repository_url points: the one place that reads it, so
// the rules for which repositories an execution may start from live here.
// Thread-safety: pure functions.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace codecrew::engine {

// The local directory a repository_url names ("" for none, a path, or
// file://path); nullopt for a network URL.
std::optional<std::filesystem::path> localRepositoryPath(const std::string& repository_url);

}  // namespace codecrew::engine
