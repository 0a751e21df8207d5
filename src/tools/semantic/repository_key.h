// The key a repository's indexes are kept under: its root commit (the first
// commit of HEAD's history, oldest first), so every clone and workspace of a
// repository, wherever it was cloned from, shares one index and one
// embedding cache; "root-" and 16 hex digits.
// Thread-safety: reentrant.
#pragma once

#include "core/result.h"

#include <string>

namespace codecrew::tools {

// kFailedPrecondition when workdir is not a git repository or has no commit.
core::Result<std::string> repositoryKeyOf(const std::string& workdir);

}  // namespace codecrew::tools
