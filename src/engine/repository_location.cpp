#include "engine/repository_location.h"

namespace codecrew::engine {

std::optional<std::filesystem::path> localRepositoryPath(const std::string& url) {
  if (url.empty()) return std::filesystem::path();
  if (url.rfind("file://", 0) == 0) return std::filesystem::path(url.substr(7));
  if (url.find("://") != std::string::npos || url.find('@') != std::string::npos) return std::nullopt;
  return std::filesystem::path(url);
}

}  // namespace codecrew::engine
