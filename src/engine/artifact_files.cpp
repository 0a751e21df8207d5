#include "engine/artifact_files.h"

namespace codecrew::engine {

std::string artifactFileName(const std::string& kind) {
  if (kind == "plan" || kind == "test_report") return kind + ".json";
  return kind + ".md";
}

std::string artifactRepoPath(const std::string& kind) { return "docs/crew/" + artifactFileName(kind); }

}  // namespace codecrew::engine
