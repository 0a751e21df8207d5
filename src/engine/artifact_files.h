// Where a task's artifact is written: the file the crew commits on its
// branch (docs/crew/<kind>.md, or .json for the structured kinds plan and
// test_report), whose name the artifact store's key ends with too.
// Thread-safety: pure functions.
#pragma once

#include <string>

namespace codecrew::engine {

// "<kind>.md", or "<kind>.json" for plan and test_report.
std::string artifactFileName(const std::string& kind);

// "docs/crew/" + artifactFileName(kind): the file on the execution's branch.
std::string artifactRepoPath(const std::string& kind);

}  // namespace codecrew::engine
