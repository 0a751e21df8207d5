#include "engine/split_diff.h"

namespace codecrew::engine {

std::vector<std::pair<std::string, std::string>> splitDiff(const std::string& diff) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t pos = 0;
  while ((pos = diff.find("diff --git ", pos)) != std::string::npos) {
    auto next = diff.find("\ndiff --git ", pos + 1);
    std::string chunk = diff.substr(pos, next == std::string::npos ? std::string::npos : next + 1 - pos);
    auto b = chunk.find(" b/");
    auto eol = chunk.find('\n');
    std::string path = b != std::string::npos && b < eol ? chunk.substr(b + 3, eol - b - 3) : "";
    out.emplace_back(path, chunk);
    if (next == std::string::npos) break;
    pos = next + 1;
  }
  return out;
}

}  // namespace codecrew::engine
